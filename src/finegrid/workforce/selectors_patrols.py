"""Reads of patrols, visits, coverage and workload: each a constant number of queries.

Coverage reads the rollups (``CoverageRollup``, ``CoverageTally``), never the check-ins; workload
reads the workers' days (``WorkerDay``) and counts cases through the cases models in two grouped
queries.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from finegrid.accounts.jurisdiction import scope_for
from finegrid.cases import clock
from finegrid.cases.models import Case
from finegrid.core.paths import under
from finegrid.grids.models import Grid, Household, Level
from finegrid.workforce.models.patrols import (
    Cadence,
    CoverageRollup,
    CoverageTally,
    HouseholdVisit,
    PatrolPlan,
    PatrolRound,
    PatrolTarget,
    PeriodKind,
    WorkerDay,
)
from finegrid.workforce.models.workers import Worker, WorkerGrid
from finegrid.workforce.periods import Period, period_of

LIST_LIMIT = 200


def plans_under(*, user: Any, grid: Grid) -> list[PatrolPlan]:
    """The plans of a grid the user sees (``visible_grid``), of the grids below it and of the
    grids above it, whose plans cover it too."""
    qs = (
        PatrolPlan.objects.filter(active=True)
        .filter(Q(under("grid_path", grid.path)) | Q(grid_path__in=_ancestors(grid)))
        .select_related("grid")
        .annotate(n_targets=Count("targets"))
        .order_by("grid_path", "kind")
    )
    return list(qs[:LIST_LIMIT])


def _ancestors(grid: Grid) -> list[str]:
    # a plan of the grid above (a community's gas-safety plan) also covers this grid
    return _ancestors_of_path(grid.path)


def rounds_under(
    *, user: Any, grid: Grid, since: dt.datetime, until: dt.datetime
) -> list[PatrolRound]:
    qs = (
        scope_for(user)
        .filter(PatrolRound.objects.all(), "grid_path")
        .filter(under("grid_path", grid.path), started_at__gte=since, started_at__lt=until)
        .select_related("plan", "worker__user")
        .annotate(
            n_stops=Count("stops", distinct=True), n_findings=Count("findings", distinct=True)
        )
    )
    return list(qs[:LIST_LIMIT])


def visits_under(
    *, user: Any, grid: Grid, since: dt.datetime, until: dt.datetime
) -> list[HouseholdVisit]:
    qs = (
        scope_for(user)
        .filter(HouseholdVisit.objects.all(), "grid_path")
        .filter(under("grid_path", grid.path), at__gte=since, at__lt=until)
        .select_related("household", "worker__user", "micro_grid")
    )
    return list(qs[:LIST_LIMIT])


@dataclass
class CoverageRow:
    grid_id: int
    code: str
    name: str
    households: int = 0
    points: int = 0
    visits: int = 0
    households_visited: int = 0
    households_reached: int = 0
    checkins: int = 0
    points_checked: int = 0
    missed_households: int = 0  # not visited in the period before
    missed_points: int = 0

    @property
    def visited_share(self) -> float:
        return self.households_visited / self.households if self.households else 0.0

    @property
    def checked_share(self) -> float:
        return self.points_checked / self.points if self.points else 0.0

    @property
    def households_left(self) -> int:
        return max(self.households - self.households_visited, 0)

    @property
    def points_left(self) -> int:
        return max(self.points - self.points_checked, 0)


@dataclass
class Coverage:
    grid: Grid
    period: Period
    ended: bool
    rows: list[CoverageRow] = field(default_factory=list)
    total: CoverageRow | None = None


_COUNTERS = ("visits", "households_visited", "households_reached", "checkins", "points_checked")


def coverage_under(*, grid: Grid, period: Period, today: dt.date | None = None) -> Coverage:
    """Coverage of every micro-grid under ``grid`` for ``period``, from the rollups: four
    queries whatever the number of micro-grids. ``missed_*`` are the households and points left
    unvisited in the period before: what is overdue now."""
    micros = Grid.objects.filter(level=Level.MICRO)
    if grid.level != Level.MICRO:
        micros = micros.filter(under("path", grid.path))
    else:
        micros = micros.filter(pk=grid.pk)
    rows = {
        pk: CoverageRow(pk, code, name)
        for pk, code, name in micros.order_by("path").values_list("pk", "code", "name")
    }
    tallies = CoverageTally.objects.filter(under("grid_path", grid.path))
    for micro, households, points in tallies.values_list("micro_grid", "households", "points"):
        if micro in rows:
            rows[micro].households, rows[micro].points = households, points
    previous = period.previous()
    rollups = CoverageRollup.objects.filter(
        under("grid_path", grid.path),
        period=period.kind,
        starts_on__in=[period.starts_on, previous.starts_on],
    ).values_list("micro_grid", "starts_on", *_COUNTERS)
    before: dict[int, tuple[int, int]] = {}
    for micro, starts_on, *counts in rollups:
        row = rows.get(micro)
        if row is None:
            continue
        if starts_on == period.starts_on:
            for name, value in zip(_COUNTERS, counts, strict=True):
                setattr(row, name, value)
        else:
            before[micro] = (counts[1], counts[4])
    for micro, row in rows.items():
        visited, checked = before.get(micro, (0, 0))
        row.missed_households = max(row.households - visited, 0)
        row.missed_points = max(row.points - checked, 0)
    total = CoverageRow(grid.pk, grid.code, grid.name)
    for row in rows.values():
        for name in (*_COUNTERS, "households", "points", "missed_households", "missed_points"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return Coverage(grid, period, period.ended(today), list(rows.values()), total)


@dataclass
class WorkloadRow:
    worker_id: int
    user_id: int
    name: str
    type: str
    grids: list[str] = field(default_factory=list)
    households: int = 0
    checkins: int = 0
    point_checkins: int = 0
    visits: int = 0
    visits_reached: int = 0
    cases_reported: int = 0
    cases_handled: int = 0
    cases_on_time: int = 0
    households_visited: int = 0
    status: str = "normal"  # overloaded / idle / normal

    @property
    def on_time_share(self) -> float | None:
        return self.cases_on_time / self.cases_handled if self.cases_handled else None

    @property
    def coverage_share(self) -> float:
        return min(self.households_visited / self.households, 1.0) if self.households else 0.0

    @property
    def activity(self) -> int:
        return self.checkins + self.visits + self.cases_reported + self.cases_handled


# Against the median of the grid's workers (decision 0023): twice the median's activity, or half
# again its households, is overloaded; under a quarter of its activity is idle.
OVERLOADED_ACTIVITY = 2.0
OVERLOADED_HOUSEHOLDS = 1.5
IDLE_ACTIVITY = 0.25


def workload_under(*, grid: Grid, since: dt.date, until: dt.date) -> list[WorkloadRow]:
    """Per worker serving a grid under ``grid``, from ``since`` to ``until`` (local days, both
    included): six queries whatever the number of workers."""
    served = WorkerGrid.objects.filter(under("grid_path", grid.path), ended_at__isnull=True)
    rows: dict[int, WorkloadRow] = {}
    micro_of: dict[int, list[int]] = {}
    for worker, user, name, kind, grid_id, code in served.values_list(
        "worker", "worker__user", "worker__user__display_name", "worker__type", "grid", "grid__code"
    ).order_by("worker__user__display_name", "worker"):
        row = rows.setdefault(worker, WorkloadRow(worker, user, name or "", kind))
        row.grids.append(code)
        micro_of.setdefault(worker, []).append(grid_id)
    start = dt.datetime.combine(since, dt.time.min, tzinfo=timezone.get_current_timezone())
    end = dt.datetime.combine(
        until + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_current_timezone()
    )
    days = (
        WorkerDay.objects.filter(day__gte=since, day__lte=until, worker__in=list(rows))
        .values("worker")
        .annotate(
            c=Sum("checkins"), p=Sum("point_checkins"), v=Sum("visits"), r=Sum("visits_reached")
        )
    )
    for d in days:
        row = rows[d["worker"]]
        row.checkins, row.point_checkins, row.visits, row.visits_reached = (
            d["c"],
            d["p"],
            d["v"],
            d["r"],
        )
    users = {row.user_id: row for row in rows.values()}
    reported = (
        Case.objects.filter(reporter__in=list(users), reported_at__gte=start, reported_at__lt=end)
        .values("reporter")
        .annotate(n=Count("id"))
    )
    for r in reported:
        users[r["reporter"]].cases_reported = r["n"]
    handled = (
        Case.objects.filter(assignee__in=list(users), resolved_at__gte=start, resolved_at__lt=end)
        .values("assignee")
        .annotate(n=Count("id"), on_time=Count("id", filter=Q(resolved_at__lte=F("resolve_due"))))
    )
    for r in handled:
        users[r["assignee"]].cases_handled, users[r["assignee"]].cases_on_time = (
            r["n"],
            r["on_time"],
        )
    quarter = period_of(PeriodKind.QUARTER, until)
    households = dict(
        CoverageTally.objects.filter(under("grid_path", grid.path)).values_list(
            "micro_grid", "households"
        )
    )
    visited = dict(
        CoverageRollup.objects.filter(
            under("grid_path", grid.path), period=PeriodKind.QUARTER, starts_on=quarter.starts_on
        ).values_list("micro_grid", "households_visited")
    )
    for worker, grids in micro_of.items():
        rows[worker].households = sum(households.get(g, 0) for g in grids)
        rows[worker].households_visited = sum(visited.get(g, 0) for g in grids)
    _judge(list(rows.values()))
    return list(rows.values())


def _judge(rows: list[WorkloadRow]) -> None:
    if not rows:
        return
    activity = statistics.median(r.activity for r in rows)
    households = statistics.median(r.households for r in rows)
    for r in rows:
        if (activity and r.activity > OVERLOADED_ACTIVITY * activity) or (
            households and r.households > OVERLOADED_HOUSEHOLDS * households
        ):
            r.status = "overloaded"
        elif r.activity < IDLE_ACTIVITY * activity or r.activity == 0:
            r.status = "idle"


# --- the worker's home: households due a visit, today's round ---------------------------------


def _served_paths(user: Any) -> tuple[Worker | None, list[str]]:
    pk = getattr(user, "pk", None)
    worker = Worker.objects.filter(user_id=pk).first() if pk is not None else None
    if worker is None:
        return None, []
    paths = list(
        WorkerGrid.objects.filter(worker=worker, ended_at__isnull=True).values_list(
            "grid_path", flat=True
        )
    )
    return worker, paths


def _any_under(field_name: str, paths: list[str]) -> Q:
    q = Q(pk__in=[])
    for p in paths:
        q |= under(field_name, p)
    return q


def households_due(*, user: Any, now: dt.datetime, limit: int = 5) -> dict[str, Any] | None:
    """The households of the worker's micro-grids not visited this quarter, longest first."""
    worker, paths = _served_paths(user)
    if worker is None or not paths:
        return None
    quarter = period_of(PeriodKind.QUARTER, timezone.localtime(now).date())
    due: QuerySet[Household] = Household.objects.filter(_any_under("grid_path", paths)).filter(
        Q(visit_state__isnull=True) | Q(visit_state__last_visited_at__lt=quarter.start_at())
    )
    first = list(
        due.select_related("visit_state").order_by("visit_state__last_visited_at", "pk")[:limit]
    )
    return {"households": first, "count": due.count(), "quarter": quarter}


@dataclass
class RoundPlan:
    plan: PatrolPlan
    due_today: bool
    targets: int = 0
    done: int = 0
    open_round: PatrolRound | None = None


# which count of checked points answers "done" for a plan of each cadence
CADENCE_COUNT: dict[str, str] = {Cadence.SCHOOL_DAY.value: "day", Cadence.WEEK.value: "week"}


def todays_round(*, user: Any, now: dt.datetime) -> dict[str, Any] | None:
    """The plans the worker walks, with how many of their points are checked in the current
    cadence (today for the school gate, this week for fire passages): five queries."""
    worker, paths = _served_paths(user)
    if worker is None or not paths:
        return None
    today = timezone.localtime(now).date()
    ancestors = {a for p in paths for a in _ancestors_of_path(p)}
    plans = list(
        PatrolPlan.objects.filter(active=True)
        .filter(_any_under("grid_path", paths) | Q(grid_path__in=ancestors | set(paths)))
        .select_related("grid")
        .order_by("kind", "grid_path")[:20]
    )
    if not plans:
        return None
    day_start = dt.datetime.combine(today, dt.time.min, tzinfo=timezone.get_current_timezone())
    week_start = period_of(PeriodKind.WEEK, today).start_at()
    quarter_start = period_of(PeriodKind.QUARTER, today).start_at()
    counts = {
        r["plan"]: r
        for r in PatrolTarget.objects.filter(plan__in=plans)
        .filter(_any_under("grid_path", paths))
        .values("plan")
        .annotate(
            total=Count("id"),
            day=Count("id", filter=Q(point__state__last_checked_at__gte=day_start)),
            week=Count("id", filter=Q(point__state__last_checked_at__gte=week_start)),
            quarter=Count("id", filter=Q(point__state__last_checked_at__gte=quarter_start)),
        )
    }
    rounds = {
        r.plan_id: r
        for r in PatrolRound.objects.filter(
            worker=worker, finished_at__isnull=True, plan__in=plans
        ).select_related("plan")
    }
    school_day = clock.is_workday(today)
    out = []
    for plan in plans:
        c = counts.get(plan.pk, {})
        key = CADENCE_COUNT.get(plan.cadence, "quarter")
        out.append(
            RoundPlan(
                plan=plan,
                due_today=school_day if plan.cadence == Cadence.SCHOOL_DAY else True,
                targets=c.get("total", 0),
                done=c.get(key, 0),
                open_round=rounds.get(plan.pk),
            )
        )
    return {"plans": out, "school_day": school_day, "worker": worker}


def _ancestors_of_path(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts))]
