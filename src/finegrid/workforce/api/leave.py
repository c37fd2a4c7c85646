"""/api/v1/workforce/leaves: record leave with a reason (and a substitute), cancel it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema

from finegrid.accounts.models import User
from finegrid.core.errors import InvalidInput, Problem
from finegrid.core.openapi import refuses
from finegrid.core.schemas import Input
from finegrid.workforce import services_leave
from finegrid.workforce.models import Leave

router = Router()


class LeaveIn(Input):
    person: int | None = Field(None, description="user id; yourself if omitted")
    starts_at: dt.datetime = Field(description="ISO 8601 with an offset")
    ends_at: dt.datetime = Field(description="ISO 8601 with an offset")
    reason: str = Field(max_length=200)
    substitute: int | None = Field(None, description="user id of who stands in")


class LeaveOut(Schema):
    id: int
    person: int
    person_name: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    reason: str
    substitute: int | None
    substitute_name: str
    cancelled_at: dt.datetime | None


def leave_out(leave: Leave) -> dict[str, Any]:
    def local(v: dt.datetime | None) -> dt.datetime | None:
        return timezone.localtime(v) if v is not None else None

    return {
        "id": leave.pk,
        "person": leave.person_id,
        "person_name": str(leave.person),
        "starts_at": local(leave.starts_at),
        "ends_at": local(leave.ends_at),
        "reason": leave.reason,
        "substitute": leave.substitute_id,
        "substitute_name": str(leave.substitute) if leave.substitute else "",
        "cancelled_at": local(leave.cancelled_at),
    }


def _user(user_id: int | None, field: str, default: Any = None) -> Any:
    if user_id is None:
        return default
    found = User.objects.filter(pk=user_id, is_active=True).first()
    if found is None:
        raise InvalidInput([Problem(_("No such person."), field=field)])
    return found


@router.post(
    "/leaves",
    response={201: LeaveOut},
    url_name="workforce_leave_create",
    summary="Record leave, with a reason and a substitute",
    description=(
        "Records that `person` (yourself by default) is away from `starts_at` to `ends_at`, with a "
        "`reason`; on-duty answers skip them meanwhile and call `substitute` instead. Anyone for "
        "themselves; grid heads and community and street officials for the people of their grids "
        "(403 for anyone else). Every problem is answered in one 422: a time without an offset, no "
        "reason, an end before the start, more than a year, standing in for oneself, an unknown "
        "person, or leave overlapping the person's other leave."
    ),
)
def create(request: HttpRequest, payload: LeaveIn) -> tuple[int, dict[str, Any]]:
    person = _user(payload.person, "person", default=request.user)
    substitute = _user(payload.substitute, "substitute")
    leave = services_leave.leave_create(
        actor=request.user,
        person=person,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        reason=payload.reason,
        substitute=substitute,
    )
    return 201, leave_out(leave)


@router.post(
    "/leaves/{leave_id}/cancel",
    response=LeaveOut,
    url_name="workforce_leave_cancel",
    summary="Cancel leave: the person is called again from now on",
    description=(
        "Cancels leave, in whole or what is left of it: from now on-duty answers call the person "
        "again. The person themselves, or a grid head or official over their grids (403 for "
        "others; an unknown id answers 404). Leave cancelled already answers 409."
    ),
    openapi_extra=refuses(409, "The leave was cancelled already. 已取消。"),
)
def cancel(request: HttpRequest, leave_id: int) -> dict[str, Any]:
    leave = services_leave.leave_get(actor=request.user, leave_id=leave_id)
    return leave_out(services_leave.leave_cancel(actor=request.user, leave=leave))
