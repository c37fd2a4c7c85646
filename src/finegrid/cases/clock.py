"""Deadlines on a working-hours calendar with holidays, and the warning colours (分色预警).

Working hours are local (Asia/Shanghai); storage is UTC. A weekday is a working day unless a
:class:`Holiday` row says otherwise; a weekend day is not, unless a row marks it a working day
(调休上班).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from finegrid.cases.models import Colour

LOCAL = ZoneInfo("Asia/Shanghai")
# 上午 9:00–12:00, 下午 13:00–18:00: eight working hours a day.
WORK_PERIODS = ((dt.time(9, 0), dt.time(12, 0)), (dt.time(13, 0), dt.time(18, 0)))
WORKDAY_MINUTES = sum(
    (dt.datetime.combine(dt.date.min, b) - dt.datetime.combine(dt.date.min, a)).seconds // 60
    for a, b in WORK_PERIODS
)
# The last quarter of a clock is the warning window (yellow).
WARNING_SHARE = 0.25

_holidays: tuple[float, dict[dt.date, bool]] = (0.0, {})


def holidays() -> dict[dt.date, bool]:
    """Date → is a working day, for the exceptions; cached for a minute per process."""
    global _holidays
    loaded_at, table = _holidays
    if time.monotonic() - loaded_at > 60:
        from finegrid.cases.models import Holiday

        table = dict(Holiday.objects.values_list("date", "is_workday"))
        _holidays = (time.monotonic(), table)
    return table


def forget_holidays() -> None:
    global _holidays
    _holidays = (0.0, {})


def is_workday(day: dt.date, table: dict[dt.date, bool] | None = None) -> bool:
    table = holidays() if table is None else table
    return table.get(day, day.weekday() < 5)


def add_working_minutes(
    start: dt.datetime, minutes: int, table: dict[dt.date, bool] | None = None
) -> dt.datetime:
    """The moment ``minutes`` of working time after ``start`` (aware; answered in UTC)."""
    table = holidays() if table is None else table
    current = start.astimezone(LOCAL)
    left = dt.timedelta(minutes=minutes)
    for _day in range(3660):  # ten years of calendar is more than any clock needs
        if is_workday(current.date(), table):
            for begin, end in WORK_PERIODS:
                period_start = current.replace(
                    hour=begin.hour, minute=begin.minute, second=0, microsecond=0
                )
                period_end = current.replace(
                    hour=end.hour, minute=end.minute, second=0, microsecond=0
                )
                if current >= period_end:
                    continue
                s = max(current, period_start)
                available = period_end - s
                if left <= available:
                    return (s + left).astimezone(dt.UTC)
                left -= available
                current = period_end
        current = (current + dt.timedelta(days=1)).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
    raise ValueError("no working time in ten years: check the holiday table")


def due(start: dt.datetime, minutes: int, *, working_hours: bool) -> dt.datetime:
    if working_hours:
        return add_working_minutes(start, minutes)
    return start + dt.timedelta(minutes=minutes)


@dataclass(frozen=True)
class ClockState:
    colour: str
    # the next instant at which the colour can change, or None once it is red for good
    next_change: dt.datetime | None


def colour_of(
    *,
    now: dt.datetime,
    started: dt.datetime,
    deadline: dt.datetime,
    safety_critical: bool,
    critical: bool,
) -> ClockState:
    """Blue on time, yellow in the last quarter, orange overdue, red when overdue by a whole clock
    again — or at once for a safety-critical case that is overdue or critical."""
    budget = max(deadline - started, dt.timedelta(minutes=1))
    warn_at = deadline - budget * WARNING_SHARE
    badly_at = deadline + budget
    if safety_critical and critical:
        return ClockState(Colour.RED, None)
    if now >= badly_at:
        return ClockState(Colour.RED, None)
    if now >= deadline:
        return ClockState(
            Colour.RED if safety_critical else Colour.ORANGE, None if safety_critical else badly_at
        )
    if now >= warn_at:
        return ClockState(Colour.YELLOW, deadline)
    return ClockState(Colour.BLUE, warn_at)
