"""Shared helpers of the patrol, visit, coverage and workload tests: workers, households,
patrol points, codes and check-ins made directly (the check-in service is another part's)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from finegrid.accounts.models import User
from finegrid.grids.models import Grid, Household
from finegrid.workforce.hooks import checkin_recorded
from finegrid.workforce.models import (
    Checkin,
    Code,
    CodeKind,
    PatrolPoint,
    Worker,
    WorkerGrid,
    WorkerStatus,
    WorkerType,
)


def make_worker(user: User, *grids: Grid, type: str = WorkerType.MICRO_WORKER) -> Worker:
    worker = Worker.objects.create(
        user=user,
        type=type,
        origin="party_member",
        status=WorkerStatus.ACTIVE,
        grid_path=grids[0].path if grids else "",
    )
    for grid in grids:
        WorkerGrid.objects.create(worker=worker, grid=grid, grid_path=grid.path)
    return worker


def make_households(micro: Grid, n: int, start: int = 1) -> list[Household]:
    return [
        Household.objects.create(
            name=f"{micro.code}-{i}",
            micro_grid=micro,
            grid_path=micro.path,
            address=f"{micro.name}{i}号",
            lat=(micro.min_lat or 30.0) + 0.001,
            lng=(micro.min_lng or 104.0) + 0.001 * i,
        )
        for i in range(start, start + n)
    ]


def make_point(micro: Grid, name: str = "消防通道", kind: str = "fire_passage") -> PatrolPoint:
    return PatrolPoint.objects.create(
        name=name,
        micro_grid=micro,
        lat=(micro.min_lat or 30.0) + 0.005,
        lng=(micro.min_lng or 104.0) + 0.002,
        kind=kind,
    )


def code_for(point: PatrolPoint) -> Code:
    code, _ = Code.objects.get_or_create(
        kind=CodeKind.PATROL_POINT,
        object_id=point.pk,
        defaults={
            "name": point.name,
            "grid": point.micro_grid,
            "grid_path": point.grid_path,
            "lat": point.lat,
            "lng": point.lng,
        },
    )
    return code


def check_in(worker: Worker, point: PatrolPoint, at: dt.datetime | None = None) -> Checkin:
    """A check-in as the check-in service records it: the row and the hooks, in one
    transaction."""
    from django.db import transaction

    code = code_for(point)
    with transaction.atomic():
        checkin = Checkin.objects.create(
            worker=worker,
            code=code,
            code_version=code.version,
            grid=code.grid,
            grid_path=code.grid_path,
            at=at or timezone.now(),
            lat=point.lat,
            lng=point.lng,
            distance_m=3.0,
            created_by=worker.user,
        )
        checkin_recorded(checkin)
    return checkin


def api(client: Any, method: str, url: str, body: Any = None) -> Any:
    if method == "get":
        return client.get(url)
    return client.post(url, body or {}, content_type="application/json")
