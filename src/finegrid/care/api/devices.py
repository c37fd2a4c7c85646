"""/api/v1/care: enrolments, devices and their heartbeats, device checks, escalation chains.

Enrolments are kept by the officials over the household (``roles.OFFICIALS``); a device key
is in the answer that made it and never again (only its first characters, ``key_hint``). An
enrolment, device or chain outside the caller's jurisdiction answers 404. A device reports with
its key in ``X-Device-Key``: an unknown or revoked key is refused 403 and recorded; more than six
heartbeats a minute from one key are refused 429 with ``Retry-After``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Field, Header, Query, Router, Schema

from finegrid.accounts.api import API_AUTH
from finegrid.care import selectors_devices as selectors
from finegrid.care import services_devices, services_enrolment
from finegrid.care.models import ChainRole, Device, DeviceCheck, Enrolment
from finegrid.core.audit import client_ip
from finegrid.core.errors import InvalidInput, NotFound, Problem, bilingual
from finegrid.core.schemas import Input

router = Router(auth=API_AUTH)

MAX_LIMIT = 200


class DeviceIn(Input):
    kind: str = Field(..., description="button, phone or login (the resident's own login)")
    label: str = Field("", max_length=80)


class ContactIn(Input):
    name: str = Field(..., max_length=64)
    phone: str = Field(..., max_length=20)
    relation: str = Field("", max_length=32)


class EnrolIn(Input):
    person: int = Field(..., description="the registry person (with a current care tag)")
    devices: list[DeviceIn]
    contacts: list[ContactIn] = []
    note: str = Field("", max_length=200)


class CareReasonIn(Input):
    reason: str = Field("", max_length=200)


class DeviceCheckNoteIn(Input):
    note: str = Field("", max_length=200)


class HeartbeatIn(Input):
    battery: int | None = Field(None, description="0–100 (%)")


class ChainIn(Input):
    steps: list[dict[str, Any]] = Field(
        ..., description='[{"role": "micro_worker", "seconds": 60}, …] in order'
    )


class EnrolmentQuery(Input):
    grid: str = ""
    q: str = Field("", max_length=64)
    state: str = "open"
    limit: int = 50
    offset: int = 0


class DeviceCheckOut(Schema):
    id: int
    reason: str
    reason_label: str
    opened_at: str
    battery: int | None
    last_heartbeat_at: str | None
    device: int
    device_label: str
    key_hint: str
    enrolment: int
    person: str
    address: str
    micro_grid: str


class DeviceOut(Schema):
    id: int
    kind: str
    kind_label: str
    label: str
    key_hint: str
    key: str | None = Field(None, description="the device key: in this answer only")
    active: bool
    revoked_at: str | None
    revoke_reason: str
    last_heartbeat_at: str | None
    battery: int | None
    check: dict[str, Any] | None


class ContactOut(Schema):
    name: str
    relation: str
    phone_masked: str


class EnrolmentOut(Schema):
    id: int
    person: dict[str, Any]
    address: str
    micro_grid: dict[str, str]
    community: dict[str, str]
    care: list[str]
    enrolled_at: str
    enrolled_by: str
    note: str
    ended_at: str | None
    end_reason: str
    devices: list[DeviceOut]
    contacts: list[ContactOut]


class EnrolmentPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[EnrolmentOut]


class HeartbeatOut(Schema):
    device: str = Field(description="the key's first characters")
    at: str
    battery: int | None
    silence_hours: int


class ChainOut(Schema):
    community: str
    community_name: str
    default: bool = Field(description="true: the community has no chain of its own yet")
    may_edit: bool
    steps: list[dict[str, Any]]


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def device_item(device: Device, key: str | None = None) -> dict[str, Any]:
    checks = getattr(device, "open_checks", None)
    if checks is None:
        checks = list(device.checks.filter(closed_at__isnull=True))
    check = checks[0] if checks else None
    return {
        "id": device.pk,
        "kind": device.kind,
        "kind_label": str(device.get_kind_display()),
        "label": device.label,
        "key_hint": device.key_hint,
        "key": key or None,
        "active": device.revoked_at is None,
        "revoked_at": _iso(device.revoked_at),
        "revoke_reason": device.revoke_reason,
        "last_heartbeat_at": _iso(device.last_heartbeat_at),
        "battery": device.battery,
        "check": (
            {"id": check.pk, "reason": check.reason, "opened_at": _iso(check.opened_at)}
            if check
            else None
        ),
    }


def enrolment_item(
    e: Enrolment, care: list[str], keys: dict[int, str] | None = None
) -> dict[str, Any]:
    keys = keys or {}
    return {
        "id": e.pk,
        "person": {
            "id": e.person_id,
            "name": e.person.name,
            "phone_masked": e.person.phone_masked,
            "age": e.person.age(),
        },
        "address": e.household.address,
        "micro_grid": {"code": e.micro_grid.code, "name": e.micro_grid.name},
        "community": {"code": e.community.code, "name": e.community.name},
        "care": care,
        "enrolled_at": e.created_at.isoformat(),
        "enrolled_by": str(e.enrolled_by),
        "note": e.note,
        "ended_at": _iso(e.ended_at),
        "end_reason": e.end_reason,
        "devices": [device_item(d, keys.get(d.pk)) for d in e.devices.all()],
        "contacts": [
            {"name": c.name, "relation": c.relation, "phone_masked": c.phone_masked}
            for c in e.contacts.all()
        ],
    }


def check_item(check: DeviceCheck) -> dict[str, Any]:
    e = check.enrolment
    return {
        "id": check.pk,
        "reason": check.reason,
        "reason_label": str(check.get_reason_display()),
        "opened_at": check.opened_at.isoformat(),
        "battery": check.battery,
        "last_heartbeat_at": _iso(check.last_heartbeat_at),
        "device": check.device_id,
        "device_label": check.device.label,
        "key_hint": check.device.key_hint,
        "enrolment": e.pk,
        "person": e.person.name,
        "address": e.household.address,
        "micro_grid": check.micro_grid.code,
    }


def _detail(request: HttpRequest, pk: int, keys: dict[int, str] | None = None) -> dict[str, Any]:
    e = selectors.enrolment_get(user=request.user, pk=pk)
    care = selectors.care_labels(user=request.user, enrolments=[e])
    return enrolment_item(e, care[e.pk], keys)


def _no_store(response: HttpResponse) -> None:
    # the answer carries a device key: no cache, proxy or browser history may keep it
    response["Cache-Control"] = "no-store"


# --- enrolments --------------------------------------------------------------------------------


@router.post(
    "/enrolments",
    response={201: EnrolmentOut},
    summary="Enrol a person with a care tag for the emergency call (一键紧急呼叫)",
    description=(
        "For an official over the person's household. Each button or phone gets a key, in "
        "`devices[].key` of this answer only; afterwards only `key_hint` is shown. A login "
        "device needs the person's own login. Refused whole (422) naming each bad field or row."
    ),
)
def enrolment_create(
    request: HttpRequest, response: HttpResponse, payload: EnrolIn
) -> tuple[int, dict[str, Any]]:
    try:
        person = selectors.person_for_enrolment(user=request.user, pk=payload.person)
    except NotFound:
        raise NotFound(_("No such person in your jurisdiction."), field="person") from None
    done = services_devices.enrolment_enrol(
        actor=request.user,  # type: ignore[arg-type]
        person=person,
        devices=[services_enrolment.DeviceSpec(d.kind, d.label) for d in payload.devices],
        contacts=[
            services_enrolment.ContactSpec(c.name, c.phone, c.relation) for c in payload.contacts
        ],
        note=payload.note,
    )
    _no_store(response)
    keys = {d.pk: key for d, key in done.devices if key}
    return 201, _detail(request, done.enrolment.pk, keys)


@router.get(
    "/enrolments",
    response=EnrolmentPage,
    summary="Enrolments under a grid of my jurisdiction",
    description="`state`: open (default), ended or all; `q`: a name, phone or its last four.",
)
def enrolment_list(request: HttpRequest, filters: Query[EnrolmentQuery]) -> dict[str, Any]:
    if not 1 <= filters.limit <= MAX_LIMIT:
        raise InvalidInput(Problem(_("limit must be between 1 and 200."), field="limit"))
    if filters.offset < 0:
        raise InvalidInput(Problem(_("offset must not be negative."), field="offset"))
    grid = selectors.scoped_grid(user=request.user, code=filters.grid) if filters.grid else None
    qs = selectors.enrolment_list(user=request.user, grid=grid, q=filters.q, state=filters.state)
    page = list(qs[filters.offset : filters.offset + filters.limit])
    care = selectors.care_labels(user=request.user, enrolments=page)
    return {
        "count": qs.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [enrolment_item(e, care[e.pk]) for e in page],
    }


@router.get(
    "/enrolments/{enrolment_id}",
    response=EnrolmentOut,
    summary="One enrolment",
    description=(
        "One enrolment for the emergency call: the person (masked phone), household, care "
        "tags you may see, devices (their `key_hint` only, never the key) and contacts. For "
        "an official over the household (grid head, grid worker, community or street "
        "official, street leader, system administrator); one outside your jurisdiction "
        "answers 404 naming `id`."
    ),
)
def enrolment_read(request: HttpRequest, enrolment_id: int) -> dict[str, Any]:
    return _detail(request, enrolment_id)


@router.post(
    "/enrolments/{enrolment_id}/devices",
    response={201: EnrolmentOut},
    summary="Add a device (its key is in this answer only)",
    description=(
        "Give an open enrolment another button, phone or login device (at most 5 active); the"
        " new key is in `devices[].key` of this answer only, which is not cached. For an "
        "official over the household (grid head, grid worker, community or street official, "
        "street leader, system administrator); outside your jurisdiction 404. An unknown "
        "kind, a login device for a person with no login, or a sixth device answers 422; an "
        "ended enrolment 409 naming `enrolment`."
    ),
)
def enrolment_device_add(
    request: HttpRequest, response: HttpResponse, enrolment_id: int, payload: DeviceIn
) -> tuple[int, dict[str, Any]]:
    e = selectors.enrolment_get(user=request.user, pk=enrolment_id)
    device, key = services_devices.enrolment_device_add(
        actor=request.user,  # type: ignore[arg-type]
        enrolment=e,
        spec=services_enrolment.DeviceSpec(payload.kind, payload.label),
    )
    _no_store(response)
    return 201, _detail(request, e.pk, {device.pk: key} if key else None)


@router.post(
    "/enrolments/{enrolment_id}/end",
    response=EnrolmentOut,
    summary="End an enrolment (its devices are revoked)",
    description=(
        "End an enrolment with a `reason` (required, 422): its devices are revoked with that "
        "reason and their checks closed. For an official over the household (grid head, grid "
        "worker, community or street official, street leader, system administrator); outside "
        "your jurisdiction 404. An enrolment already ended, or whose person still has an open"
        " emergency call, answers 409 naming `enrolment`."
    ),
)
def enrolment_end(request: HttpRequest, enrolment_id: int, payload: CareReasonIn) -> dict[str, Any]:
    e = selectors.enrolment_get(user=request.user, pk=enrolment_id)
    services_devices.enrolment_end(
        actor=request.user,  # type: ignore[arg-type]
        enrolment=e,
        reason=payload.reason,
    )
    return _detail(request, e.pk)


@router.post(
    "/devices/{device_id}/revoke",
    response=DeviceOut,
    summary="Revoke a device: its key is refused from now on",
    description=(
        "Revoke one device with a `reason` (required, 422 naming `reason`): its key is "
        "refused (403, recorded) from now on and its open device check is closed; revoking "
        "again changes nothing. For an official over the household (grid head, grid worker, "
        "community or street official, street leader, system administrator); a device outside"
        " your jurisdiction answers 404."
    ),
)
def device_revoke(request: HttpRequest, device_id: int, payload: CareReasonIn) -> dict[str, Any]:
    device = selectors.device_get(user=request.user, pk=device_id)
    device = services_devices.device_withdraw(
        actor=request.user,  # type: ignore[arg-type]
        device=device,
        reason=payload.reason,
    )
    return device_item(device)


# --- heartbeats --------------------------------------------------------------------------------


@router.post(
    "/devices/heartbeat",
    auth=None,
    response={200: HeartbeatOut, 403: dict[str, Any], 429: dict[str, Any]},
    summary="A device says it is alive (with its battery level)",
    description=(
        "The device key in `X-Device-Key`. A device silent for "
        "CARE_HEARTBEAT_SILENCE_HOURS, or reporting a battery at or below CARE_LOW_BATTERY, "
        "gets a check by its micro-grid worker; a heartbeat closes it. More than six a minute "
        "from one key answer 429 with `Retry-After` (and `retry_after` in the body, seconds); an "
        "unknown or revoked key 403 naming `X-Device-Key`. Both are recorded as refusals, a "
        "flood once a minute."
    ),
)
def device_heartbeat(
    request: HttpRequest,
    response: HttpResponse,
    payload: HeartbeatIn,
    device_key: str = Header("", alias="X-Device-Key"),
) -> tuple[int, dict[str, Any]]:
    try:
        device = services_devices.device_heartbeat(
            key=device_key, battery=payload.battery, ip=client_ip(request)
        )
    except services_devices.Flooded as flood:
        response["Retry-After"] = str(flood.retry_after)
        body = bilingual(
            _("Too many heartbeats from this device: try again in %(seconds)d s."),
            {"seconds": flood.retry_after},
        )
        return 429, {
            "code": "flood",
            "field": "X-Device-Key",
            "retry_after": flood.retry_after,
            **body,
        }
    from django.conf import settings

    return 200, {
        "device": device.key_hint,
        "at": device.last_heartbeat_at.isoformat() if device.last_heartbeat_at else "",
        "battery": device.battery,
        "silence_hours": settings.CARE_HEARTBEAT_SILENCE_HOURS,
    }


# --- device checks -----------------------------------------------------------------------------


@router.get(
    "/device-checks",
    response=list[DeviceCheckOut],
    summary="Devices to check: silent too long or on a low battery",
    description=(
        "The open device checks (a device silent too long, or on a low battery), oldest "
        "first, for a micro-grid worker or an official (grid head, grid worker, community or "
        "street official, street leader, system administrator) over the device's grid; "
        "none for anyone else."
        " `grid` narrows to a grid's code, 404 naming `grid` when it is outside your "
        "jurisdiction."
    ),
)
def checks_list(request: HttpRequest, grid: str = Query("")) -> list[dict[str, Any]]:
    chosen = (
        selectors.scoped_grid(user=request.user, code=grid, roles=services_devices.CHECKERS)
        if grid
        else None
    )
    return [check_item(c) for c in selectors.checks_open(user=request.user, grid=chosen)]


@router.post(
    "/device-checks/{check_id}/close",
    response=DeviceCheckOut,
    summary="Close a device check, saying what was found",
    description=(
        "The worker has been to the device: close its check with a `note` of what was found "
        "(required, 200 characters, 422). For a micro-grid worker or an official (grid head, "
        "grid worker, community or street official, street leader, system administrator) over"
        " it; a check outside your jurisdiction answers 404, one already closed 409 naming "
        "`status`."
    ),
)
def check_close(request: HttpRequest, check_id: int, payload: DeviceCheckNoteIn) -> dict[str, Any]:
    check = selectors.check_get(user=request.user, pk=check_id)
    services_devices.device_check_close(
        actor=request.user,  # type: ignore[arg-type]
        check=check,
        note=payload.note,
    )
    return check_item(selectors.check_get(user=request.user, pk=check_id))


# --- chains ------------------------------------------------------------------------------------


def _chain(request: HttpRequest, community: Any) -> dict[str, Any]:
    read = selectors.chain_read(community=community)
    labels = dict(ChainRole.choices)
    return {
        "community": community.code,
        "community_name": community.name,
        "default": read["default"],
        "may_edit": selectors.may_keep_chain(request.user, community),
        "steps": [
            {
                "order": i,
                "role": s["role"],
                "role_label": str(labels.get(s["role"], s["role"])),
                "seconds": s["seconds"],
            }
            for i, s in enumerate(read["steps"])
        ],
    }


@router.get(
    "/chains/{community_code}",
    response=ChainOut,
    summary="A community's escalation chain (the default until it has its own)",
    description=(
        "The steps a community's emergency calls escalate through (role and seconds to "
        "answer), `default` while it has no chain of its own, and `may_edit` for whether you "
        "may set it. For an official (grid head, grid worker, community or street official, "
        "street leader, system administrator) over the community; a grid outside your "
        "jurisdiction, or one that is not a community, answers 404."
    ),
)
def chain_read(request: HttpRequest, community_code: str) -> dict[str, Any]:
    community = selectors.community_for_chain(user=request.user, code=community_code)
    return _chain(request, community)


@router.put(
    "/chains/{community_code}",
    response=ChainOut,
    summary="Set a community's escalation chain",
    description=(
        "For a community official or the street. Each step: `role` (micro_worker, grid_head, "
        "station_duty, community_duty, family) and `seconds` to answer. Refused whole (422) "
        "naming the row and field of each problem. Calls already made keep their own copy."
    ),
)
def chain_write(request: HttpRequest, community_code: str, payload: ChainIn) -> dict[str, Any]:
    community = selectors.community_for_chain(user=request.user, code=community_code)
    services_enrolment.chain_set(
        actor=request.user,  # type: ignore[arg-type]
        community=community,
        steps=payload.steps,
    )
    return _chain(request, community)
