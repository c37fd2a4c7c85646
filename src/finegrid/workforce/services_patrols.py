"""Writes of patrols and visits: plans and their points, rounds, findings (one tap to a case),
household visits. Each service owns its transaction; the rollups move inside it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from finegrid.accounts.jurisdiction import scope_for
from finegrid.cases.models import Case, Source
from finegrid.cases.services import CaseReport, case_report
from finegrid.core.audit import audit_record
from finegrid.core.errors import Forbidden, InvalidInput, NotFound, Problem
from finegrid.core.paths import under
from finegrid.grids.models import Grid, Household
from finegrid.workforce import rollups
from finegrid.workforce.models.codes import PatrolPoint
from finegrid.workforce.models.patrols import (
    KIND_CADENCE,
    KIND_CATEGORY,
    Finding,
    HouseholdVisit,
    PatrolPlan,
    PatrolRound,
    PatrolTarget,
    PlanKind,
    VisitOutcome,
)
from finegrid.workforce.models.workers import Worker, WorkerGrid
from finegrid.workforce.permissions_patrols import access_plan_edit, acting_worker, serves


def _points_under(grid: Grid, point_ids: list[int]) -> list[PatrolPoint]:
    points = list(
        PatrolPoint.objects.filter(pk__in=point_ids).filter(under("grid_path", grid.path))
    )
    missing = sorted(set(point_ids) - {p.pk for p in points})
    if missing:
        raise InvalidInput(
            [
                Problem(
                    _("No patrol point %(id)s under this grid."),
                    field="points",
                    params={"id": missing[0]},
                )
            ]
        )
    return points


def patrol_plan_create(
    *,
    actor: Any,
    grid: Grid,
    kind: str,
    name: str = "",
    name_en: str = "",
    point_ids: list[int] | None = None,
) -> PatrolPlan:
    """A plan for ``grid``; a grid has at most one active plan of each kind."""
    access_plan_edit(actor, grid)
    if kind not in PlanKind.values:
        raise InvalidInput([Problem(_("Choose a kind of patrol."), field="kind")])
    points = _points_under(grid, point_ids or [])
    with translation.override("zh-hans"):
        default_name = f"{grid.name} · {PlanKind(kind).label}"
    with translation.override("en"):
        default_name_en = f"{grid.name} · {PlanKind(kind).label}"
    try:
        with transaction.atomic():
            plan = PatrolPlan.objects.create(
                grid=grid,
                kind=kind,
                cadence=KIND_CADENCE[PlanKind(kind)],
                name=name or default_name,
                name_en=name_en or (default_name_en if not name else ""),
            )
            PatrolTarget.objects.bulk_create(
                [
                    PatrolTarget(
                        plan=plan, point=p, micro_grid_id=p.micro_grid_id, grid_path=p.grid_path
                    )
                    for p in points
                ]
            )
            rollups.tally_refresh(prefix=grid.path)
    except IntegrityError:
        raise InvalidInput(
            [Problem(_("This grid already has an active plan of this kind."), field="kind")]
        ) from None
    return plan


def patrol_targets_add(*, actor: Any, plan: PatrolPlan, point_ids: list[int]) -> int:
    access_plan_edit(actor, plan.grid)
    points = _points_under(plan.grid, point_ids)
    with transaction.atomic():
        made = PatrolTarget.objects.bulk_create(
            [
                PatrolTarget(
                    plan=plan, point=p, micro_grid_id=p.micro_grid_id, grid_path=p.grid_path
                )
                for p in points
            ],
            ignore_conflicts=True,
        )
        rollups.tally_refresh(prefix=plan.grid_path)
    return len(made)


def _plan_for(actor: Any, plan_id: int | None) -> PatrolPlan:
    plan = (
        PatrolPlan.objects.select_related("grid").filter(pk=plan_id, active=True).first()
        if plan_id
        else None
    )
    if plan is None or not _sees_plan(actor, plan.grid_path):
        raise InvalidInput([Problem(_("No such patrol plan."), field="plan")])
    return plan


def _sees_plan(actor: Any, path: str) -> bool:
    # a plan of the grid above one's own (the grid's fire-passage plan) is one's own to walk
    scope = scope_for(actor)
    return scope.covers(path) or any(p.startswith(path) for p in scope.prefixes)


def _walked_at(worker: Worker, path: str) -> str | None:
    """Where the worker walks a plan of the grid at ``path``: the grid they serve below it,
    or the plan's grid if they serve it or a grid above; None if they serve neither."""
    served = WorkerGrid.objects.filter(worker=worker, ended_at__isnull=True).values_list(
        "grid_path", flat=True
    )
    below = sorted((p for p in served if p.startswith(path)), key=len)
    if below:
        return below[0]
    return path if any(path.startswith(p) for p in served) else None


def patrol_round_start(
    *, actor: Any, plan_id: int | None, now: dt.datetime | None = None
) -> tuple[PatrolRound, bool]:
    """Start a round (or answer the worker's open round of that plan: a second tap is no
    second round). Answers (round, created)."""
    worker = acting_worker(actor)
    plan = _plan_for(actor, plan_id)
    where = _walked_at(worker, plan.grid_path)
    if where is None:
        raise InvalidInput([Problem(_("You do not serve the grid of this plan."), field="plan")])
    open_round = PatrolRound.objects.filter(
        worker=worker, plan=plan, finished_at__isnull=True
    ).first()
    if open_round is not None:
        return open_round, False
    try:
        with transaction.atomic():
            made = PatrolRound.objects.create(
                plan=plan, worker=worker, grid_path=where, started_at=now or timezone.now()
            )
    except IntegrityError:  # a parallel tap made it first
        return PatrolRound.objects.get(worker=worker, plan=plan, finished_at__isnull=True), False
    return made, True


def _own_round(actor: Any, round_id: int | None) -> PatrolRound:
    worker = acting_worker(actor)
    found = (
        PatrolRound.objects.select_related("plan").filter(pk=round_id).first() if round_id else None
    )
    if found is None or not scope_for(actor).covers(found.grid_path):
        raise NotFound(_("No such round."), field="round")
    if found.worker_id != worker.pk:
        raise Forbidden(_("Only the worker walking a round adds to it."))
    return found


def patrol_round_finish(
    *, actor: Any, round_id: int | None, note: str = "", now: dt.datetime | None = None
) -> PatrolRound:
    found = _own_round(actor, round_id)
    if found.finished_at is not None:
        raise InvalidInput([Problem(_("This round is finished already."), field="round")])
    found.finished_at = now or timezone.now()
    found.note = note.strip()
    found.save(update_fields=["finished_at", "note", "updated_at"])
    return found


def finding_report(
    *,
    actor: Any,
    round_id: int | None,
    description: str,
    point_id: int | None = None,
    household_id: int | None = None,
    photos: list[dict[str, Any]] | None = None,
    as_case: bool = False,
    category: str = "",
) -> Finding:
    """Record what a round found; with ``as_case`` it becomes a case in the same tap."""
    found = _own_round(actor, round_id)
    problems = []
    if not description.strip():
        problems.append(Problem(_("Say what you found."), field="description"))
    point = None
    if point_id is not None:
        point = PatrolPoint.objects.filter(pk=point_id).first()
        if point is None or not point.grid_path.startswith(found.grid_path):
            problems.append(Problem(_("No such patrol point on this round."), field="point"))
    household = None
    if household_id is not None:
        household = Household.objects.filter(pk=household_id).first()
        if household is None or not household.grid_path.startswith(found.grid_path):
            problems.append(Problem(_("No such household on this round."), field="household"))
    if problems:
        raise InvalidInput(problems)
    place = point or household
    with transaction.atomic():
        finding = Finding.objects.create(
            round=found,
            point=point,
            household=household,
            grid_path=place.grid_path if place is not None else found.grid_path,
            description=description.strip(),
            photos=photos or [],
            lat=place.lat if place is not None else None,
            lng=place.lng if place is not None else None,
            reported_by=actor,
        )
        if as_case:
            _to_case(actor, finding, found.plan.kind, category)
    return finding


def finding_make_case(*, actor: Any, finding_id: int | None, category: str = "") -> Finding:
    """One tap: the finding becomes a case, with its place and its photos."""
    finding = (
        Finding.objects.select_related("round__plan").filter(pk=finding_id).first()
        if finding_id
        else None
    )
    if finding is None or not scope_for(actor).covers(finding.grid_path):
        raise NotFound(_("No such finding."), field="finding")
    if finding.case_id is not None:
        return finding
    with transaction.atomic():
        _to_case(actor, finding, finding.round.plan.kind, category)
    return finding


def _to_case(actor: Any, finding: Finding, kind: str, category: str) -> Case:
    if finding.lat is None and finding.household_id is None:
        raise InvalidInput(
            [Problem(_("Name the patrol point or household of the finding."), field="point")]
        )
    report = CaseReport(
        category=category or KIND_CATEGORY[PlanKind(kind)],
        description=finding.description,
        source=Source.PATROL,
        lat=finding.lat if finding.household_id is None else None,
        lng=finding.lng if finding.household_id is None else None,
        household_id=finding.household_id,
        photos=finding.photos,
    )
    case, _created = case_report(
        actor=actor, report=report, idempotency_key=f"finding-{finding.pk}"
    )
    finding.case = case
    finding.save(update_fields=["case", "updated_at"])
    return case


def household_visit_record(
    *,
    actor: Any,
    household_id: int | None,
    outcome: str,
    needs: str = "",
    note: str = "",
    at: dt.datetime | None = None,
) -> HouseholdVisit:
    """A visit (入户走访) by a worker serving the household's micro-grid, with its outcome."""
    worker = acting_worker(actor)
    problems = []
    household = (
        Household.objects.select_related("micro_grid").filter(pk=household_id).first()
        if household_id
        else None
    )
    if household is None or not scope_for(actor).covers(household.grid_path):
        problems.append(Problem(_("No such household."), field="household"))
    elif not serves(worker, household.grid_path):
        problems.append(
            Problem(_("You do not serve this household's micro-grid."), field="household")
        )
    if outcome not in VisitOutcome.values:
        problems.append(
            Problem(_("Choose the outcome: met, nobody at home, or needs found."), field="outcome")
        )
    elif outcome == VisitOutcome.NEEDS_FOUND and not needs.strip():
        problems.append(Problem(_("Say which needs you found."), field="needs"))
    if problems:
        raise InvalidInput(problems)
    assert household is not None
    with transaction.atomic():
        visit = HouseholdVisit.objects.create(
            household=household,
            worker=worker,
            micro_grid_id=household.micro_grid_id,
            grid_path=household.grid_path,
            at=at or timezone.now(),
            outcome=outcome,
            needs=needs.strip() if outcome == VisitOutcome.NEEDS_FOUND else "",
            note=note.strip(),
        )
        rollups.on_visit(visit)
        audit_record(
            actor=actor,
            action="create",
            target=visit,
            fields=["outcome", "needs", "note"],
            grid_path=household.grid_path,
        )
    return visit
