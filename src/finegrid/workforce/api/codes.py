"""/api/v1/workforce/codes and /checkins: the codes under a grid, and checking in with one."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from ninja import Header, Query, Router, Schema

from finegrid.core.errors import InvalidInput, Problem
from finegrid.core.schemas import Input
from finegrid.workforce import selectors_checkins as selectors
from finegrid.workforce import services_checkins, services_codes
from finegrid.workforce.models import Checkin, Code

router = Router()

MAX_LIMIT = 200


class CodeQuery(Input):
    grid: str
    kind: str = ""
    limit: int = 50
    offset: int = 0


class CodePlaceOut(Schema):
    kind: str
    kind_label: str
    id: int
    name: str
    grid: str
    lat: float | None
    lng: float | None


class CodeOut(Schema):
    id: int
    place: CodePlaceOut
    version: int
    revoked: bool
    payload: str
    url: str
    qr_url: str


class CodePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[CodeOut]


class CheckinIn(Input):
    code: str
    lat: float | None = None
    lng: float | None = None


class CheckinOut(Schema):
    id: int
    place: CodePlaceOut
    at: str
    lat: float
    lng: float
    distance_m: float | None
    flagged: bool
    flag_reasons: list[str]
    flag_text: str


def _place(code: Code) -> dict[str, Any]:
    return {
        "kind": code.kind,
        "kind_label": str(code.get_kind_display()),
        "id": code.object_id,
        "name": code.name,
        "grid": code.grid.code,
        "lat": code.lat,
        "lng": code.lng,
    }


def code_item(request: HttpRequest, code: Code) -> dict[str, Any]:
    payload = services_codes.payload_of(code)
    return {
        "id": code.pk,
        "place": _place(code),
        "version": code.version,
        "revoked": code.revoked_at is not None,
        "payload": payload,
        "url": request.build_absolute_uri(reverse("workforce:checkin_page", args=[payload])),
        "qr_url": request.build_absolute_uri(reverse("workforce:code_qr", args=[code.pk])),
    }


def checkin_item(checkin: Checkin) -> dict[str, Any]:
    return {
        "id": checkin.pk,
        "place": _place(checkin.code),
        "at": checkin.at.isoformat(),
        "lat": checkin.lat,
        "lng": checkin.lng,
        "distance_m": checkin.distance_m,
        "flagged": checkin.flagged,
        "flag_reasons": checkin.flag_reason.split(),
        "flag_text": str(selectors.flag_text(checkin.flag_reason)),
    }


@router.get(
    "/codes",
    response=CodePage,
    summary="List the check-in codes under a grid",
    description=(
        "The check-in codes (一码报到) of the places under a grid — micro-grids, buildings, "
        "service stations and patrol points, or the `kind`s named (comma-separated) — in walking "
        "order, each with its signed payload, the check-in page it opens and `qr_url`, its QR code "
        "as an SVG image (a page of the site, not of this API). Codes a place lacks are made on "
        "first listing. `limit` 1–200 (50 by default) from `offset`. Staff whose jurisdiction "
        "covers the grid; a grid outside it answers 404. A bad limit or offset answers 422."
    ),
)
def code_list(request: HttpRequest, filters: Query[CodeQuery]) -> dict[str, Any]:
    if not 1 <= filters.limit <= MAX_LIMIT:
        raise InvalidInput(Problem(_("limit must be between 1 and 200."), field="limit"))
    if filters.offset < 0:
        raise InvalidInput(Problem(_("offset must not be negative."), field="offset"))
    grid = selectors.grid_for_codes(user=request.user, code=filters.grid)
    kinds = selectors.parse_kinds(filters.kind)
    services_codes.codes_ensure(grid=grid, kinds=kinds)
    qs = selectors.code_list(grid=grid, kinds=kinds)
    rows = list(qs[filters.offset : filters.offset + filters.limit])
    return {
        "count": qs.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [code_item(request, c) for c in rows],
    }


@router.post(
    "/checkins",
    response={201: CheckinOut},
    summary="Check in with a code (一码报到)",
    description=(
        "Send the payload read from the QR code and the phone's position, with an "
        "`Idempotency-Key`: a retry with the same key answers the first check-in (201, header "
        "`Idempotent-Replayed: true`). A check-in far from its place is recorded and flagged for "
        "the grid head, never refused."
    ),
)
def checkin_create(
    request: HttpRequest,
    response: HttpResponse,
    payload: CheckinIn,
    idempotency_key: str = Header("", alias="Idempotency-Key"),
) -> tuple[int, dict[str, Any]]:
    result = services_checkins.checkin_create(
        actor=request.user,
        payload=payload.code,
        lat=payload.lat,
        lng=payload.lng,
        idempotency_key=idempotency_key,
    )
    if not result.created:
        response["Idempotent-Replayed"] = "true"
    return 201, checkin_item(result.checkin)
