"""/api/v1/registry/: households, people, care tags, rentals, businesses.

Thin: parse, call one selector or service, shape the answer. Answers are masked as on screen
(``id_number_masked``, ``phone_masked``); the full value only comes from ``people/{id}/unmask``,
which asks for a reason and leaves an audit row. Roles without registry access (departments,
residents) are refused with 403 on every endpoint; ids outside the caller's jurisdiction answer
404, as if they did not exist.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from finegrid.accounts.api import API_AUTH
from finegrid.core.errors import Forbidden, InvalidInput, NotFound, Problem
from finegrid.core.openapi import refuses
from finegrid.core.schemas import Input, LongText
from finegrid.grids.models import Grid, Household
from finegrid.grids.selectors import grid_get
from finegrid.registry import selectors, services
from finegrid.registry.models import (
    Business,
    BusinessType,
    CareKind,
    DocumentType,
    Gender,
    InspectionStatus,
    Person,
    Relation,
    Rental,
    ResidenceStatus,
)

router = Router(tags=["registry"], auth=API_AUTH)

MAX_LIMIT = 1000


# --- access and paging ----------------------------------------------------------------------


def _reader(request: HttpRequest) -> Any:
    """The caller, if their roles give any registry access; 403 otherwise."""
    if selectors.registry_scope(request.user).empty:
        raise Forbidden(_("You have no access to the population registry."))
    return request.user


class PageFilters(Input):
    grid: str | None = Field(None, description="code of a grid: only what lies under it")
    limit: int = 50
    offset: int = 0


class SearchFilters(PageFilters):
    q: str = Field("", description="name, pinyin initials, ID or phone (full or masked), address")


class HouseholdFilters(PageFilters):
    q: str = Field("", description="part of the address")


def _page(qs: QuerySet[Any], filters: PageFilters) -> tuple[int, list[Any]]:
    if not 1 <= filters.limit <= MAX_LIMIT:
        raise InvalidInput(Problem(_("limit must be between 1 and 1000."), field="limit"))
    if filters.offset < 0:
        raise InvalidInput(Problem(_("offset must not be negative."), field="offset"))
    return qs.count(), list(qs[filters.offset : filters.offset + filters.limit])


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


# --- schemas --------------------------------------------------------------------------------


class ResidentRef(Schema):
    id: int
    name: str


class PersonOut(Schema):
    id: int
    name: str
    gender: str
    birth_date: dt.date | None
    age: int | None
    document_type: str
    id_number_masked: str
    phone_masked: str
    residence_status: str
    is_party_member: bool
    party_dual_registered: bool
    party_organisation: str
    is_veteran: bool
    occupation: str
    notes: str
    household_id: int | None
    household_address: str | None
    relation: str
    grid: str | None = Field(description="code of the micro-grid the person lives in")
    deceased_on: dt.date | None


class CareTagOut(Schema):
    id: int | None = Field(description="null for a tag derived from the birth date (aged 80+)")
    kind: str
    label: str
    attributes: dict[str, Any]
    started_on: dt.date | None
    derived: bool


class PersonDetail(PersonOut):
    care_tags: list[CareTagOut]


class PersonPage(Schema):
    count: int
    items: list[PersonOut]


class PersonIn(Input):
    name: str
    id_number: str = ""
    phone: str = ""
    household_id: int
    relation: Relation = Relation.OTHER
    document_type: DocumentType | None = None
    gender: Gender | None = None
    birth_date: dt.date | None = None
    residence_status: ResidenceStatus = ResidenceStatus.REGISTERED
    is_party_member: bool = False
    party_dual_registered: bool = False
    party_organisation: str = ""
    is_veteran: bool = False
    occupation: str = ""
    notes: LongText = ""
    confirm_duplicate: bool = Field(
        False,
        description="true: register even if someone alike is found (otherwise 409 "
        "possible_duplicate naming them)",
    )


class PersonPatch(Input):
    """Any subset; what is left out stays as it is."""

    name: str | None = None
    id_number: str | None = None
    phone: str | None = None
    document_type: DocumentType | None = None
    gender: Gender | None = None
    birth_date: dt.date | None = None
    residence_status: ResidenceStatus | None = None
    is_party_member: bool | None = None
    party_dual_registered: bool | None = None
    party_organisation: str | None = None
    is_veteran: bool | None = None
    occupation: str | None = None
    notes: LongText | None = None


class MoveIn(Input):
    household_id: int | None = Field(description="null: moved out of the street")
    relation: Relation = Relation.OTHER
    on: dt.date | None = None


class DeathIn(Input):
    on: dt.date


class UnmaskIn(Input):
    field: str = Field(description="id_number or phone")
    reason: str


class UnmaskOut(Schema):
    field: str
    value: str


class CareTagIn(Input):
    kind: CareKind
    attributes: dict[str, Any] = {}
    started_on: dt.date | None = None


class CareTagEndIn(Input):
    on: dt.date | None = None


class WorkerOut(Schema):
    name: str
    duty: str
    duty_label: str
    phone: str


class HouseholdItem(Schema):
    id: int
    name: str
    address: str
    room: str
    grid: str = Field(description="code of the household's micro-grid")
    lat: float | None
    lng: float | None
    members: int = Field(description="people living there now")


class HouseholdMember(PersonOut):
    care_tags: list[CareTagOut]


class HouseholdDetail(HouseholdItem):
    building: str | None
    unit: int | None
    people: list[HouseholdMember]
    workers: list[WorkerOut]
    living_alone_check: bool = Field(
        description="tagged 独居 (living alone) but more than one person lives here: to check"
    )


class HouseholdPage(Schema):
    count: int
    items: list[HouseholdItem]


class RentalOut(Schema):
    id: int
    household_id: int
    address: str
    landlord: ResidentRef | None
    tenants: list[ResidentRef]
    registered: bool
    lease_start: dt.date | None
    lease_end: dt.date | None
    ended_on: dt.date | None = Field(description="when the tenants left; null while let")


class RentalPage(Schema):
    count: int
    items: list[RentalOut]


class PlaceFilters(PageFilters):
    current: bool | None = Field(
        None, description="true: only those still let / open; false: only ended / closed"
    )


class RentalEndIn(Input):
    ended_on: dt.date | None = Field(
        None, description="the day the tenants left; today if left out"
    )


class BusinessCloseIn(Input):
    closed_on: dt.date | None = Field(None, description="the day it closed; today if left out")


class RentalIn(Input):
    household_id: int
    landlord_id: int | None = None
    tenant_ids: list[int] = []
    registered: bool = False
    lease_start: dt.date | None = None
    lease_end: dt.date | None = None


class BusinessOut(Schema):
    id: int
    name: str
    business_type: str
    licence_number: str
    contact_name: str
    contact_phone_masked: str
    address: str
    lat: float | None
    lng: float | None
    grid: str
    inspection_status: str
    inspected_on: dt.date | None
    closed_on: dt.date | None = Field(description="when it closed; null while open")


class BusinessPage(Schema):
    count: int
    items: list[BusinessOut]


class BusinessIn(Input):
    name: str
    business_type: BusinessType
    address: str
    micro_grid: str | None = Field(None, description="code; or give lat and lng")
    lat: float | None = None
    lng: float | None = None
    licence_number: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    inspection_status: InspectionStatus = InspectionStatus.PENDING
    inspected_on: dt.date | None = None


# --- shaping --------------------------------------------------------------------------------


def _person(p: Person, today: dt.date | None = None) -> dict[str, Any]:
    home = p.household
    return {
        "id": p.pk,
        "name": p.name,
        "gender": p.gender,
        "birth_date": p.birth_date,
        "age": p.age(today),
        "document_type": p.document_type,
        "id_number_masked": p.id_number_masked,
        "phone_masked": p.phone_masked,
        "residence_status": p.residence_status,
        "is_party_member": p.is_party_member,
        "party_dual_registered": p.party_dual_registered,
        "party_organisation": p.party_organisation,
        "is_veteran": p.is_veteran,
        "occupation": p.occupation,
        "notes": p.notes,
        "household_id": p.household_id,
        "household_address": home.address if home else None,
        "relation": p.relation,
        "grid": home.micro_grid.code if home else None,
        "deceased_on": p.deceased_on,
    }


def _tag(t: selectors.VisibleTag) -> dict[str, Any]:
    return {
        "id": t.id,
        "kind": t.kind,
        "label": t.label,
        "attributes": t.attributes,
        "started_on": t.started_on,
        "derived": t.derived,
    }


def _person_detail(user: Any, pk: int) -> dict[str, Any]:
    person = selectors.person_get(user=user, pk=pk)
    tags = selectors.care_tags_for(user=user, people=[person])[person.pk]
    return {**_person(person), "care_tags": [_tag(t) for t in tags]}


def _household_item(h: Household) -> dict[str, Any]:
    return {
        "id": h.pk,
        "name": h.name,
        "address": h.address,
        "room": h.room,
        "grid": h.micro_grid.code,
        "lat": h.lat,
        "lng": h.lng,
        "members": getattr(h, "member_count", 0),
    }


def _rental(r: Rental) -> dict[str, Any]:
    return {
        "id": r.pk,
        "household_id": r.household_id,
        "address": r.household.address,
        "landlord": {"id": r.landlord.pk, "name": r.landlord.name} if r.landlord else None,
        "tenants": [{"id": t.pk, "name": t.name} for t in r.tenants.all()],
        "registered": r.registered,
        "lease_start": r.lease_start,
        "lease_end": r.lease_end,
        "ended_on": r.ended_on,
    }


def _business(b: Business) -> dict[str, Any]:
    return {
        "id": b.pk,
        "name": b.name,
        "business_type": b.business_type,
        "licence_number": b.licence_number,
        "contact_name": b.contact_name,
        "contact_phone_masked": b.contact_phone_masked,
        "address": b.address,
        "lat": b.lat,
        "lng": b.lng,
        "grid": b.micro_grid.code,
        "inspection_status": b.inspection_status,
        "inspected_on": b.inspected_on,
        "closed_on": b.closed_on,
    }


def _household_in_scope(user: Any, pk: int | None, field: str) -> Household | None:
    if pk is None:
        return None
    try:
        return selectors.household_get(user=user, pk=pk)
    except NotFound:
        raise NotFound(_("No such household in your jurisdiction."), field=field) from None


def _person_in_scope(user: Any, pk: int, field: str) -> Person:
    try:
        return selectors.person_get(user=user, pk=pk)
    except NotFound:
        raise NotFound(_("No such person in your jurisdiction."), field=field) from None


# --- households -----------------------------------------------------------------------------

_LIVING = Q(members__deceased_on__isnull=True)


@router.get(
    "/households",
    response=HouseholdPage,
    summary="List households in your jurisdiction",
    description=(
        "Households of your jurisdiction (under `grid`, a grid code, if given; an unknown code "
        "finds none) whose address contains `q`, in grid and address order, each with how many "
        "people live there now; `limit` 1–1000 (50 by default) from `offset`. For the roles that "
        "keep the registry — officials, grid heads and the workers of the net; departments, "
        "auditors and residents are refused with 403. A limit out of range or a negative offset "
        "answers 422."
    ),
)
def household_list(request: HttpRequest, filters: Query[HouseholdFilters]) -> dict[str, Any]:
    user = _reader(request)
    qs = selectors.household_list(user=user, grid=filters.grid, q=filters.q)
    count, page = _page(qs.annotate(member_count=Count("members", filter=_LIVING)), filters)
    return {"count": count, "items": [_household_item(h) for h in page]}


@router.get(
    "/households/{household_id}",
    response=HouseholdDetail,
    summary="One household with its members (masked) and the worker who answers for it",
    description=(
        "A household of your jurisdiction: where it is, the people living there now (IDs and "
        "phones masked) with the care tags your duties need, the workers who answer for it with "
        "their phones, and `living_alone_check` when someone is tagged as living alone but others "
        "live there too. Registry roles only (403 for others); a household outside your "
        "jurisdiction answers 404."
    ),
)
def household_read(request: HttpRequest, household_id: int) -> dict[str, Any]:
    user = _reader(request)
    family = selectors.household_family(user=user, pk=household_id)
    household: Household = family["household"]
    members = family["members"]
    for m in members:
        m.household = household  # they live there: no query per member
    return {
        **_household_item(household),
        "members": len(members),
        "building": household.building.name if household.building else None,
        "unit": household.unit.number if household.unit else None,
        "people": [
            {**_person(m), "care_tags": [_tag(t) for t in family["tags"][m.pk]]} for m in members
        ],
        "workers": [
            {
                "name": str(r.person),
                "duty": r.duty,
                "duty_label": str(r.get_duty_display()),
                "phone": r.person.phone,
            }
            for r in family["workers"]
        ],
        "living_alone_check": selectors.living_alone_to_check(user=user)
        .filter(pk=household.pk)
        .exists(),
    }


# --- people ---------------------------------------------------------------------------------


@router.get(
    "/people",
    response=PersonPage,
    summary="Search people in your jurisdiction",
    description=(
        "People of your jurisdiction (under `grid` if given) matching `q`: a name or its start, "
        "pinyin initials or spelling (`zxm` finds 曾小明), a full ID number or phone, or one as "
        "masked on screen or its last four characters, or part of an address. IDs and phones are "
        "answered masked. Those who moved out or died are left out unless `include_gone=true`. "
        "`limit` 1–1000 (50 by default) from `offset`. Registry roles only (403 for others); a bad "
        "limit or offset answers 422."
    ),
)
def person_list(
    request: HttpRequest, filters: Query[SearchFilters], include_gone: bool = False
) -> dict[str, Any]:
    user = _reader(request)
    qs = selectors.person_list(user=user, q=filters.q, grid=filters.grid, include_gone=include_gone)
    count, page = _page(qs.select_related("household__micro_grid"), filters)
    today = timezone.localdate()
    return {"count": count, "items": [_person(p, today) for p in page]}


@router.post(
    "/people",
    response={201: PersonDetail},
    summary="Register a person in a household",
    description=(
        "Someone alike in your jurisdiction (same name and birth date, or same name in the "
        "household) answers 409 `possible_duplicate` with `person_id` and `people`, unless "
        "`confirm_duplicate` is true. An ID number already registered answers 422 (with "
        "`person_id` when that person is in your jurisdiction)."
    ),
    openapi_extra=refuses(
        409, "Someone alike is registered (possible_duplicate): confirm to register. 疑似重复。"
    ),
)
def person_create(request: HttpRequest, payload: PersonIn) -> tuple[int, dict[str, Any]]:
    user = _reader(request)
    values = {name: _plain(value) for name, value in payload}
    confirm = values.pop("confirm_duplicate")
    # left out: derived from the ID number, or "no document" when there is none
    values["document_type"] = values["document_type"] or ""
    values["gender"] = values["gender"] or ""
    data = services.PersonData(**values)
    person = services.person_create(
        actor=user, data=data, request=request, confirm_duplicate=confirm
    )
    return 201, _person_detail(user, person.pk)


@router.get(
    "/people/{person_id}",
    response=PersonDetail,
    summary="One person, masked",
    description=(
        "A person of your jurisdiction, ID number and phone masked as on screen (the full value "
        "only through `POST people/{id}/unmask`), with the care tags your duties need. Registry "
        "roles only (403 for others); a person outside your jurisdiction answers 404."
    ),
)
def person_read(request: HttpRequest, person_id: int) -> dict[str, Any]:
    return _person_detail(_reader(request), person_id)


@router.patch(
    "/people/{person_id}",
    response=PersonDetail,
    summary="Change some fields",
    description=(
        "Changes the fields sent and leaves the others; null empties a text field and leaves a "
        "choice unchanged. The change is audited (which fields, not their values). Registry roles, "
        "for people of their jurisdiction (404 outside it, 403 without a registry role). Every bad "
        "field is answered in one 422 (a birth date or gender that differs from the ID number, an "
        "unknown choice, a name over 64 characters); an ID number someone else has answers 422 "
        "too. The household changes by `move`, not here."
    ),
)
def person_change(request: HttpRequest, person_id: int, payload: PersonPatch) -> dict[str, Any]:
    user = _reader(request)
    person = selectors.person_get(user=user, pk=person_id)
    changes: dict[str, Any] = {}
    for name, value in payload.dict(exclude_unset=True).items():
        if value is None and name != "birth_date":
            # null for a text field empties it; for a choice or a yes/no it means "unchanged"
            if name in ("name", "id_number", "phone", "party_organisation", "occupation", "notes"):
                changes[name] = ""
            continue
        changes[name] = _plain(value)
    services.person_update(actor=user, person=person, changes=changes, request=request)
    return _person_detail(user, person.pk)


@router.post(
    "/people/{person_id}/move",
    response=PersonDetail,
    summary="Move house or move out",
    description=(
        "Moves a person to another household of your jurisdiction on `on` (today by default), or "
        "out of the street with `household_id: null`; the old stay is closed, not rewritten. "
        "Registry roles; the person or the household outside your jurisdiction answers 404. 422 "
        "for the household they already live in, a person who has died, an unknown relation or a "
        "date before they moved in."
    ),
)
def person_move(request: HttpRequest, person_id: int, payload: MoveIn) -> dict[str, Any]:
    user = _reader(request)
    person = selectors.person_get(user=user, pk=person_id)
    household = _household_in_scope(user, payload.household_id, "household_id")
    services.person_move(
        actor=user,
        person=person,
        household=household,
        relation=_plain(payload.relation),
        on=payload.on,
        request=request,
    )
    return _person_detail(user, person.pk)


@router.post(
    "/people/{person_id}/death",
    response=PersonDetail,
    summary="Record a death",
    description=(
        "Records that a person died on `on`: they leave their household, their care tags end that "
        "day, and they stay findable with `include_gone`. Registry roles, in their jurisdiction "
        "(404 outside it). A death already recorded, a date in the future or before the person "
        "moved in answers 422."
    ),
)
def person_death(request: HttpRequest, person_id: int, payload: DeathIn) -> dict[str, Any]:
    user = _reader(request)
    person = selectors.person_get(user=user, pk=person_id)
    services.person_record_death(actor=user, person=person, on=payload.on, request=request)
    return _person_detail(user, person.pk)


@router.post(
    "/people/{person_id}/unmask",
    response=UnmaskOut,
    summary="Show a full ID number or phone; asks a reason and is recorded in the audit log",
    description=(
        "Answers the full `id_number` or `phone` of a person of your jurisdiction and leaves an "
        "audit row with your `reason` (at least two characters). Registry roles (403 for others); "
        "a person outside your jurisdiction answers 404, and so does a field with nothing "
        "recorded. Another field or a missing reason answers 422."
    ),
)
def person_unmask(request: HttpRequest, person_id: int, payload: UnmaskIn) -> dict[str, str]:
    user = _reader(request)
    person = selectors.person_get(user=user, pk=person_id)
    value = services.person_unmask(
        actor=user, person=person, field_name=payload.field, reason=payload.reason, request=request
    )
    return {"field": payload.field, "value": value}


# --- care tags ------------------------------------------------------------------------------


@router.get(
    "/people/{person_id}/care-tags",
    response=list[CareTagOut],
    summary="A person's active care tags, of the kinds your duties need",
    description=(
        "The care tags (独居, 80+, disability, low income, …) a person carries now, of the kinds "
        "your duties need: low income and key attention for grid heads, grid workers and officials "
        "only; 80+ derived from the birth date. Registry roles (403 for others); a person outside "
        "your jurisdiction answers 404."
    ),
)
def care_tag_list(request: HttpRequest, person_id: int) -> list[dict[str, Any]]:
    user = _reader(request)
    person = selectors.person_get(user=user, pk=person_id)
    return [_tag(t) for t in selectors.care_tags_for(user=user, people=[person])[person.pk]]


@router.post(
    "/people/{person_id}/care-tags",
    response={201: CareTagOut},
    summary="Add a care tag",
    description=(
        "Tags a person of your jurisdiction with a care `kind` and its `attributes` (a "
        "disability's `category` and `level` 1–4), stored encrypted and audited. Only the kinds "
        "your duties may see may be set (403 naming `kind`); 404 outside your jurisdiction. 80+ is "
        "derived from the birth date and cannot be set; it, an unknown attribute, a missing "
        "disability category or a tag the person already carries answers 422."
    ),
)
def care_tag_add(
    request: HttpRequest, person_id: int, payload: CareTagIn
) -> tuple[int, dict[str, Any]]:
    user = _reader(request)
    person = selectors.person_get(user=user, pk=person_id)
    kind = _plain(payload.kind)
    if kind not in selectors.visible_kinds(user):
        # who may not see a kind of tag may not set it either
        raise Forbidden(_("Your duties do not cover this kind of care tag."), field="kind")
    tag = services.care_tag_add(
        actor=user,
        person=person,
        kind=kind,
        attributes=payload.attributes,
        started_on=payload.started_on,
        request=request,
    )
    attributes = tag.attributes()
    attributes.pop("kind")
    label = str(CareKind(kind).label)
    return 201, _tag(selectors.VisibleTag(tag.pk, kind, label, attributes, tag.started_on))


@router.post(
    "/care-tags/{tag_id}/end",
    response=CareTagOut,
    summary="End a care tag",
    description=(
        "Ends a care tag on `on` (today by default): the person no longer counts as, say, living "
        "alone; the tag stays as history and the change is audited. Registry roles, for tags of "
        "their jurisdiction and of kinds their duties see; any other tag answers 404. Ending a tag "
        "that has ended already is not refused: it moves the end date."
    ),
)
def care_tag_end(request: HttpRequest, tag_id: int, payload: CareTagEndIn) -> dict[str, Any]:
    user = _reader(request)
    tag = selectors.care_tag_get(user=user, pk=tag_id)
    services.care_tag_end(actor=user, tag=tag, on=payload.on, request=request)
    attributes = tag.attributes()
    kind = attributes.pop("kind")
    label = str(CareKind(kind).label)
    return _tag(selectors.VisibleTag(tag.pk, kind, label, attributes, tag.started_on))


# --- rentals --------------------------------------------------------------------------------


@router.get(
    "/rentals",
    response=RentalPage,
    summary="List rentals in your jurisdiction",
    description=(
        "Rented dwellings (出租房) of your jurisdiction (under `grid` if given) with landlord and "
        "tenants; `current=true` those still let, `false` those ended, all by default; `limit` "
        "1–1000 (50 by default) from `offset`. Registry roles only (403 for others); a bad limit "
        "or offset answers 422."
    ),
)
def rental_list(request: HttpRequest, filters: Query[PlaceFilters]) -> dict[str, Any]:
    user = _reader(request)
    qs = selectors.rental_list(user=user, grid=filters.grid, current=filters.current)
    count, page = _page(qs, filters)
    return {"count": count, "items": [_rental(r) for r in page]}


@router.post(
    "/rentals",
    response={201: RentalOut},
    summary="Register a rental",
    description=(
        "Registers a household of your jurisdiction as let, with its landlord and tenants (people "
        "of your jurisdiction) and the agreed lease. Registry roles only (403 for others); a "
        "household or person outside your jurisdiction answers 404 naming the field; a lease that "
        "ends before it starts answers 422."
    ),
)
def rental_create(request: HttpRequest, payload: RentalIn) -> tuple[int, dict[str, Any]]:
    user = _reader(request)
    household = _household_in_scope(user, payload.household_id, "household_id")
    assert household is not None
    landlord = (
        _person_in_scope(user, payload.landlord_id, "landlord_id")
        if payload.landlord_id is not None
        else None
    )
    tenants = [_person_in_scope(user, pk, "tenant_ids") for pk in dict.fromkeys(payload.tenant_ids)]
    rental = services.rental_create(
        actor=user,
        household=household,
        landlord=landlord,
        tenants=tenants,
        registered=payload.registered,
        lease_start=payload.lease_start,
        lease_end=payload.lease_end,
        request=request,
    )
    return 201, _rental(rental)


@router.post(
    "/rentals/{rental_id}/end",
    response=RentalOut,
    summary="End a rental: the tenants have left (409 if it has ended already)",
    description=(
        "Records that the tenants left on `ended_on` (today by default); the agreed lease end "
        "stays as it was. Registry roles, in their jurisdiction (404 outside it). A rental that "
        "has ended already answers 409 `illegal_transition`; a date in the future or before the "
        "lease start answers 422."
    ),
    openapi_extra=refuses(409, "The rental has ended already. 已结束。"),
)
def rental_end(request: HttpRequest, rental_id: int, payload: RentalEndIn) -> dict[str, Any]:
    user = _reader(request)
    rental = selectors.rental_get(user=user, pk=rental_id)
    services.rental_end(
        actor=user,
        rental=rental,
        ended_on=payload.ended_on or timezone.localdate(),
        request=request,
    )
    return _rental(rental)


# --- businesses -----------------------------------------------------------------------------


@router.get(
    "/businesses",
    response=BusinessPage,
    summary="List businesses in your jurisdiction",
    description=(
        "Shops and businesses (沿街商户) of your jurisdiction (under `grid` if given), contact "
        "phones masked; `current=true` the open ones, `false` the closed, all by default; `limit` "
        "1–1000 (50 by default) from `offset`. Registry roles only (403 for others); a bad limit "
        "or offset answers 422."
    ),
)
def business_list(request: HttpRequest, filters: Query[PlaceFilters]) -> dict[str, Any]:
    user = _reader(request)
    qs = selectors.business_list(user=user, grid=filters.grid, current=filters.current)
    qs = qs.select_related("micro_grid")
    count, page = _page(qs, filters)
    return {"count": count, "items": [_business(b) for b in page]}


@router.post(
    "/businesses",
    response={201: BusinessOut},
    summary="Register a business",
    description=(
        "Registers a business in a micro-grid of your jurisdiction, named by `micro_grid` or found "
        "from `lat` and `lng`; the contact phone is stored encrypted. Registry roles only (403 for "
        "others); a micro-grid outside your jurisdiction answers 404. A missing name, an unknown "
        "type or inspection status, an inspected status without its date or a bad phone are "
        "answered together in one 422; so is a business with no place, or at a point outside every "
        "grid."
    ),
)
def business_create(request: HttpRequest, payload: BusinessIn) -> tuple[int, dict[str, Any]]:
    user = _reader(request)
    micro_grid: Grid | None = None
    if payload.micro_grid:
        try:
            micro_grid = grid_get(user=user, code=payload.micro_grid)
        except NotFound:
            raise NotFound(
                _("No grid with this code in your jurisdiction."), field="micro_grid"
            ) from None
    business = services.business_create(
        actor=user,
        name=payload.name,
        business_type=_plain(payload.business_type),
        address=payload.address,
        micro_grid=micro_grid,
        lat=payload.lat,
        lng=payload.lng,
        licence_number=payload.licence_number,
        contact_name=payload.contact_name,
        contact_phone=payload.contact_phone,
        inspection_status=_plain(payload.inspection_status),
        inspected_on=payload.inspected_on,
        request=request,
    )
    return 201, _business(business)


@router.post(
    "/businesses/{business_id}/close",
    response=BusinessOut,
    summary="Mark a business closed (409 if it has closed already)",
    description=(
        "Records that a business closed on `closed_on` (today by default); it stays listed with "
        "`current=false`. Registry roles, in their jurisdiction (404 outside it). A business "
        "closed already answers 409 `illegal_transition`; a date in the future answers 422."
    ),
    openapi_extra=refuses(409, "The business has closed already. 已关闭。"),
)
def business_close(
    request: HttpRequest, business_id: int, payload: BusinessCloseIn
) -> dict[str, Any]:
    user = _reader(request)
    business = selectors.business_get(user=user, pk=business_id)
    services.business_close(
        actor=user,
        business=business,
        closed_on=payload.closed_on or timezone.localdate(),
        request=request,
    )
    return _business(business)
