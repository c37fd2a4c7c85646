from __future__ import annotations

import datetime as dt

from finegrid.cases import clock
from finegrid.cases.models import Colour, Holiday
from tests.cases.helpers import MONDAY_10


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=clock.LOCAL)


def test_working_minutes_skip_lunch_and_the_night(db: None) -> None:
    # Monday 10:00 + 3 working hours: 10–12 (2 h), lunch, 13:00–14:00
    assert clock.add_working_minutes(MONDAY_10, 180) == local(2026, 11, 23, 14, 0)
    # Monday 17:00 + 2 h: 1 h on Monday, then Tuesday 9:00–10:00
    assert clock.add_working_minutes(local(2026, 11, 23, 17, 0), 120) == local(2026, 11, 24, 10, 0)


def test_a_weekend_is_skipped_and_a_holiday_too(db: None) -> None:
    friday_17 = local(2026, 11, 27, 17, 0)
    assert clock.add_working_minutes(friday_17, 120) == local(2026, 11, 30, 10, 0)
    Holiday.objects.create(date=dt.date(2026, 11, 30), name="假日")
    clock.forget_holidays()
    assert clock.add_working_minutes(friday_17, 120) == local(2026, 12, 1, 10, 0)


def test_a_weekend_working_day_counts(db: None) -> None:
    Holiday.objects.create(date=dt.date(2026, 11, 28), is_workday=True, name="调休上班")
    clock.forget_holidays()
    assert clock.add_working_minutes(local(2026, 11, 27, 17, 0), 120) == local(2026, 11, 28, 10, 0)


def test_starting_before_hours_starts_at_nine(db: None) -> None:
    clock.forget_holidays()
    assert clock.add_working_minutes(local(2026, 11, 23, 6, 30), 30) == local(2026, 11, 23, 9, 30)


def test_colours_follow_the_clock() -> None:
    start = MONDAY_10
    deadline = start + dt.timedelta(hours=8)

    def colour(hours: float, safety: bool = False, critical: bool = False) -> str:
        now = start + dt.timedelta(hours=hours)
        return clock.colour_of(
            now=now, started=start, deadline=deadline, safety_critical=safety, critical=critical
        ).colour

    assert colour(1) == Colour.BLUE
    assert colour(6.5) == Colour.YELLOW  # last quarter
    assert colour(9) == Colour.ORANGE
    assert colour(16) == Colour.RED  # overdue by a whole clock again
    assert colour(9, safety=True) == Colour.RED
    assert colour(0, safety=True, critical=True) == Colour.RED


def test_the_next_change_is_when_the_colour_moves() -> None:
    start = MONDAY_10
    deadline = start + dt.timedelta(hours=8)
    blue = clock.colour_of(
        now=start, started=start, deadline=deadline, safety_critical=False, critical=False
    )
    assert blue.next_change == start + dt.timedelta(hours=6)
    orange = clock.colour_of(
        now=deadline, started=start, deadline=deadline, safety_critical=False, critical=False
    )
    assert orange.next_change == deadline + dt.timedelta(hours=8)
