"""Periods of coverage: ISO weeks, months and quarters of the local (Asia/Shanghai) calendar.

A period is written ``2026-W49``, ``2026-12`` or ``2026-Q4``; a rollup row names it by its kind
and its first day.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finegrid.core.errors import InvalidInput, Problem
from finegrid.workforce.models.patrols import PeriodKind

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True)
class Period:
    kind: str
    starts_on: dt.date
    ends_on: dt.date  # the first day after the period

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.WEEK:
            year, week, _day = self.starts_on.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind == PeriodKind.MONTH:
            return f"{self.starts_on:%Y-%m}"
        return f"{self.starts_on.year}-Q{(self.starts_on.month - 1) // 3 + 1}"

    def start_at(self) -> dt.datetime:
        return _local_midnight(self.starts_on)

    def end_at(self) -> dt.datetime:
        return _local_midnight(self.ends_on)

    def previous(self) -> Period:
        return period_of(self.kind, self.starts_on - dt.timedelta(days=1))

    def ended(self, today: dt.date | None = None) -> bool:
        return (today or timezone.localdate()) >= self.ends_on


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def _next_month(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def period_of(kind: str, day: dt.date) -> Period:
    """The period of ``kind`` that holds the local ``day``."""
    if kind == PeriodKind.WEEK:
        start = day - dt.timedelta(days=day.weekday())
        return Period(kind, start, start + dt.timedelta(days=7))
    if kind == PeriodKind.MONTH:
        start = day.replace(day=1)
        return Period(kind, start, _next_month(start, 1))
    start = dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return Period(PeriodKind.QUARTER, start, _next_month(start, 3))


def periods_at(moment: dt.datetime) -> list[Period]:
    """The week, month and quarter a moment falls in (local calendar)."""
    day = timezone.localtime(moment).date()
    return [period_of(kind, day) for kind in PeriodKind.values]


def parse_period(raw: str | None, *, field: str = "period") -> Period:
    """``2026-W49``, ``2026-12`` or ``2026-Q4``; empty means this quarter."""
    text = (raw or "").strip()
    if not text:
        return period_of(PeriodKind.QUARTER, timezone.localdate())
    try:
        if m := _WEEK.match(text):
            return period_of(PeriodKind.WEEK, dt.date.fromisocalendar(int(m[1]), int(m[2]), 1))
        if m := _MONTH.match(text):
            return period_of(PeriodKind.MONTH, dt.date(int(m[1]), int(m[2]), 1))
        if m := _QUARTER.match(text):
            return period_of(PeriodKind.QUARTER, dt.date(int(m[1]), (int(m[2]) - 1) * 3 + 1, 1))
    except ValueError:
        pass
    raise InvalidInput(
        [
            Problem(
                _(
                    "%(field)s must be a week, month or quarter such as 2026-W49, 2026-12 "
                    "or 2026-Q4."
                ),
                field=field,
                params={"field": field},
            )
        ]
    )


def parse_day(raw: str | None, *, field: str, default: dt.date) -> dt.date:
    text = (raw or "").strip()
    if not text:
        return default
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            [
                Problem(
                    _("%(field)s must be a date such as 2026-12-01."),
                    field=field,
                    params={"field": field},
                )
            ]
        ) from None
