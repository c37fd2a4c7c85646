"""/api/v1/workforce/workers: the worker profiles and their lifecycle moves.

Phones are answered masked; the full value is a page with a reason (audited), as for people in
the registry. A worker outside the caller's jurisdiction answers 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema

from finegrid.accounts.models import User
from finegrid.core.errors import InvalidInput, Problem
from finegrid.core.schemas import Input
from finegrid.workforce import selectors_workers as selectors
from finegrid.workforce import services_workers as services
from finegrid.workforce.models import Origin, Worker, WorkerGrid, WorkerStatus, WorkerType

router = Router()

MAX_LIMIT = 200


class GridServed(Schema):
    code: str
    name: str
    since: dt.datetime


class WorkerProfileOut(Schema):
    id: int
    username: str
    name: str
    type: str
    type_label: str
    origin: str
    origin_label: str
    status: str
    status_label: str
    status_since: dt.datetime
    skills: list[str]
    phone: str
    grids: list[GridServed]


class WorkerEventOut(Schema):
    at: dt.datetime
    from_status: str
    to_status: str
    reason: str
    by: str


class WorkerDetail(WorkerProfileOut):
    events: list[WorkerEventOut]
    can_manage: bool


class WorkerPage(Schema):
    count: int
    items: list[WorkerProfileOut]


class WorkerFilters(Input):
    grid: str | None = None
    type: WorkerType | None = None
    origin: Origin | None = None
    status: WorkerStatus | None = None
    limit: int = 50
    offset: int = 0


class WorkerIn(Input):
    username: str
    type: WorkerType
    origin: Origin
    grids: list[str]
    phone: str = ""
    skills: list[str] = []
    reason: str = ""


class WorkerMoveIn(Input):
    to: str
    reason: str


def _served(w: Worker) -> list[WorkerGrid]:
    return getattr(w, "current_grids", None) or selectors.worker_grids(w)


def _out(w: Worker) -> dict[str, Any]:
    return {
        "id": w.pk,
        "username": w.user.username,
        "name": str(w.user),
        "type": w.type,
        "type_label": str(w.get_type_display()),
        "origin": w.origin,
        "origin_label": str(w.get_origin_display()),
        "status": w.status,
        "status_label": str(w.get_status_display()),
        "status_since": w.status_changed_at,
        "skills": list(w.skills or []),
        "phone": w.phone_masked,
        "grids": [
            {"code": s.grid.code, "name": s.grid.name, "since": s.started_at} for s in _served(w)
        ],
    }


def _detail(request: HttpRequest, w: Worker) -> dict[str, Any]:
    from finegrid.workforce.permissions_workers import may_manage_workers

    return {
        **_out(w),
        "events": [
            {
                "at": e.at,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "reason": e.reason,
                "by": str(e.actor) if e.actor else "",
            }
            for e in selectors.worker_events(w)
        ],
        "can_manage": may_manage_workers(request.user, w.grid_path),
    }


def current_grids() -> Prefetch[Any]:
    return Prefetch(
        "served",
        queryset=WorkerGrid.objects.filter(ended_at__isnull=True)
        .select_related("grid")
        .order_by("grid__path"),
        to_attr="current_grids",
    )


@router.get(
    "/workers",
    response=WorkerPage,
    summary="List workers in your jurisdiction",
    description=(
        "The worker profiles of your jurisdiction (with `grid`, those serving it or a grid below), "
        "filtered by `type`, `origin` and `status`, phones masked; `limit` 1–200 (50 by default) "
        "from `offset`. Officials, grid heads, workers and auditors; a `grid` outside your "
        "jurisdiction answers 404. A bad limit or offset answers 422."
    ),
)
def worker_list(request: HttpRequest, filters: Query[WorkerFilters]) -> dict[str, Any]:
    if not 1 <= filters.limit <= MAX_LIMIT:
        raise InvalidInput(Problem(_("limit must be between 1 and 200."), field="limit"))
    if filters.offset < 0:
        raise InvalidInput(Problem(_("offset must not be negative."), field="offset"))
    grid = selectors.grid_for(user=request.user, code=filters.grid) if filters.grid else None
    qs = selectors.worker_list(
        user=request.user,
        grid=grid,
        type=filters.type,
        origin=filters.origin,
        status=filters.status,
    )
    page = qs.prefetch_related(current_grids())[filters.offset : filters.offset + filters.limit]
    return {"count": qs.count(), "items": [_out(w) for w in page]}


@router.post(
    "/workers",
    response={201: WorkerDetail},
    summary="Register a worker (applied)",
    description=(
        "Gives an existing login (`username`) a worker profile in the status applied (申请), "
        "serving `grids` (codes; the first is its home), with its type, origin, skills and phone "
        "(stored encrypted). Street and community officials, each for the grids below their own "
        "post (403 otherwise); a grid outside your jurisdiction answers 404. 422 for an unknown "
        "username or grid code, no grid, a login that has a profile already, more than 20 skills "
        "or a bad phone."
    ),
)
def worker_create(request: HttpRequest, payload: WorkerIn) -> tuple[int, dict[str, Any]]:
    user = User.objects.filter(username=payload.username, is_active=True).first()
    if user is None:
        raise InvalidInput(Problem(_("No active login has this username."), field="username"))
    grids = services.grids_by_code(payload.grids)
    for g in grids:
        selectors.grid_for(user=request.user, code=g.code)
    worker = services.worker_create(
        actor=request.user,
        user=user,
        data=services.WorkerData(
            type=payload.type,
            origin=payload.origin,
            grids=grids,
            phone=payload.phone,
            skills=payload.skills,
        ),
        reason=payload.reason,
        request=request,
    )
    return 201, _detail(request, worker)


@router.get(
    "/workers/{worker_id}",
    response=WorkerDetail,
    summary="One worker and their history",
    description=(
        "A worker of your jurisdiction: profile, the grids served and since when, every move of "
        "the lifecycle with its reason and who made it, and `can_manage` (whether you may move "
        "them). Phone masked. Officials, grid heads, workers and auditors; a worker outside your "
        "jurisdiction answers 404."
    ),
)
def worker_get(request: HttpRequest, worker_id: int) -> dict[str, Any]:
    return _detail(request, selectors.worker_get(user=request.user, pk=worker_id))


@router.post(
    "/workers/{worker_id}/moves",
    response=WorkerDetail,
    summary="Move a worker along the entry-and-exit lifecycle",
    description=(
        "Moves a worker to status `to` with a `reason`: applied → vetted → trained → active, "
        "active ⇄ suspended, and exited from any status (which ends their duties and grid roles at "
        "once). Street and community officials below their own post (403 otherwise); 404 outside "
        "your jurisdiction. A move the lifecycle does not allow, an unknown status or a missing "
        "reason answers 422."
    ),
)
def worker_move(request: HttpRequest, worker_id: int, payload: WorkerMoveIn) -> dict[str, Any]:
    worker = selectors.worker_get(user=request.user, pk=worker_id)
    services.worker_move(
        actor=request.user, worker=worker, to=payload.to, reason=payload.reason, request=request
    )
    return _detail(request, selectors.worker_get(user=request.user, pk=worker_id))
