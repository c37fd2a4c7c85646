"""The emergency call's figures per community and month, in the manner of the UK TEC quality
standard and NENA's call-handling measures: how many calls, how fast the first acknowledgement
came (median, 90th percentile), the share acknowledged within 60 s and within 180 s against the
standard's 97.5 % and 99 %, how fast someone arrived, the outcomes, and how many calls ran the
whole chain unanswered.

Read from ``EmergencyCall`` rows in one query for any number of communities and months (the
``care_call_community`` index on community and creation time serves it), then counted in Python:
a community has a few hundred calls a month at most. Months are Beijing calendar months.
The cockpit reads :func:`figures_for` with community ids it has already scoped.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finegrid.accounts.jurisdiction import scope_for
from finegrid.care.models import CallEvent, EmergencyCall, EventKind, Outcome
from finegrid.care.roles import OFFICIALS
from finegrid.core.errors import InvalidInput, NotFound, Problem
from finegrid.grids.models import Grid, Level

LOCAL = ZoneInfo("Asia/Shanghai")
# the TEC Quality Standards Framework: alarm calls answered within 60 s and within 180 s
STANDARD = {60: 97.5, 180: 99.0}
MAX_MONTHS = 24
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass
class Figures:
    community: Grid
    month: dt.date  # the first day of the month
    calls: int = 0
    acknowledged: int = 0
    ack_median: float | None = None
    ack_p90: float | None = None
    # share (%) acknowledged within 60 s and 180 s, of the calls decided by then
    within: dict[int, float | None] = field(default_factory=dict)
    arrived: int = 0
    arrival_median: float | None = None
    arrival_p90: float | None = None
    outcomes: dict[str, int] = field(default_factory=dict)
    unanswered: int = 0

    @property
    def month_text(self) -> str:
        return f"{self.month:%Y-%m}"

    def meets(self, seconds: int) -> bool | None:
        share = self.within.get(seconds)
        return None if share is None else share >= STANDARD[seconds]

    def as_dict(self) -> dict[str, Any]:
        return {
            "community": self.community.code,
            "community_name": self.community.name,
            "month": self.month_text,
            "calls": self.calls,
            "acknowledged": self.acknowledged,
            "ack_seconds": {"median": self.ack_median, "p90": self.ack_p90},
            "within_60s": self.within.get(60),
            "within_180s": self.within.get(180),
            "meets_60s": self.meets(60),
            "meets_180s": self.meets(180),
            "arrived": self.arrived,
            "arrival_seconds": {"median": self.arrival_median, "p90": self.arrival_p90},
            "outcomes": self.outcomes,
            "unanswered": self.unanswered,
        }


def parse_month(raw: str | None) -> dt.date:
    """``YYYY-MM`` as the first day of that month; the current Beijing month when empty."""
    if not raw:
        return timezone.localdate().replace(day=1)
    found = MONTH_RE.match(raw.strip())
    if found is None or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 2000:
        raise InvalidInput(Problem(_("Give the month as YYYY-MM, e.g. 2026-03."), field="month"))
    return dt.date(int(found.group(1)), int(found.group(2)), 1)


def add_months(first: dt.date, n: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def _start(first: dt.date) -> dt.datetime:
    return dt.datetime.combine(first, dt.time(0), tzinfo=LOCAL)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _median(values: list[float]) -> float | None:
    return _rounded(statistics.median(values)) if values else None


def _p90(values: list[float]) -> float | None:
    """The nearest-rank 90th percentile: the smallest value at or above 90 % of the values."""
    if not values:
        return None
    ordered = sorted(values)
    return _rounded(ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)])


def _share(hits: int, of: int) -> float | None:
    return round(100.0 * hits / of, 1) if of else None


def _figure(
    community: Grid, month: dt.date, rows: list[tuple[Any, ...]], now: dt.datetime
) -> Figures:
    out = Figures(community=community, month=month, calls=len(rows))
    acks: list[float] = []
    arrivals: list[float] = []
    outcomes: Counter[str] = Counter()
    decided = {s: 0 for s in STANDARD}
    hits = {s: 0 for s in STANDARD}
    for created, acked, arrived, outcome, exhausted in rows:
        ack = (acked - created).total_seconds() if acked else None
        if ack is not None:
            acks.append(max(ack, 0.0))
        if arrived:
            arrivals.append(max((arrived - created).total_seconds(), 0.0))
        if outcome:
            outcomes[outcome] += 1
        out.unanswered += bool(exhausted)
        for s in STANDARD:
            # a call counts once it is decided: acknowledged, unanswered by the whole chain,
            # or older than the limit (a call pressed a moment ago has not failed yet)
            if ack is not None or exhausted or (now - created).total_seconds() >= s:
                decided[s] += 1
                hits[s] += ack is not None and ack <= s
    out.acknowledged = len(acks)
    out.ack_median, out.ack_p90 = _median(acks), _p90(acks)
    out.arrived = len(arrivals)
    out.arrival_median, out.arrival_p90 = _median(arrivals), _p90(arrivals)
    out.within = {s: _share(hits[s], decided[s]) for s in STANDARD}
    out.outcomes = {o: outcomes.get(o, 0) for o in Outcome.values}
    return out


def figures_for(
    *, communities: list[Grid], first: dt.date, months: int = 1, now: dt.datetime | None = None
) -> list[Figures]:
    """The figures of each community for ``months`` months from ``first``, month by month:
    one query whatever the number of communities and months."""
    now = now or timezone.now()
    start, end = _start(first), _start(add_months(first, months))
    exhausted = CallEvent.objects.filter(call=OuterRef("pk"), kind=EventKind.UNANSWERED)
    rows = (
        EmergencyCall.objects.filter(
            community_id__in=[c.pk for c in communities],
            created_at__gte=start,
            created_at__lt=end,
        )
        .annotate(exhausted=Exists(exhausted))
        .values_list(
            "community_id", "created_at", "acknowledged_at", "arrived_at", "outcome", "exhausted"
        )
    )
    grouped: dict[tuple[int, dt.date], list[tuple[Any, ...]]] = {}
    for community_id, created, *rest in rows.iterator():
        month = created.astimezone(LOCAL).date().replace(day=1)
        grouped.setdefault((community_id, month), []).append((created, *rest))
    out = []
    for community in communities:
        for n in range(months):
            month = add_months(first, n)
            out.append(_figure(community, month, grouped.get((community.pk, month), []), now))
    return out


def communities_in_scope(*, user: Any) -> list[Grid]:
    """The communities the user oversees whole (as an official): figures are per community."""
    scope = scope_for(user, roles=OFFICIALS)
    return list(scope.filter(Grid.objects.filter(level=Level.COMMUNITY), "path").order_by("path"))


def community_for_figures(*, user: Any, code: str) -> Grid:
    grid = Grid.objects.filter(code=code, level=Level.COMMUNITY).first()
    if grid is None or not scope_for(user, roles=OFFICIALS).covers(grid.path):
        raise NotFound(_("No community with this code in your jurisdiction."), field="community")
    return grid


def figures(*, user: Any, community: str = "", month: str = "", months: int = 1) -> list[Figures]:
    """The figures the user may read: one community's or every community they oversee."""
    if not 1 <= months <= MAX_MONTHS:
        raise InvalidInput(
            Problem(
                _("months must be between 1 and %(n)d."), field="months", params={"n": MAX_MONTHS}
            )
        )
    last = parse_month(month)
    if community:
        chosen = [community_for_figures(user=user, code=community)]
    else:
        chosen = communities_in_scope(user=user)
    return figures_for(communities=chosen, first=add_months(last, 1 - months), months=months)
