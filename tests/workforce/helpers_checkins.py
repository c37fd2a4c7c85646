"""Shared set-up for the code and check-in tests: workers serving grids, a building, codes."""

from __future__ import annotations

from typing import Any

from django.test import Client

from finegrid.grids.models import Building, Grid
from finegrid.workforce.models import Code, CodeKind, Worker, WorkerGrid, WorkerStatus, WorkerType
from finegrid.workforce.services_codes import codes_ensure, payload_of

# M1 spans 104.00–104.01 E, 30.00–30.02 N (tests/conftest.py); its centre is here
M1_CENTRE = (30.01, 104.005)


def serve(user: Any, *grids: Grid, status: str = WorkerStatus.ACTIVE) -> Worker:
    """Make ``user`` a worker serving ``grids`` (rows made directly, as the brief says)."""
    worker = Worker.objects.create(
        user=user, type=WorkerType.MICRO_WORKER, origin="volunteer", status=status
    )
    for grid in grids:
        WorkerGrid.objects.create(worker=worker, grid=grid, grid_path=grid.path)
    return worker


def building_in(
    micro: Grid, name: str = "3栋", lat: float = 30.01, lng: float = 104.005
) -> Building:
    return Building.objects.create(
        name=name, micro_grid=micro, grid_path=micro.path, lat=lat, lng=lng
    )


def code_of(grid: Grid, kind: str = CodeKind.MICRO_GRID, object_id: int | None = None) -> Code:
    codes_ensure(grid=grid, kinds=[kind])
    return Code.objects.get(kind=kind, object_id=object_id if object_id is not None else grid.pk)


def payload(code: Code) -> str:
    code.refresh_from_db()
    return payload_of(code)


def post_checkin(client: Client, body: dict[str, Any], key: str = "k1") -> Any:
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(
        "/api/v1/workforce/checkins", body, content_type="application/json", headers=headers
    )
