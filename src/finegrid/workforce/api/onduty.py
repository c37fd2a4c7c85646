"""GET /api/v1/workforce/on-duty: whom to call for a micro-grid now (or at ``at``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from finegrid.core.schemas import Input
from finegrid.workforce import onduty
from finegrid.workforce.permissions_onduty import access_on_duty

router = Router()


class OnDutyQuery(Input):
    grid: str = Field(description="code of a micro-grid or a dedicated grid")
    at: str | None = Field(
        None, description="ISO 8601 with an offset, e.g. 2026-12-02T20:30+08:00; now if omitted"
    )


class DutyPersonOut(Schema):
    id: int
    name: str
    worker_id: int | None
    status: str


class EntryOut(Schema):
    role: str = Field(description="the slot: micro_worker, grid_head_hours, extended_shift, …")
    reason: str = Field(description="why: the slot's code, substitute, duty_phone, on_leave, …")
    message: str = Field(description="in zh-hans")
    message_en: str
    person: DutyPersonOut | None
    phone_masked: str
    phone: str = Field(description="only for a duty phone (an office line); empty for a person")
    grid: str
    shift_id: int | None
    station_id: int | None
    until: dt.datetime | None


class OnDutyOut(Schema):
    grid: str
    grid_name: str
    at: dt.datetime
    workday: bool
    entries: list[EntryOut] = Field(description="whom to call, first first; never empty")
    skipped: list[EntryOut] = Field(description="who was left out, and why")


@router.get(
    "/on-duty",
    response=OnDutyOut,
    url_name="workforce_on_duty",
    summary="Whom to call for a micro-grid now (or at a given time)",
    description=(
        "Whom to call for a micro-grid or dedicated grid at `at` (now by default), first first: "
        "its micro-grid workers, the grid head in working hours (or whoever holds an extended "
        "shift outside them), the duty holder of each station serving it, the community's duty "
        "officer; someone on leave gives way to their substitute, and with nobody on duty the list "
        "ends in the nearest duty phone, so `entries` is never empty. `skipped` says who was left "
        "out and why (on leave, not active, …). Any role whose jurisdiction covers the grid; a "
        "grid outside it answers 403. An unknown code, a grid that is not a leaf, or a time "
        "without an offset answers 422."
    ),
)
def on_duty(request: HttpRequest, filters: Query[OnDutyQuery]) -> dict[str, Any]:
    at = onduty.parse_at(filters.at)
    grid = onduty.leaf_by_code(filters.grid)
    access_on_duty(request.user, grid.path)
    return onduty.on_duty(grid=grid, at=at).as_dict()
