"""/api/v1/workforce: patrol plans, rounds, findings, household visits, coverage and workload.

Every list names its grid by code (``?grid=G1``); a grid out of the caller's jurisdiction
answers 404 like a missing one. Times are ISO 8601 with the Chengdu offset.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from finegrid.cases import photos as case_photos
from finegrid.core.errors import InvalidInput, Problem
from finegrid.core.schemas import Input, LongText
from finegrid.workforce import selectors_patrols as selectors
from finegrid.workforce import services_patrols as services
from finegrid.workforce.models.patrols import Finding, HouseholdVisit, PatrolPlan, PatrolRound
from finegrid.workforce.periods import parse_day, parse_period
from finegrid.workforce.permissions_patrols import visible_grid

router = Router()

MAX_DAYS = 366


class PlanOut(Schema):
    id: int
    grid: str
    kind: str
    kind_label: str
    cadence: str
    name: str
    name_en: str
    targets: int


class PlanIn(Input):
    grid: str
    kind: str = ""
    name: str = Field("", max_length=100)
    name_en: str = Field("", max_length=100)
    points: list[int] = []


class GridQuery(Input):
    grid: str = Field("", description="the code of a grid you may see")


class SpanQuery(Input):
    grid: str = Field("", description="the code of a grid you may see")
    from_: str = Field("", alias="from", description="first local day, 2026-12-01")
    to: str = Field("", description="last local day, included")


class RoundOut(Schema):
    id: int
    plan: int
    plan_name: str
    worker: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    stops: int
    findings: int


class RoundIn(Input):
    plan: int | None = None


class FinishIn(Input):
    note: str = Field("", max_length=200)


class FindingIn(Input):
    description: LongText = ""
    point: int | None = None
    household: int | None = None
    photos: list[str] = Field([], description="ids from POST /api/v1/cases/photos")
    case: bool = Field(False, description="report it as a case in the same tap")
    category: str = Field("", description="case category; the plan's own by default")


class FindingCaseIn(Input):
    category: str = ""


class FindingOut(Schema):
    id: int
    round: int
    description: str
    point: int | None
    household: int | None
    case: str | None = Field(description="the case number once reported")


class VisitIn(Input):
    household: int | None = None
    outcome: str = Field("", description="met, not_home or needs_found")
    needs: str = Field("", max_length=500)
    note: str = Field("", max_length=500)


class VisitOut(Schema):
    id: int
    household: int
    address: str
    worker: str
    micro_grid: str
    at: dt.datetime
    outcome: str
    outcome_label: str
    needs: str


class CoverageRowOut(Schema):
    grid: str
    name: str
    households: int
    households_visited: int
    households_reached: int
    visited_share: float
    points: int
    points_checked: int
    checked_share: float
    households_left: int
    points_left: int
    overdue_households: int = Field(description="left unvisited in the period before")
    overdue_points: int
    visits: int
    checkins: int


class CoverageOut(Schema):
    grid: str
    period: str
    starts_on: dt.date
    ends_on: dt.date = Field(description="the first day after the period")
    ended: bool
    total: CoverageRowOut
    micro_grids: list[CoverageRowOut]


class WorkloadRowOut(Schema):
    worker: int
    name: str
    type: str
    grids: list[str]
    households: int
    checkins: int
    point_checkins: int
    visits: int
    visits_reached: int
    coverage_share: float
    cases_reported: int
    cases_handled: int
    on_time_share: float | None
    status: str = Field(description="overloaded, idle or normal")


class WorkloadOut(Schema):
    grid: str
    since: dt.date
    until: dt.date
    workers: list[WorkloadRowOut]


def _plan(p: PatrolPlan) -> dict[str, Any]:
    return {
        "id": p.pk,
        "grid": p.grid.code,
        "kind": p.kind,
        "kind_label": str(p.get_kind_display()),
        "cadence": p.cadence,
        "name": p.name,
        "name_en": p.name_en,
        "targets": getattr(p, "n_targets", None) or p.targets.count(),
    }


def _round(r: PatrolRound) -> dict[str, Any]:
    return {
        "id": r.pk,
        "plan": r.plan_id,
        "plan_name": r.plan.name,
        "worker": str(r.worker.user),
        "started_at": timezone.localtime(r.started_at),
        "finished_at": timezone.localtime(r.finished_at) if r.finished_at else None,
        "stops": getattr(r, "n_stops", None) or r.stops.count(),
        "findings": getattr(r, "n_findings", None) or r.findings.count(),
    }


def _finding(f: Finding) -> dict[str, Any]:
    return {
        "id": f.pk,
        "round": f.round_id,
        "description": f.description,
        "point": f.point_id,
        "household": f.household_id,
        "case": f.case.number if f.case_id and f.case else None,
    }


def _visit(v: HouseholdVisit) -> dict[str, Any]:
    return {
        "id": v.pk,
        "household": v.household_id,
        "address": v.household.address,
        "worker": str(v.worker.user),
        "micro_grid": v.micro_grid.code,
        "at": timezone.localtime(v.at),
        "outcome": v.outcome,
        "outcome_label": str(v.get_outcome_display()),
        "needs": v.needs,
    }


def span(raw_from: str, raw_to: str) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    until = parse_day(raw_to, field="to", default=today)
    since = parse_day(raw_from, field="from", default=until - dt.timedelta(days=29))
    if since > until:
        raise InvalidInput([Problem(_("from must not be after to."), field="from")])
    if (until - since).days >= MAX_DAYS:
        raise InvalidInput([Problem(_("Ask for at most a year at a time."), field="from")])
    return since, until


def _bounds(since: dt.date, until: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(since, dt.time.min, tzinfo=tz),
        dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


@router.get(
    "/patrols",
    response=list[PlanOut],
    summary="Patrol plans of a grid",
    description=(
        "The active patrol plans (gas safety, fire passages, school gates) of `grid`, of the grids "
        "below it and of those above it, whose plans cover it too: kind, cadence and how many "
        "points or households they target; at most 200. Any role with a jurisdiction over the "
        "grid; a missing `grid` answers 422, a grid outside your jurisdiction 404."
    ),
)
def plans(request: HttpRequest, filters: Query[GridQuery]) -> list[dict[str, Any]]:
    grid = visible_grid(request.user, filters.grid)
    return [_plan(p) for p in selectors.plans_under(user=request.user, grid=grid)]


@router.post(
    "/patrols",
    response={201: PlanOut},
    summary="Make a patrol plan for a grid",
    description=(
        "Makes a plan of `kind` (gas_safety, fire_passage or school_gate; its cadence follows from "
        "the kind) for a grid, targeting the patrol `points` under it; the name defaults to the "
        "grid's and the kind's. Grid heads and the officials above them (403 for others); a grid "
        "outside your jurisdiction answers 404. 422 for no or an unknown kind, a point not under "
        "the grid, or a second active plan of that kind at the grid."
    ),
)
def plan_create(request: HttpRequest, payload: PlanIn) -> tuple[int, dict[str, Any]]:
    grid = visible_grid(request.user, payload.grid)
    plan = services.patrol_plan_create(
        actor=request.user,
        grid=grid,
        kind=payload.kind,
        name=payload.name,
        name_en=payload.name_en,
        point_ids=payload.points,
    )
    return 201, _plan(plan)


@router.get(
    "/rounds",
    response=list[RoundOut],
    summary="Patrol rounds under a grid",
    description=(
        "The rounds walked under `grid` that started between `from` and `to` (local days, both "
        "included; the 30 days up to today by default, a year at most), with who walked them, "
        "their stops and findings; at most 200. Any role with a jurisdiction over the grid (404 "
        "outside it). A missing grid, a malformed day, `from` after `to` or a span over a year "
        "answers 422."
    ),
)
def rounds(request: HttpRequest, filters: Query[SpanQuery]) -> list[dict[str, Any]]:
    grid = visible_grid(request.user, filters.grid)
    since, until = _bounds(*span(filters.from_, filters.to))
    found = selectors.rounds_under(user=request.user, grid=grid, since=since, until=until)
    return [_round(r) for r in found]


@router.post(
    "/rounds",
    response={200: RoundOut, 201: RoundOut},
    summary="Start a round",
    description=(
        "Starts the caller's round of a patrol `plan` (201), or answers the round of that plan "
        "they have open already (200): a second tap is no second round. Active workers only (403 "
        "for anyone without an active worker profile). A plan that is unknown, inactive or out of "
        "sight, or of a grid the worker does not serve, answers 422 naming `plan`."
    ),
)
def round_start(request: HttpRequest, payload: RoundIn) -> tuple[int, dict[str, Any]]:
    made, created = services.patrol_round_start(actor=request.user, plan_id=payload.plan)
    return (201 if created else 200), _round(made)


@router.post(
    "/rounds/{round_id}/finish",
    response=RoundOut,
    summary="Finish a round",
    description=(
        "Finishes one's own open round, with an optional `note`. Only the worker walking it (403 "
        "for another worker, or for a login that is not an active worker); a round out of sight "
        "answers 404. A round finished already answers 422."
    ),
)
def round_finish(request: HttpRequest, round_id: int, payload: FinishIn) -> dict[str, Any]:
    return _round(
        services.patrol_round_finish(actor=request.user, round_id=round_id, note=payload.note)
    )


@router.post(
    "/rounds/{round_id}/findings",
    response={201: FindingOut},
    summary="Record a finding of a round, as a case in the same tap if asked",
    description=(
        "Records what one's own round found, at a patrol point or household of the round, with up "
        "to 9 photos (ids from `POST /api/v1/cases/photos`); with `case: true` it is reported as a "
        "case at once, in the plan's category unless `category` names another. Only the worker "
        "walking the round (403 otherwise, 404 out of sight). 422 for no description, a point or "
        "household not on the round, more than 9 photos, or a case asked for a finding with no "
        "place."
    ),
)
def finding_create(
    request: HttpRequest, round_id: int, payload: FindingIn
) -> tuple[int, dict[str, Any]]:
    if len(payload.photos) > case_photos.MAX_PHOTOS:
        raise InvalidInput([Problem(_("Attach at most 9 photos."), field="photos")])
    finding = services.finding_report(
        actor=request.user,
        round_id=round_id,
        description=payload.description,
        point_id=payload.point,
        household_id=payload.household,
        photos=case_photos.photo_refs(payload.photos),
        as_case=payload.case,
        category=payload.category,
    )
    return 201, _finding(finding)


@router.post(
    "/findings/{finding_id}/case",
    response=FindingOut,
    summary="Make a finding a case",
    description=(
        "Reports a finding as a case with its place and photos, in the plan's category unless "
        "`category` names another; a finding that is a case already answers it unchanged. Anyone "
        "whose jurisdiction covers the finding (404 otherwise). A finding with no patrol point or "
        "household answers 422, as does a category the case intake refuses."
    ),
)
def finding_case(request: HttpRequest, finding_id: int, payload: FindingCaseIn) -> dict[str, Any]:
    finding = services.finding_make_case(
        actor=request.user, finding_id=finding_id, category=payload.category
    )
    return _finding(finding)


@router.get(
    "/visits",
    response=list[VisitOut],
    summary="Household visits under a grid",
    description=(
        "The household visits (入户走访) made under `grid` between `from` and `to` (local days, "
        "both included; the last 30 days by default, a year at most), with their outcome and needs "
        "found; at most 200. Any role with a jurisdiction over the grid (404 outside it). A "
        "missing grid, a malformed day or a bad span answers 422."
    ),
)
def visits(request: HttpRequest, filters: Query[SpanQuery]) -> list[dict[str, Any]]:
    grid = visible_grid(request.user, filters.grid)
    since, until = _bounds(*span(filters.from_, filters.to))
    found = selectors.visits_under(user=request.user, grid=grid, since=since, until=until)
    return [_visit(v) for v in found]


@router.post(
    "/visits",
    response={201: VisitOut},
    summary="Record a household visit",
    description=(
        "Records the caller's visit to a household of a micro-grid they serve, with its `outcome` "
        "(met, not_home, needs_found) and the needs found. Active workers only (403 otherwise). "
        "Every problem is answered in one 422: an unknown household or one outside your "
        "jurisdiction, a household of a micro-grid you do not serve, an unknown outcome, or "
        "needs_found without the needs."
    ),
)
def visit_create(request: HttpRequest, payload: VisitIn) -> tuple[int, dict[str, Any]]:
    visit = services.household_visit_record(
        actor=request.user,
        household_id=payload.household,
        outcome=payload.outcome,
        needs=payload.needs,
        note=payload.note,
    )
    return 201, _visit(visit)


def _coverage_row(row: selectors.CoverageRow) -> dict[str, Any]:
    return {
        "grid": row.code,
        "name": row.name,
        "households": row.households,
        "households_visited": row.households_visited,
        "households_reached": row.households_reached,
        "visited_share": round(row.visited_share, 4),
        "points": row.points,
        "points_checked": row.points_checked,
        "checked_share": round(row.checked_share, 4),
        "households_left": row.households_left,
        "points_left": row.points_left,
        "overdue_households": row.missed_households,
        "overdue_points": row.missed_points,
        "visits": row.visits,
        "checkins": row.checkins,
    }


class CoverageQuery(Input):
    grid: str = Field("", description="the code of a grid you may see")
    period: str = Field("", description="2026-W49, 2026-12 or 2026-Q4; this quarter if empty")


@router.get(
    "/coverage",
    response=CoverageOut,
    summary="Coverage of the micro-grids of a grid",
    description=(
        "For `period` (2026-W49, 2026-12 or 2026-Q4; this quarter by default), how many households "
        "of each micro-grid under `grid` were visited and reached and how many patrol points "
        "checked, with the total and what was left overdue from the period before; read from the "
        "rollups each check-in and visit moves. Any role with a jurisdiction over the grid (404 "
        "outside it). A missing grid or a malformed period answers 422."
    ),
)
def coverage(request: HttpRequest, filters: Query[CoverageQuery]) -> dict[str, Any]:
    grid = visible_grid(request.user, filters.grid)
    period = parse_period(filters.period)
    found = selectors.coverage_under(grid=grid, period=period)
    assert found.total is not None
    return {
        "grid": grid.code,
        "period": period.label,
        "starts_on": period.starts_on,
        "ends_on": period.ends_on,
        "ended": found.ended,
        "total": _coverage_row(found.total),
        "micro_grids": [_coverage_row(r) for r in found.rows],
    }


@router.get(
    "/workload",
    response=WorkloadOut,
    summary="Workload of the workers of a grid",
    description=(
        "Per worker serving under `grid`, between `from` and `to` (local days; the last 30 by "
        "default): households served, check-ins, visits, cases reported and handled, the share "
        "handled on time, and `status` against the grid's median — overloaded (twice the median "
        "activity or half again its households), idle (under a quarter) or normal. Any role with a "
        "jurisdiction over the grid (404 outside it); a missing grid or a bad span answers 422."
    ),
)
def workload(request: HttpRequest, filters: Query[SpanQuery]) -> dict[str, Any]:
    grid = visible_grid(request.user, filters.grid)
    since, until = span(filters.from_, filters.to)
    rows = selectors.workload_under(grid=grid, since=since, until=until)
    return {
        "grid": grid.code,
        "since": since,
        "until": until,
        "workers": [
            {
                "worker": r.worker_id,
                "name": r.name,
                "type": r.type,
                "grids": r.grids,
                "households": r.households,
                "checkins": r.checkins,
                "point_checkins": r.point_checkins,
                "visits": r.visits,
                "visits_reached": r.visits_reached,
                "coverage_share": round(r.coverage_share, 4),
                "cases_reported": r.cases_reported,
                "cases_handled": r.cases_handled,
                "on_time_share": round(r.on_time_share, 4) if r.on_time_share is not None else None,
                "status": r.status,
            }
            for r in rows
        ],
    }
