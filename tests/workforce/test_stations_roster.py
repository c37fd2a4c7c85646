"""The station's duty roster (驻点值班): a month generated among its grid heads within opening
hours, skipping holidays and keeping 调休 working Saturdays; visiting services Tue/Fri."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from finegrid.cases.clock import forget_holidays
from finegrid.cases.models import Holiday
from finegrid.core.errors import InvalidInput
from finegrid.workforce.models import Shift, ShiftKind
from finegrid.workforce.services_shifts import ShiftSpec, shift_create
from finegrid.workforce.services_stations import station_roster_generate
from tests.workforce.helpers_stations import at, family_doctor, make_station, two_heads

D = dt.date


@pytest.fixture
def national_day(db: Any, time_machine: Any) -> None:
    """Monday 28 September 2026, before the National Day holiday (1–7 October, with Saturday
    10 October worked in exchange)."""
    time_machine.move_to(at(D(2026, 9, 28), 10), tick=False)
    Holiday.objects.filter(date__gte=D(2026, 9, 1), date__lt=D(2026, 11, 1)).delete()
    for day in (1, 2, 5, 6, 7):
        Holiday.objects.create(date=D(2026, 10, day), name="国庆节", name_en="National Day")
    Holiday.objects.create(date=D(2026, 10, 10), is_workday=True, name="国庆节调休")
    forget_holidays()


def _duty(station: Any) -> list[Shift]:
    return list(
        Shift.objects.filter(station=station, kind=ShiftKind.STATION_DUTY).order_by("starts_at")
    )


def test_a_month_rotates_among_the_grid_heads_and_skips_the_holiday(
    net: Any, official: Any, gridhead: Any, national_day: None
) -> None:
    first, second = two_heads(net, gridhead)
    station = make_station(net.c1)
    doctor = family_doctor(station)

    station_roster_generate(actor=official, station=station, year=2026, month=10)

    duty = _duty(station)
    days = [s.starts_at.astimezone(at(D(2026, 10, 1), 0).tzinfo).date() for s in duty]
    assert not {D(2026, 10, d) for d in (1, 2, 5, 6, 7)} & set(days)
    assert D(2026, 10, 10) in days  # the working Saturday
    assert D(2026, 10, 11) not in days and D(2026, 10, 17) not in days
    assert len(days) == 18 == len(set(days))
    # within the opening hours, in local time
    assert {(s.starts_at, s.ends_at) for s in duty[:1]} == {
        (at(D(2026, 10, 8), 9), at(D(2026, 10, 8), 17))
    }
    # turns alternate day by day
    people = [s.person_id for s in duty]
    assert people[:4] == [first.pk, second.pk, first.pk, second.pk]
    assert people.count(first.pk) == people.count(second.pk) == 9
    assert {s.grid_id for s in duty} == {net.c1.pk}
    visits = Shift.objects.filter(station=station, kind=ShiftKind.VISITING)
    assert sorted(s.starts_at for s in visits) == [
        at(D(2026, 10, d), 9) for d in (9, 13, 16, 20, 23, 27, 30)
    ]
    assert {s.person_id for s in visits} == {doctor.pk}


def test_regenerating_later_in_the_month_keeps_the_past_days(
    net: Any, official: Any, gridhead: Any, national_day: None, time_machine: Any
) -> None:
    two_heads(net, gridhead)
    station = make_station(net.c1)
    station_roster_generate(actor=official, station=station, year=2026, month=10)
    before = {s.pk: (s.person_id, s.starts_at) for s in _duty(station)}
    time_machine.move_to(at(D(2026, 10, 15), 8), tick=False)

    station_roster_generate(actor=official, station=station, year=2026, month=10)

    after = _duty(station)
    past = [s for s in after if s.starts_at < at(D(2026, 10, 15), 0)]
    assert {s.pk for s in past} <= set(before)
    assert len(after) == 18
    # the same person on the same day as the first time: the turn counts the whole month
    assert sorted((p, t) for p, t in before.values()) == sorted(
        (s.person_id, s.starts_at) for s in after
    )


def test_a_grid_head_already_on_another_shift_refuses_the_month_and_names_the_row(
    net: Any, official: Any, gridhead: Any, national_day: None
) -> None:
    two_heads(net, gridhead)
    station = make_station(net.c1)
    # 8 October: the first open day, gridhead's turn; he is the community duty officer then
    shift_create(
        spec=ShiftSpec(
            gridhead.pk,
            ShiftKind.COMMUNITY_DUTY,
            net.c1.pk,
            at(D(2026, 10, 8), 8),
            at(D(2026, 10, 8), 10),
        )
    )
    with pytest.raises(InvalidInput) as err:
        station_roster_generate(actor=official, station=station, year=2026, month=10)
    problem = err.value.as_dict()["errors"][0]
    assert problem["row"] == 1 and problem["field"] == "starts_at"
    assert "已" in problem["message"] and "already on another shift" in problem["message_en"]
    assert not _duty(station)


def test_a_station_without_grid_heads_says_so(net: Any, official: Any, national_day: None) -> None:
    station = make_station(net.c1)
    with pytest.raises(InvalidInput) as err:
        station_roster_generate(actor=official, station=station, year=2026, month=10)
    assert err.value.problems[0].field == "station"
    assert not Shift.objects.exists()
