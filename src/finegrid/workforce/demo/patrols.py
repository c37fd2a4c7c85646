"""Patrols of the demo street: plans for every grid, a fire passage in every micro-grid, the
school gates, and six weeks of visits and rounds by the workers serving each micro-grid.

Everything is bulk-inserted, then the rollups are rebuilt once from the rows
(``rollups_rebuild``): the same figures the per-check-in updates would have left.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from typing import Any

from django.db import transaction
from django.utils import timezone

from finegrid.cases import clock
from finegrid.grids.models import DedicatedType, Grid, Household, Level
from finegrid.workforce import rollups
from finegrid.workforce.models import (
    Checkin,
    Code,
    CodeKind,
    HouseholdVisit,
    PatrolPlan,
    PatrolPoint,
    PatrolRound,
    PatrolTarget,
    RoundStop,
    Worker,
    WorkerGrid,
)
from finegrid.workforce.models.patrols import KIND_CADENCE, PlanKind

WEEKS = 6
# share of a micro-grid's households its worker visits in a week (so ~40 % in six weeks)
VISIT_SHARE = 0.07
OUTCOMES = (("met", 0.7), ("not_home", 0.22), ("needs_found", 0.08))
NEEDS = ("独居老人需要助餐", "楼道灯坏了", "想办理高龄补贴", "孩子放学无人接")


def seed(scale_name: str, seed_value: int) -> dict[str, int]:
    started = time.perf_counter()
    rng = random.Random(seed_value * 7919 + 23)
    now = timezone.now()
    with transaction.atomic():
        grids = list(Grid.objects.filter(level=Level.GRID).only("pk", "path", "name"))
        micros = list(
            Grid.objects.filter(level=Level.MICRO).only(
                "pk", "path", "parent_id", "center_lat", "center_lng", "name"
            )
        )
        schools = list(
            Grid.objects.filter(
                dedicated_type__in=[DedicatedType.SCHOOL, DedicatedType.KINDERGARTEN]
            ).only("pk", "path", "parent_id", "center_lat", "center_lng", "name")
        )
        points = _points(micros, schools)
        plans = _plans(grids, schools, points)
        counts = {"patrol_plans": len(plans), "patrol_points": len(points)}
        counts.update(_activity(rng, micros, points, now))
        rollups.tally_refresh()
        since = (timezone.localtime(now) - dt.timedelta(weeks=WEEKS + 1)).date()
        counts["coverage_rollups"] = rollups.rollups_rebuild(
            since=since, until=timezone.localtime(now).date()
        )
    counts["patrols_seconds"] = round(time.perf_counter() - started)
    return counts


def _points(micros: list[Grid], schools: list[Grid]) -> list[PatrolPoint]:
    rows = [
        PatrolPoint(
            name=f"{m.name}消防通道",
            micro_grid=m,
            grid_path=m.path,
            lat=(m.center_lat or 30.0) + 0.0003,
            lng=(m.center_lng or 104.0) + 0.0003,
            kind=PlanKind.FIRE_PASSAGE,
        )
        for m in micros
    ] + [
        PatrolPoint(
            name=f"{s.name}校门护学岗",
            micro_grid=s,
            grid_path=s.path,
            lat=s.center_lat or 30.0,
            lng=s.center_lng or 104.0,
            kind=PlanKind.SCHOOL_GATE,
        )
        for s in schools
    ]
    return PatrolPoint.objects.bulk_create(rows, batch_size=500)


def _plans(grids: list[Grid], schools: list[Grid], points: list[PatrolPoint]) -> list[PatrolPlan]:
    with_school = {s.parent_id for s in schools}
    rows = []
    for g in grids:
        for kind in (PlanKind.GAS_SAFETY, PlanKind.FIRE_PASSAGE):
            rows.append(_plan(g, kind))
    parents = Grid.objects.filter(pk__in=with_school).only("pk", "path", "name")
    rows += [_plan(p, PlanKind.SCHOOL_GATE) for p in parents]
    plans = PatrolPlan.objects.bulk_create(rows, batch_size=500)
    by_path = sorted(((p.grid_path, p) for p in plans), key=lambda x: -len(x[0]))
    targets = []
    for point in points:
        plan = next(
            (p for path, p in by_path if p.kind == point.kind and point.grid_path.startswith(path)),
            None,
        )
        if plan is not None:
            targets.append(
                PatrolTarget(
                    plan=plan,
                    point=point,
                    micro_grid_id=point.micro_grid_id,
                    grid_path=point.grid_path,
                )
            )
    PatrolTarget.objects.bulk_create(targets, batch_size=500)
    return plans


def _plan(grid: Grid, kind: PlanKind) -> PatrolPlan:
    names = {
        PlanKind.GAS_SAFETY: ("燃气安全入户排查", "Gas safety at every household"),
        PlanKind.FIRE_PASSAGE: ("消防通道巡查", "Fire passage patrol"),
        PlanKind.SCHOOL_GATE: ("护学岗", "School-gate duty"),
    }[kind]
    return PatrolPlan(
        grid=grid,
        grid_path=grid.path,
        kind=kind,
        cadence=KIND_CADENCE[kind],
        name=f"{grid.name}{names[0]}",
        name_en=f"{grid.name} · {names[1]}",
    )


def _activity(
    rng: random.Random, micros: list[Grid], points: list[PatrolPoint], now: dt.datetime
) -> dict[str, int]:
    """Visits and rounds by the workers serving each micro-grid; none if the street has no
    workers yet."""
    serving: dict[int, list[Worker]] = {}
    for wg in WorkerGrid.objects.filter(
        ended_at__isnull=True, worker__status="active"
    ).select_related("worker"):
        serving.setdefault(wg.grid_id, []).append(wg.worker)
    if not serving:
        return {"household_visits": 0, "patrol_rounds": 0, "checkins_patrol": 0}
    households: dict[int, list[Any]] = {}
    for pk, micro_id, path in Household.objects.values_list("pk", "micro_grid", "grid_path"):
        households.setdefault(micro_id, []).append((pk, path))
    point_of = {p.micro_grid_id: p for p in points if p.kind == PlanKind.FIRE_PASSAGE}
    plan_of = dict(PatrolTarget.objects.values_list("point", "plan"))
    codes = _codes(list(point_of.values()))
    visits: list[HouseholdVisit] = []
    rounds: list[PatrolRound] = []
    checkins: list[Checkin] = []
    today = timezone.localtime(now).date()
    for micro in micros:
        workers = serving.get(micro.pk)
        if not workers:
            continue
        homes = households.get(micro.pk, [])
        point = point_of.get(micro.pk)
        for week in range(WEEKS):
            monday = today - dt.timedelta(days=today.weekday() + 7 * week)
            for pk, path in rng.sample(homes, k=int(len(homes) * VISIT_SHARE)):
                at = _moment(rng, monday, now)
                outcome = rng.choices([o for o, _ in OUTCOMES], [w for _, w in OUTCOMES])[0]
                visits.append(
                    HouseholdVisit(
                        household_id=pk,
                        worker=rng.choice(workers),
                        micro_grid_id=micro.pk,
                        grid_path=path,
                        at=at,
                        outcome=outcome,
                        needs=rng.choice(NEEDS) if outcome == "needs_found" else "",
                    )
                )
            if point is not None and point.pk in plan_of and rng.random() < 0.8:
                worker = rng.choice(workers)
                at = _moment(rng, monday, now)
                rounds.append(
                    PatrolRound(
                        plan_id=plan_of[point.pk],
                        worker=worker,
                        grid_path=micro.path,
                        started_at=at,
                        finished_at=at + dt.timedelta(minutes=25),
                    )
                )
                code = codes[point.pk]
                checkins.append(
                    Checkin(
                        worker=worker,
                        code=code,
                        code_version=code.version,
                        grid_id=micro.pk,
                        grid_path=micro.path,
                        at=at + dt.timedelta(minutes=10),
                        lat=point.lat,
                        lng=point.lng,
                        distance_m=round(rng.uniform(2, 40), 1),
                        created_by_id=worker.user_id,
                    )
                )
    HouseholdVisit.objects.bulk_create(visits, batch_size=1000)
    PatrolRound.objects.bulk_create(rounds, batch_size=1000)
    Checkin.objects.bulk_create(checkins, batch_size=1000)
    RoundStop.objects.bulk_create(
        [
            RoundStop(round=r, checkin=c, point_id=c.code.object_id, at=c.at)
            for r, c in zip(rounds, checkins, strict=True)
        ],
        batch_size=1000,
    )
    return {
        "household_visits": len(visits),
        "patrol_rounds": len(rounds),
        "checkins_patrol": len(checkins),
    }


def _codes(points: list[PatrolPoint]) -> dict[int, Code]:
    # the codes part may have made these codes already: one per place (code_one_per_place)
    Code.objects.bulk_create(
        [
            Code(
                kind=CodeKind.PATROL_POINT,
                object_id=p.pk,
                name=p.name,
                grid_id=p.micro_grid_id,
                grid_path=p.grid_path,
                lat=p.lat,
                lng=p.lng,
            )
            for p in points
        ],
        batch_size=500,
        ignore_conflicts=True,
    )
    return {
        c.object_id: c
        for c in Code.objects.filter(
            kind=CodeKind.PATROL_POINT, object_id__in=[p.pk for p in points]
        )
    }


def _moment(rng: random.Random, monday: dt.date, now: dt.datetime) -> dt.datetime:
    """A working-day moment of the week of ``monday``, never in the future."""
    for _ in range(10):
        day = monday + dt.timedelta(days=rng.randrange(7))
        if not clock.is_workday(day):
            continue
        at = dt.datetime.combine(
            day, dt.time(rng.randrange(9, 17), rng.randrange(60)), tzinfo=clock.LOCAL
        )
        if at < now:
            return at
    return now - dt.timedelta(hours=rng.uniform(1, 48))
