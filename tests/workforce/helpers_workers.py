"""Shared helpers of the workers tests: a profile made through the service, and moved along."""

from __future__ import annotations

import json
from typing import Any

from finegrid.accounts.models import User
from finegrid.grids.models import Grid
from finegrid.workforce import services_workers as services
from finegrid.workforce.models import Origin, Worker, WorkerStatus, WorkerType

TO_ACTIVE = [WorkerStatus.VETTED, WorkerStatus.TRAINED, WorkerStatus.ACTIVE]


def profile(
    user: User,
    grid: Grid,
    *,
    actor: User,
    active: bool = True,
    type: str = WorkerType.MICRO_WORKER,
    origin: str = Origin.PARTY_MEMBER,
    phone: str = "13912345678",
    more: list[Grid] | None = None,
) -> Worker:
    worker = services.worker_create(
        actor=actor,
        user=user,
        data=services.WorkerData(
            type=type, origin=origin, grids=[grid, *(more or [])], phone=phone, skills=["急救"]
        ),
    )
    if active:
        for to in TO_ACTIVE:
            services.worker_move(actor=actor, worker=worker, to=to, reason="按导则")
    return worker


def post(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")
