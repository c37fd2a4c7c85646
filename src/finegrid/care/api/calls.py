"""/api/v1/care/emergency-calls: press, read, acknowledge, on the way, arrive, close.

A press comes from a device (its key in ``X-Device-Key``), from the resident's own login (session
or API token), or from a worker at a door nobody opens (``source: knock`` with the enrolment).
A call outside what the caller may read answers 404; an action the caller may not take 403; one
the call's state does not allow 409. Every refusal is recorded (``Refusal``).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Field, Header, Query, Router, Schema
from ninja.security import APIKeyHeader

from finegrid.accounts.api import API_AUTH
from finegrid.accounts.models import User
from finegrid.care import selectors, services, services_enrolment
from finegrid.care.models import CallSource, Device, EmergencyCall, Enrolment, RefusalKind
from finegrid.core.audit import client_ip
from finegrid.core.errors import Forbidden, InvalidInput, NotFound, Problem
from finegrid.core.schemas import Input

router = Router(auth=API_AUTH)

MAX_KEY = 100


class DeviceKey(APIKeyHeader):
    """A device's key in ``X-Device-Key``. A wrong key is refused (and recorded) at once, not
    passed on to the next way of logging in."""

    param_name = "X-Device-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> Device | None:
        if not key:
            return None
        return services_enrolment.device_for_key(key, ip=client_ip(request))


class CallIn(Input):
    enrolment: int | None = Field(None, description="the enrolment, for a worker's knock")
    source: str | None = Field(None, description="`knock` from a worker at the door")
    note: str = Field("", max_length=200)
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)


class ArriveIn(Input):
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    accuracy: float | None = Field(None, ge=0, le=100000)


class CloseIn(Input):
    outcome: str = Field("", description="false_alarm, helped, called_120 or hospital")
    note: str = Field("", max_length=500)


class CallOut(Schema):
    id: int
    status: str
    status_label: str
    source: str
    step: int
    step_role: str | None
    deadline: str | None
    raised_at: str | None
    acknowledged_by: dict[str, Any] | None
    outcome: str | None
    case: int | None


class CallDetail(CallOut):
    person: str
    place: str
    steps: list[dict[str, Any]]
    events: list[dict[str, Any]]
    arrival: dict[str, Any] | None


def _user(request: HttpRequest) -> User | None:
    user = getattr(request, "user", None)
    return user if isinstance(user, User) and user.is_authenticated else None


def _enrolment_for(request: HttpRequest, payload: CallIn) -> tuple[Enrolment, str, Device | None]:
    auth = request.auth  # type: ignore[attr-defined]
    if isinstance(auth, Device):
        return auth.enrolment, CallSource.DEVICE, auth
    user = _user(request)
    if payload.source == CallSource.KNOCK or payload.enrolment is not None:
        enrolment = services_enrolment.enrolment_for_knock(user, payload.enrolment)
        if user is not None and enrolment.person.user_id == user.pk:
            return enrolment, CallSource.RESIDENT, None
        return enrolment, CallSource.KNOCK, None
    return services_enrolment.enrolment_for_user(user), CallSource.RESIDENT, None


@router.post(
    "/emergency-calls",
    response={201: CallOut},
    auth=[DeviceKey(), *API_AUTH],
    summary="Press the emergency button (一键紧急呼叫)",
    description=(
        "From a device (`X-Device-Key`), the resident's own login, or a worker at a door nobody "
        "opens (`source: knock`, `enrolment`). Send an `Idempotency-Key`: a double press or a "
        "retry with the same key and body answers the first call (header "
        "`Idempotent-Replayed: true`); the same key with another body is refused with 422 naming "
        "`Idempotency-Key`. The call is stored before anyone is alerted."
    ),
)
def call_create(
    request: HttpRequest,
    response: HttpResponse,
    payload: CallIn,
    idempotency_key: str = Header("", alias="Idempotency-Key"),
) -> tuple[int, dict[str, Any]]:
    key = (idempotency_key or "").strip()
    if len(key) > MAX_KEY:
        raise InvalidInput(
            Problem(
                _("The Idempotency-Key is longer than 100 characters."), field="Idempotency-Key"
            )
        )
    enrolment, source, device = _enrolment_for(request, payload)
    user = _user(request)
    caller = f"d{device.pk}" if device else f"u{user.pk if user else 0}"
    body = payload.dict(exclude_none=True)
    call, created = services.call_raise(
        enrolment=enrolment,
        source=source,
        device=device,
        raised_by=None if device else user,
        body=body,
        idempotency_key=key,
        caller=caller,
        ip=client_ip(request),
    )
    if not created:
        response["Idempotent-Replayed"] = "true"
    # the caller has just made (or re-made) it: no reading check needed for its own press
    call = EmergencyCall.objects.select_related(
        "person", "household", "micro_grid", "acknowledged_by"
    ).get(pk=call.pk)
    return 201, selectors.call_summary(call)


@router.get(
    "/emergency-calls",
    response=list[CallOut],
    summary="Emergency calls I was alerted to or oversee",
    description=(
        "The emergency calls you raised or are the person of, were alerted to in their chain,"
        " or oversee as an official (grid head, grid worker, community or street official, "
        "street leader, system administrator) over their grid, newest first. `status` is "
        "`open` (default), `all` or one status; `limit` 1-500 (422 otherwise)."
    ),
)
def calls_list(
    request: HttpRequest,
    status: str = Query("open", description="open, all, or one status"),
    limit: int = Query(50, ge=1, le=500),
) -> list[dict[str, Any]]:
    user = _user(request)
    if user is None:
        raise Forbidden(_("Log in to see emergency calls."))
    return [
        selectors.call_summary(c) for c in selectors.calls_list(user, status=status, limit=limit)
    ]


@router.get(
    "/emergency-calls/{call_id}",
    response=CallDetail,
    summary="One emergency call: status, steps, alerts, acknowledgement and trace",
    description=(
        "One emergency call with its chain steps, alerts sent, who acknowledged it, arrival "
        "and trace, for whoever raised it or is its person, anyone alerted in its chain, and "
        "the officials over its grid. Any other call answers 404 as if it did not exist."
    ),
)
def call_read(request: HttpRequest, call_id: int) -> dict[str, Any]:
    return selectors.call_detail(selectors.call_get(_user(request), call_id))


def _act(request: HttpRequest, call_id: int) -> tuple[User, EmergencyCall]:
    """The caller and the call, for an action. Someone who may not read it is told it does not
    exist, and the attempt is recorded when it does."""
    user = _user(request)
    call = (
        EmergencyCall.objects.select_related("person", "household", "micro_grid")
        .filter(pk=call_id)
        .first()
    )
    if call is None or user is None:
        raise NotFound(_("No such emergency call."))
    if not services.may_read(call, user):
        services_enrolment.refusal_record(
            kind=RefusalKind.OUTSIDE_CHAIN, call=call, actor=user, ip=client_ip(request)
        )
        raise NotFound(_("No such emergency call."))
    return user, call


@router.post(
    "/emergency-calls/{call_id}/acknowledge",
    response=CallDetail,
    summary="Acknowledge: the first in the chain owns the call",
    description=(
        "Take the call: the first in its chain to acknowledge owns it, the chain stops "
        "escalating and the rest are told it is taken; acknowledging again is harmless. A "
        "call you may not read (not raised by or for you, not in its chain, not an official "
        "over it) answers 404 as if it did not exist, and the attempt is recorded. Someone "
        "who may read it but was not alerted in its chain answers 403; a call already taken "
        "by someone else, or closed, answers 409 naming `status`. Every refusal is recorded."
    ),
)
def call_acknowledge(request: HttpRequest, call_id: int) -> dict[str, Any]:
    user, call = _act(request, call_id)
    call = services.call_acknowledge(actor=user, call=call, ip=client_ip(request))
    return selectors.call_detail(selectors.call_get(user, call.pk))


@router.post(
    "/emergency-calls/{call_id}/on-way",
    response=CallDetail,
    summary="On my way",
    description=(
        "The one who acknowledged the call says they are on the way (from acknowledged only)."
        " A call you may not read (not raised by or for you, not in its chain, not an "
        "official over it) answers 404 as if it did not exist, and the attempt is recorded. "
        "Anyone else answers 403; a call in another state or closed answers 409 naming "
        "`status`. Every refusal is recorded."
    ),
)
def call_on_way(request: HttpRequest, call_id: int) -> dict[str, Any]:
    user, call = _act(request, call_id)
    call = services.call_on_way(actor=user, call=call, ip=client_ip(request))
    return selectors.call_detail(selectors.call_get(user, call.pk))


@router.post(
    "/emergency-calls/{call_id}/arrive",
    response=CallDetail,
    summary="Arrived at the door (with the phone's position)",
    description=(
        "The one who acknowledged the call is at the door, with the phone's `lat` and `lng` "
        "(required: 422 naming each, recorded as a refusal) and `accuracy` in metres; from "
        "acknowledged or on the way. A call you may not read (not raised by or for you, not "
        "in its chain, not an official over it) answers 404 as if it did not exist, and the "
        "attempt is recorded. Anyone else answers 403; a call in another state or closed "
        "answers 409 naming `status`."
    ),
)
def call_arrive(request: HttpRequest, call_id: int, payload: ArriveIn) -> dict[str, Any]:
    user, call = _act(request, call_id)
    call = services.call_arrive(
        actor=user,
        call=call,
        lat=payload.lat,
        lng=payload.lng,
        accuracy=payload.accuracy,
        ip=client_ip(request),
    )
    return selectors.call_detail(selectors.call_get(user, call.pk))


@router.post(
    "/emergency-calls/{call_id}/close",
    response=CallDetail,
    summary="Close with an outcome (false alarm, helped, 120 called, taken to hospital)",
    description=(
        "Close the call with an `outcome` (false_alarm, helped, called_120, hospital; 422 "
        "naming `outcome` otherwise) and a note; the chain is told. For the one who "
        "acknowledged it, or an official over its grid, once it is acknowledged. A call you "
        "may not read (not raised by or for you, not in its chain, not an official over it) "
        "answers 404 as if it did not exist, and the attempt is recorded. Someone else in the"
        " chain answers 403; a call not yet acknowledged, or already closed, answers 409 "
        "naming `status`."
    ),
)
def call_close(request: HttpRequest, call_id: int, payload: CloseIn) -> dict[str, Any]:
    user, call = _act(request, call_id)
    call = services.call_close(
        actor=user, call=call, outcome=payload.outcome, note=payload.note, ip=client_ip(request)
    )
    return selectors.call_detail(selectors.call_get(user, call.pk))
