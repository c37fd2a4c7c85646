"""/api/v1/care: daily care (关爱) — contact plans per care-tag kind, contacts, who has gone quiet.

A person, grid or community outside the caller's jurisdiction answers 404 like a missing one;
bad input 422 naming each field (and row), with nothing written.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Header, Query, Router, Schema

from finegrid.accounts.api import API_AUTH
from finegrid.care import selectors_daily as selectors
from finegrid.care import services_daily as services
from finegrid.core.errors import InvalidInput, Problem
from finegrid.core.schemas import Input

router = Router(auth=API_AUTH)
MAX_KEY = 100


class ContactPlanIn(Input):
    tag_kind: str = Field(..., description="living_alone, aged_80, disabled, low_income …")
    every_days: int = Field(..., description="a contact every so many days (1–92)")
    visit_only: bool = Field(False, description="only a visit counts (not a call or message)")
    escalate_hours: int = Field(..., description="the grid head is alerted this long after")
    active: bool = True


class ContactPlansIn(Input):
    plans: list[ContactPlanIn]


class ContactPlanOut(Schema):
    tag_kind: str
    label: str
    every_days: int
    visit_only: bool
    escalate_hours: int
    active: bool
    default: bool


class CommunityContactPlans(Schema):
    community: dict[str, str]
    plans: list[ContactPlanOut]


class CareContactIn(Input):
    person: int
    kind: str = Field(..., description="phone, visit or message")
    reached: bool = Field(True, description="false for a call nobody answered: logged, no contact")
    at: dt.datetime | None = Field(None, description="when (default now; up to 7 days back)")
    note: str = Field("", max_length=500)


class ContactWatchOut(Schema):
    tag_kind: str
    tag_label: str
    last_contact_at: str | None
    due_at: str | None
    stage: str


class CareContactOut(Schema):
    id: int
    person: int
    kind: str
    kind_label: str
    at: str | None
    reached: bool
    note: str
    recorded_by: dict[str, Any]
    visit: int | None
    watches: list[ContactWatchOut] = []


class QuietPersonOut(Schema):
    watch: int
    person: dict[str, Any]
    phone: str
    place: str
    micro_grid: dict[str, str]
    tag_kind: str
    tag_label: str
    every_days: int
    visit_only: bool
    last_contact_at: str | None
    last_contact_kind: str | None
    due_at: str | None
    overdue_hours: int
    stage: str
    stage_label: str
    worker_alerted_at: str | None
    head_alerted_at: str | None


@router.get(
    "/contact-plans",
    response=list[CommunityContactPlans],
    summary="Contact plans of daily care, per community and care-tag kind",
    description=(
        "How often each kind of care tag is to be contacted, per community you work under "
        "(your jurisdiction's, and the one above a grid head or grid worker), with the "
        "default where a community has set none. For a micro-grid worker or an official; "
        "`community` narrows to one, 404 naming `community` if it is not yours."
    ),
)
def contact_plans(
    request: HttpRequest,
    community: str = Query("", description="a community's code; all of yours without it"),
) -> list[dict[str, Any]]:
    return selectors.contact_plans_for(user=request.user, community=community or None)


@router.put(
    "/contact-plans/{community}",
    response=CommunityContactPlans,
    summary="Set a community's contact plans (kinds not named keep the default)",
    description=(
        "Replaces the community's own plans; each watch of the community is re-timed in the "
        "same transaction. Refused whole (422) naming each bad row and field."
    ),
)
def contact_plans_set(
    request: HttpRequest, community: str, payload: ContactPlansIn
) -> dict[str, Any]:
    grid = selectors.communities_for(request.user, community)[0]
    services.contact_plans_set(
        actor=request.user, community=grid, rows=[p.dict() for p in payload.plans]
    )
    return selectors.contact_plans_for(user=request.user, community=grid.code)[0]


@router.post(
    "/contacts",
    response={201: CareContactOut, 200: CareContactOut},
    summary="Log a contact: a phone call, a visit or a message",
    description=(
        "A visit by a worker serving the household is also the workforce's household visit. "
        "Send an `Idempotency-Key`: a retry answers the first contact with 200."
    ),
)
def contact_create(
    request: HttpRequest,
    payload: CareContactIn,
    idempotency_key: str = Header("", alias="Idempotency-Key"),
) -> tuple[int, dict[str, Any]]:
    key = (idempotency_key or "").strip()
    if len(key) > MAX_KEY:
        raise InvalidInput(
            Problem(
                _("The Idempotency-Key is longer than 100 characters."), field="Idempotency-Key"
            )
        )
    done = services.contact_record(
        actor=request.user,
        person_id=payload.person,
        kind=payload.kind,
        reached=payload.reached,
        at=payload.at,
        note=payload.note,
        idempotency_key=key,
    )
    body = selectors.contact_dict(done.contact)
    body["watches"] = selectors.watch_dicts(request.user, done.watches)
    return (201 if done.created else 200), body


@router.get(
    "/contacts",
    response=list[CareContactOut],
    summary="A person's recent contacts",
    description=(
        "The latest contacts with one person (`person`, a registry id), newest first, `limit`"
        " 1-200. For a micro-grid worker or an official over the person; a person outside "
        "your jurisdiction answers 404 naming `person`."
    ),
)
def contacts_list(
    request: HttpRequest, person: int = Query(...), limit: int = Query(50, ge=1, le=200)
) -> list[dict[str, Any]]:
    return selectors.contacts_of(user=request.user, person_id=person, limit=limit)


@router.get(
    "/quiet",
    response=list[QuietPersonOut],
    summary="Who has gone quiet: overdue contacts under a grid, longest quiet first",
    description=(
        "Everyone under the grid whose planned contact is overdue, longest quiet first (at "
        "most 500), limited to the care-tag kinds your duties may see. For a micro-grid "
        "worker or an official; without `grid`, the top of your jurisdiction; a grid outside "
        "it answers 404 naming `grid`."
    ),
)
def quiet(
    request: HttpRequest,
    grid: str = Query("", description="a grid's code; the top of your jurisdiction without it"),
) -> list[dict[str, Any]]:
    found = selectors.visible_grid(request.user, grid or None)
    return selectors.quiet_under(user=request.user, grid=found)
