"""The coverage and workload rollups, moved by each check-in and visit in its own transaction.

A check-in or a visit adds to the counters of its micro-grid for the week, month and quarter it
falls in, and to its worker's day. Whether it is the *first* check of a point (or visit of a
household) in a period is answered by the point's or household's last time, kept in
``PointState`` / ``HouseholdState`` and locked while it is read, so two check-ins of one point at
once cannot both count as the first. Nothing here scans check-ins or visits; ``rollups_rebuild``
does, once, for data that was bulk-inserted (the demo) or to repair.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from finegrid.core.paths import under
from finegrid.grids.models import Grid, Household, Level
from finegrid.workforce.models.codes import Checkin, CodeKind
from finegrid.workforce.models.patrols import (
    REACHED_OUTCOMES,
    CoverageRollup,
    CoverageTally,
    HouseholdState,
    HouseholdVisit,
    PatrolRound,
    PatrolTarget,
    PeriodKind,
    PointState,
    RoundStop,
    WorkerDay,
)
from finegrid.workforce.periods import Period, period_of, periods_at


def _bump(model: Any, keys: dict[str, Any], extra: dict[str, Any], **add: int) -> None:
    """Add to the counters of the row ``keys`` names, making it if it is the first."""
    add = {name: n for name, n in add.items() if n}
    rows = model.objects.filter(**keys)
    if add and rows.update(**{name: F(name) + n for name, n in add.items()}):
        return
    if not add and rows.exists():
        return
    try:
        # a savepoint: a row made meanwhile by a parallel first (PostgreSQL) must not break
        # the caller's transaction, only send us back to the update
        with transaction.atomic():
            model.objects.create(**keys, **extra, **add)
    except IntegrityError:
        rows.update(**{name: F(name) + n for name, n in add.items()})


def _first_in(prior: dt.datetime | None, period: Period) -> bool:
    # check-ins and visits arrive as they happen; one recorded late, after a later one of the
    # same point, counts toward its period only if nothing later was recorded there
    return prior is None or prior < period.start_at()


def on_checkin(checkin: Checkin) -> None:
    """ON_CHECKIN hook: coverage, the worker's day and the open round of a patrol point."""
    code = checkin.code
    point_id = code.object_id if code.kind == CodeKind.PATROL_POINT else None
    prior = None
    if point_id is not None:
        state = PointState.objects.select_for_update().filter(point_id=point_id).first()
        prior = state.last_checked_at if state else None
        if state is None:
            PointState.objects.create(point_id=point_id, last_checked_at=checkin.at)
        elif checkin.at > state.last_checked_at:
            PointState.objects.filter(pk=state.pk).update(last_checked_at=checkin.at)
    for period in periods_at(checkin.at):
        _bump(
            CoverageRollup,
            {
                "micro_grid_id": checkin.grid_id,
                "period": period.kind,
                "starts_on": period.starts_on,
            },
            {"grid_path": checkin.grid_path},
            checkins=1,
            points_checked=int(point_id is not None and _first_in(prior, period)),
        )
    _bump(
        WorkerDay,
        {
            "worker_id": checkin.worker_id,
            "micro_grid_id": checkin.grid_id,
            "day": timezone.localtime(checkin.at).date(),
        },
        {"grid_path": checkin.grid_path},
        checkins=1,
        point_checkins=int(point_id is not None),
    )
    if point_id is not None:
        open_round = (
            PatrolRound.objects.filter(
                worker_id=checkin.worker_id,
                finished_at__isnull=True,
                plan__active=True,
                plan__targets__point_id=point_id,
            )
            .only("pk")
            .first()
        )
        if open_round is not None:
            RoundStop.objects.create(
                round=open_round, checkin=checkin, point_id=point_id, at=checkin.at
            )


def on_visit(visit: HouseholdVisit) -> None:
    """Called by ``household_visit_record`` inside its transaction."""
    state = HouseholdState.objects.select_for_update().filter(household_id=visit.household_id)
    found = state.first()
    reached = visit.outcome in REACHED_OUTCOMES
    prior_visit = found.last_visited_at if found else None
    prior_reach = found.last_reached_at if found else None
    if found is None:
        HouseholdState.objects.create(
            household_id=visit.household_id,
            micro_grid_id=visit.micro_grid_id,
            last_visited_at=visit.at,
            last_reached_at=visit.at if reached else None,
            last_outcome=visit.outcome,
        )
    elif visit.at >= found.last_visited_at:
        changes: dict[str, Any] = {"last_visited_at": visit.at, "last_outcome": visit.outcome}
        if reached:
            changes["last_reached_at"] = visit.at
        state.update(**changes)
    for period in periods_at(visit.at):
        _bump(
            CoverageRollup,
            {
                "micro_grid_id": visit.micro_grid_id,
                "period": period.kind,
                "starts_on": period.starts_on,
            },
            {"grid_path": visit.grid_path},
            visits=1,
            households_visited=int(_first_in(prior_visit, period)),
            households_reached=int(reached and _first_in(prior_reach, period)),
        )
    _bump(
        WorkerDay,
        {
            "worker_id": visit.worker_id,
            "micro_grid_id": visit.micro_grid_id,
            "day": timezone.localtime(visit.at).date(),
        },
        {"grid_path": visit.grid_path},
        visits=1,
        visits_reached=int(reached),
    )


def tally_refresh(*, prefix: str = "") -> int:
    """Recount the households and patrol points of every micro-grid under ``prefix``."""
    micros = Grid.objects.filter(level=Level.MICRO)
    if prefix:
        micros = micros.filter(under("path", prefix))
    households = dict(
        Household.objects.filter(micro_grid__in=micros)
        .values("micro_grid")
        .annotate(n=Count("id"))
        .values_list("micro_grid", "n")
    )
    points = dict(
        PatrolTarget.objects.filter(micro_grid__in=micros, plan__active=True)
        .values("micro_grid")
        .annotate(n=Count("point", distinct=True))
        .values_list("micro_grid", "n")
    )
    now = timezone.now()
    rows = [
        CoverageTally(
            micro_grid_id=pk,
            grid_path=path,
            households=households.get(pk, 0),
            points=points.get(pk, 0),
            refreshed_at=now,
        )
        for pk, path in micros.values_list("pk", "path")
    ]
    CoverageTally.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["micro_grid"],
        update_fields=["grid_path", "households", "points", "refreshed_at"],
    )
    return len(rows)


def raw_coverage(period: Period, prefix: str = "") -> dict[int, dict[str, int]]:
    """Coverage of every micro-grid under ``prefix`` computed from the raw visits and
    check-ins: what the rollups save (the bench's baseline, and ``rollups_rebuild``)."""
    start, end = period.start_at(), period.end_at()
    visits = HouseholdVisit.objects.filter(at__gte=start, at__lt=end)
    checkins = Checkin.objects.filter(at__gte=start, at__lt=end)
    if prefix:
        visits = visits.filter(under("grid_path", prefix))
        checkins = checkins.filter(under("grid_path", prefix))
    out: dict[int, dict[str, int]] = {}
    for row in visits.values("micro_grid").annotate(
        visits=Count("id"),
        households_visited=Count("household", distinct=True),
        households_reached=Count(
            "household", distinct=True, filter=Q(outcome__in=list(REACHED_OUTCOMES))
        ),
    ):
        out.setdefault(row.pop("micro_grid"), {}).update(row)
    for row in checkins.values("grid").annotate(
        checkins=Count("id"),
        points_checked=Count(
            "code__object_id", distinct=True, filter=Q(code__kind=CodeKind.PATROL_POINT)
        ),
    ):
        out.setdefault(row.pop("grid"), {}).update(row)
    return out


def rollups_rebuild(*, since: dt.date, until: dt.date) -> int:
    """Rebuild every rollup of the periods from ``since`` to ``until`` from the raw rows, and
    the points' and households' last times. For bulk-inserted data; not a request path."""
    with transaction.atomic():
        made = 0
        paths = dict(Grid.objects.filter(level=Level.MICRO).values_list("pk", "path"))
        for kind in PeriodKind.values:
            period = period_of(kind, since)
            while period.starts_on <= until:
                CoverageRollup.objects.filter(period=kind, starts_on=period.starts_on).delete()
                rows = [
                    CoverageRollup(
                        micro_grid_id=micro,
                        grid_path=paths.get(micro, ""),
                        period=kind,
                        starts_on=period.starts_on,
                        **{k: v for k, v in counts.items()},
                    )
                    for micro, counts in raw_coverage(period).items()
                ]
                CoverageRollup.objects.bulk_create(rows, batch_size=500)
                made += len(rows)
                period = period_of(kind, period.ends_on)
        _states_rebuild()
        _days_rebuild(paths)
    return made


def _states_rebuild() -> None:
    PointState.objects.all().delete()
    last_points = (
        Checkin.objects.filter(code__kind=CodeKind.PATROL_POINT)
        .values("code__object_id")
        .annotate(last=Max("at"))
    )
    PointState.objects.bulk_create(
        [PointState(point_id=r["code__object_id"], last_checked_at=r["last"]) for r in last_points],
        batch_size=500,
    )
    HouseholdState.objects.all().delete()
    rows = HouseholdVisit.objects.values("household", "micro_grid").annotate(
        last=Max("at"), reached=Max("at", filter=Q(outcome__in=list(REACHED_OUTCOMES)))
    )
    HouseholdState.objects.bulk_create(
        [
            HouseholdState(
                household_id=r["household"],
                micro_grid_id=r["micro_grid"],
                last_visited_at=r["last"],
                last_reached_at=r["reached"],
                last_outcome="met" if r["reached"] == r["last"] else "not_home",
            )
            for r in rows
        ],
        batch_size=500,
    )


def _days_rebuild(paths: dict[int, str]) -> None:
    WorkerDay.objects.all().delete()
    tz = timezone.get_current_timezone()
    days: dict[tuple[int, int, dt.date], WorkerDay] = {}

    def day_of(worker: int, micro: int, day: dt.date) -> WorkerDay:
        key = (worker, micro, day)
        if key not in days:
            days[key] = WorkerDay(
                worker_id=worker, micro_grid_id=micro, grid_path=paths.get(micro, ""), day=day
            )
        return days[key]

    for r in (
        Checkin.objects.annotate(day=TruncDate("at", tzinfo=tz))
        .values("worker", "grid", "day")
        .annotate(n=Count("id"), points=Count("id", filter=Q(code__kind=CodeKind.PATROL_POINT)))
    ):
        row = day_of(r["worker"], r["grid"], r["day"])
        row.checkins, row.point_checkins = r["n"], r["points"]
    for r in (
        HouseholdVisit.objects.annotate(day=TruncDate("at", tzinfo=tz))
        .values("worker", "micro_grid", "day")
        .annotate(n=Count("id"), reached=Count("id", filter=Q(outcome__in=list(REACHED_OUTCOMES))))
    ):
        row = day_of(r["worker"], r["micro_grid"], r["day"])
        row.visits, row.visits_reached = r["n"], r["reached"]
    WorkerDay.objects.bulk_create(list(days.values()), batch_size=500)
