"""Writes to the registry. Each service owns its transaction and writes its audit row in it."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finegrid.accounts.jurisdiction import scope_for
from finegrid.core import pii
from finegrid.core.audit import audit_record
from finegrid.core.errors import FinegridError, InvalidInput, NotFound, Problem
from finegrid.core.models import AuditAction
from finegrid.grids.models import Grid, Household
from finegrid.registry import validators
from finegrid.registry.models import (
    Business,
    BusinessType,
    CareKind,
    CareTag,
    DocumentType,
    EndReason,
    Gender,
    InspectionStatus,
    Membership,
    Person,
    Relation,
    Rental,
    ResidenceStatus,
)
from finegrid.registry.names import given_name, search_keys
from finegrid.registry.permissions import (
    REGISTRY_READERS,
    access_care_kind,
    access_registry_write,
)

# Fields a person has that are stored as given (after validation); the rest are derived.
PLAIN_FIELDS = (
    "name",
    "gender",
    "birth_date",
    "document_type",
    "residence_status",
    "is_party_member",
    "party_dual_registered",
    "party_organisation",
    "is_veteran",
    "occupation",
    "notes",
)


# TextChoices.values builds a new list on each call; clean_person runs once per ledger row.
_DOCUMENT_TYPES = frozenset(DocumentType.values)
_GENDERS = frozenset(Gender.values)
_RESIDENCE_STATUSES = frozenset(ResidenceStatus.values)
_RELATIONS = frozenset(Relation.values)


@dataclass
class PersonData:
    name: str = ""
    id_number: str = ""
    document_type: str = ""
    phone: str = ""
    gender: str = ""
    birth_date: dt.date | None = None
    residence_status: str = ResidenceStatus.REGISTERED
    is_party_member: bool = False
    party_dual_registered: bool = False
    party_organisation: str = ""
    is_veteran: bool = False
    occupation: str = ""
    notes: str = ""
    household_id: int | None = None
    relation: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def clean_person(
    data: PersonData, *, row: int | None = None
) -> tuple[dict[str, Any], list[Problem]]:
    """Validate one person; answer the model fields to store and every problem found.

    Used by the single-person services and, row by row, by the ledger import."""
    problems: list[Problem] = []
    out: dict[str, Any] = {}

    def bad(message: Any, name: str) -> None:
        problems.append(Problem(message, field=name, row=row))

    name = (data.name or "").strip()
    if not name:
        bad(_("The name is required."), "name")
    elif len(name) > 64:
        bad(_("The name is longer than 64 characters."), "name")
    out["name"] = name
    doc_type = data.document_type or (DocumentType.ID_CARD if data.id_number else DocumentType.NONE)
    if doc_type not in _DOCUMENT_TYPES:
        bad(_("Unknown document type."), "document_type")
    out["document_type"] = doc_type
    id_number = ""
    if doc_type == DocumentType.ID_CARD:
        try:
            id_number = validators.normalize_id(data.id_number, row=row)
        except InvalidInput as exc:
            problems.extend(exc.problems)
    elif doc_type in (DocumentType.PASSPORT, DocumentType.OTHER):
        id_number = (data.id_number or "").strip().upper()
        if not id_number:
            bad(_("The document number is required."), "id_number")
    elif data.id_number:
        bad(_("A person without a document has no document number."), "id_number")
    out["_id_number"] = id_number

    birth, gender = data.birth_date, data.gender
    if doc_type == DocumentType.ID_CARD and id_number:
        from_id = validators.birth_date_of(id_number)
        if birth and birth != from_id:
            bad(_("The birth date differs from the one in the ID number."), "birth_date")
        birth = from_id
        id_gender = validators.gender_of(id_number)
        if gender and gender != Gender.UNKNOWN and gender != id_gender:
            bad(_("The gender differs from the one in the ID number."), "gender")
        gender = id_gender
    if birth and birth > timezone.localdate():
        bad(_("The birth date is in the future."), "birth_date")
    out["birth_date"] = birth
    out["gender"] = gender or Gender.UNKNOWN
    if out["gender"] not in _GENDERS:
        bad(_("Unknown gender."), "gender")

    phone = ""
    if data.phone:
        try:
            phone = validators.normalize_phone(data.phone, row=row)
        except InvalidInput as exc:
            problems.extend(exc.problems)
    out["_phone"] = phone

    if data.residence_status not in _RESIDENCE_STATUSES:
        bad(_("Unknown residence status."), "residence_status")
    if data.relation and data.relation not in _RELATIONS:
        bad(_("Unknown relation to the head of household."), "relation")
    for name_ in (
        "residence_status",
        "is_party_member",
        "party_dual_registered",
        "party_organisation",
        "is_veteran",
        "occupation",
        "notes",
    ):
        out[name_] = getattr(data, name_)
    if out["party_dual_registered"] and not out["is_party_member"]:
        bad(
            _("Only a party member registers with the community (dual registration)."),
            "party_dual_registered",
        )
    return out, problems


def sealed_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Model values from cleaned fields: pinyin, and encrypted, indexed and masked PII."""
    out = {k: v for k, v in fields.items() if not k.startswith("_")}
    out.update(search_keys(fields["name"]))
    out["given_name"] = given_name(fields["name"])
    id_number, phone = fields.get("_id_number", ""), fields.get("_phone", "")
    out["id_number_enc"] = pii.encrypt(id_number) if id_number else ""
    out["id_number_index"] = pii.blind_index("id", id_number) if id_number else ""
    out["id_number_masked"] = pii.mask_id(id_number) if id_number else ""
    out["id_number_tail"] = id_number[-4:]
    out["phone_enc"] = pii.encrypt(phone) if phone else ""
    out["phone_index"] = pii.blind_index("phone", phone) if phone else ""
    out["phone_masked"] = pii.mask_phone(phone) if phone else ""
    out["phone_tail"] = phone[-4:]
    return out


def _household(household_id: int | None, *, row: int | None = None) -> Household | None:
    if household_id is None:
        return None
    household = Household.objects.filter(pk=household_id).first()
    if household is None:
        raise InvalidInput(Problem(_("No such household."), field="household_id", row=row))
    return household


class AlreadyRegistered(InvalidInput):
    """The ID number is someone's already: refused, naming them if the actor may see them."""

    def __init__(self, holder: Person | None) -> None:
        super().__init__(
            Problem(_("A person with this ID number is already registered."), field="id_number")
        )
        self.holder = holder

    def as_dict(self) -> dict[str, Any]:
        out = super().as_dict()
        if self.holder is not None:
            out["person_id"] = self.holder.pk
        return out


class PossibleDuplicate(FinegridError):
    """The person looks like one already registered (same name and birth date, or same name
    in the same household); the caller shows them and may confirm to save anyway."""

    status = 409
    code = "possible_duplicate"

    def __init__(self, people: list[Person]) -> None:
        super().__init__(
            _(
                "This person looks like one already registered (same name and birth date, or "
                "same name in this household): check them, or confirm to register anyway."
            ),
            field="name",
        )
        self.people = people

    def as_dict(self) -> dict[str, Any]:
        out = super().as_dict()
        out["person_id"] = self.people[0].pk
        out["people"] = [
            {
                "id": p.pk,
                "name": p.name,
                "birth_date": p.birth_date.isoformat() if p.birth_date else None,
                "household_id": p.household_id,
            }
            for p in self.people
        ]
        return out


def person_lookalikes(
    *, actor: Any, name: str, birth_date: dt.date | None, household: Household
) -> list[Person]:
    """Living people in the actor's jurisdiction with the same name and birth date, or with the
    same name in ``household`` (whose birth date may be missing). Someone outside the
    jurisdiction is not shown: the ID number's uniqueness still catches the same person there."""
    same = Q(household=household)
    if birth_date is not None:
        same |= Q(birth_date=birth_date)
    people = scope_for(actor, roles=REGISTRY_READERS).filter(
        Person.objects.filter(name=name, deceased_on__isnull=True), "grid_path"
    )
    return list(people.filter(same).select_related("household").order_by("id")[:5])


@transaction.atomic
def person_create(
    *,
    actor: Any,
    data: PersonData,
    request: HttpRequest | None = None,
    today: dt.date | None = None,
    confirm_duplicate: bool = False,
) -> Person:
    fields, problems = clean_person(data)
    household = None
    try:
        household = _household(data.household_id)
    except InvalidInput as exc:
        problems.extend(exc.problems)
    if household is None and not problems:
        problems.append(Problem(_("A person is registered in a household."), field="household_id"))
    if problems:
        raise InvalidInput(problems)
    assert household is not None
    access_registry_write(actor, household.grid_path)
    values = sealed_fields(fields)
    if values["id_number_index"]:
        holder = Person.objects.filter(id_number_index=values["id_number_index"]).first()
        if holder is not None:
            visible = scope_for(actor, roles=REGISTRY_READERS).covers(holder.grid_path)
            raise AlreadyRegistered(holder if visible else None)
    if not confirm_duplicate:
        alike = person_lookalikes(
            actor=actor, name=values["name"], birth_date=values["birth_date"], household=household
        )
        if alike:
            raise PossibleDuplicate(alike)
    relation = data.relation or Relation.OTHER
    try:
        with transaction.atomic():
            person = Person.objects.create(
                **values, household=household, relation=relation, grid_path=household.grid_path
            )
    except IntegrityError:  # a concurrent registration of the same ID number won the race
        raise InvalidInput(
            Problem(_("A person with this ID number is already registered."), field="id_number")
        ) from None
    Membership.objects.create(
        person=person,
        household=household,
        relation=relation,
        moved_in=today or timezone.localdate(),
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=person,
        fields=_touched(fields),
        request=request,
    )
    return person


def _touched(fields: dict[str, Any]) -> list[str]:
    names = [k.lstrip("_") for k, v in fields.items() if v not in ("", None, False)]
    return sorted(set(names))


@transaction.atomic
def person_update(
    *, actor: Any, person: Person, changes: dict[str, Any], request: HttpRequest | None = None
) -> Person:
    """Change some fields. ID number and phone come in plain and are sealed again."""
    access_registry_write(actor, person.grid_path)
    unknown = set(changes) - set(PLAIN_FIELDS) - {"id_number", "phone"}
    if unknown:
        raise InvalidInput(
            [Problem(_("This field cannot be changed here."), field=f) for f in sorted(unknown)]
        )
    current = PersonData(
        **{f: getattr(person, f) for f in PLAIN_FIELDS},
        id_number=pii.decrypt(person.id_number_enc) if person.id_number_enc else "",
        phone=pii.decrypt(person.phone_enc) if person.phone_enc else "",
    )
    merged = PersonData(**{**asdict(current), **changes})
    if "id_number" in changes or "document_type" in changes:
        # derived from the new number, not carried over from the old one
        merged.birth_date = changes.get("birth_date")
        merged.gender = changes.get("gender", "")
    fields, problems = clean_person(merged)
    if problems:
        raise InvalidInput(problems)
    values = sealed_fields(fields)
    if (
        values["id_number_index"]
        and Person.objects.filter(id_number_index=values["id_number_index"])
        .exclude(pk=person.pk)
        .exists()
    ):
        raise InvalidInput(
            Problem(_("A person with this ID number is already registered."), field="id_number")
        )
    changed = []
    for name, value in values.items():
        if name in ("id_number_enc", "phone_enc"):
            continue  # fresh nonces each time; compare through the index instead
        if getattr(person, name) != value:
            setattr(person, name, value)
            changed.append(name)
    for enc, index in (("id_number_enc", "id_number_index"), ("phone_enc", "phone_index")):
        if index in changed:
            setattr(person, enc, values[enc])
            changed.append(enc)
    if changed:
        person.save(update_fields=[*changed, "updated_at"])
        shown = sorted(
            {
                c.removesuffix("_index")
                .removesuffix("_masked")
                .removesuffix("_enc")
                .removesuffix("_tail")
                for c in changed
            }
            - {"name_pinyin", "name_initials", "name_pinyin_alt", "name_initials_alt", "given_name"}
        )
        audit_record(
            actor=actor, action=AuditAction.UPDATE, target=person, fields=shown, request=request
        )
    return person


@transaction.atomic
def person_move(
    *,
    actor: Any,
    person: Person,
    household: Household | None,
    relation: str = Relation.OTHER,
    on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Person:
    """Move to another household (or out of the street, with ``household=None``). The old stay
    is closed, not rewritten."""
    on = on or timezone.localdate()
    access_registry_write(actor, person.grid_path)
    if household is not None:
        access_registry_write(actor, household.grid_path)
        if household.pk == person.household_id:
            raise InvalidInput(
                Problem(_("The person already lives in this household."), field="household_id")
            )
    if person.deceased_on:
        raise InvalidInput(Problem(_("The person has died."), field="person"))
    if relation not in Relation.values:
        raise InvalidInput(
            Problem(_("Unknown relation to the head of household."), field="relation")
        )
    _close_stay(person, on, EndReason.MOVED if household else EndReason.MOVED_OUT)
    person.household = household
    person.relation = relation if household else ""
    if household is not None:
        person.grid_path = household.grid_path
        Membership.objects.create(
            person=person, household=household, relation=relation, moved_in=on
        )
    person.save(update_fields=["household", "relation", "grid_path", "updated_at"])
    CareTag.objects.filter(person=person).update(grid_path=person.grid_path)
    audit_record(
        actor=actor, action=AuditAction.UPDATE, target=person, fields=["household"], request=request
    )
    return person


def _close_stay(person: Person, on: dt.date, reason: str) -> None:
    stay = Membership.objects.filter(person=person, moved_out__isnull=True).first()
    if stay is not None:
        if on < stay.moved_in:
            raise InvalidInput(Problem(_("The date is before the person moved in."), field="on"))
        stay.moved_out, stay.end_reason = on, reason
        stay.save(update_fields=["moved_out", "end_reason", "updated_at"])


@transaction.atomic
def person_record_death(
    *, actor: Any, person: Person, on: dt.date, request: HttpRequest | None = None
) -> Person:
    access_registry_write(actor, person.grid_path)
    if person.deceased_on:
        raise InvalidInput(Problem(_("The death is already recorded."), field="on"))
    if on > timezone.localdate():
        raise InvalidInput(Problem(_("The date is in the future."), field="on"))
    _close_stay(person, on, EndReason.DIED)
    person.deceased_on = on
    person.household = None
    person.save(update_fields=["deceased_on", "household", "updated_at"])
    CareTag.objects.filter(person=person, ended_on__isnull=True).update(ended_on=on)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=person,
        fields=["deceased_on"],
        request=request,
    )
    return person


@transaction.atomic
def person_unmask(
    *, actor: Any, person: Person, field_name: str, reason: str, request: HttpRequest | None = None
) -> str:
    """The full ID number or phone; asks for a reason and leaves an audit row."""
    from finegrid.registry.selectors import person_get

    person_get(user=actor, pk=person.pk)  # in the caller's jurisdiction, or NotFound
    if field_name not in ("id_number", "phone"):
        raise InvalidInput(
            Problem(_("Only the ID number or the phone can be shown in full."), field="field")
        )
    if len((reason or "").strip()) < 2:
        raise InvalidInput(Problem(_("Give a reason for showing the full value."), field="reason"))
    token = person.id_number_enc if field_name == "id_number" else person.phone_enc
    if not token:
        raise NotFound(_("Nothing is recorded."), field=field_name)
    audit_record(
        actor=actor,
        action=AuditAction.UNMASK,
        target=person,
        fields=[field_name],
        reason=reason.strip(),
        request=request,
    )
    return pii.decrypt(token)


@transaction.atomic
def person_link_account(
    *, actor: Any, person: Person, user: Any, request: HttpRequest | None = None
) -> Person:
    """Make ``user`` the login of ``person``: a resident's home shows this person's household.
    The user also holds the resident role on the household's micro-grid, which is what routes
    them to that home."""
    from finegrid.accounts.models import Role, RoleAssignment

    access_registry_write(actor, person.grid_path)
    # only the person's row is locked: PostgreSQL locks no row on the nullable side of a join
    person = (
        Person.objects.select_for_update(of=("self",)).select_related("household").get(pk=person.pk)
    )
    if person.household is None:
        raise InvalidInput(Problem(_("The person lives in no household."), field="household_id"))
    taken = Person.objects.filter(user=user).exclude(pk=person.pk).first()
    if taken is not None:
        raise InvalidInput(
            Problem(_("This login already belongs to another person."), field="user")
        )
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    RoleAssignment.objects.get_or_create(
        user=user, role=Role.RESIDENT, grid_id=person.household.micro_grid_id
    )
    audit_record(
        actor=actor, action=AuditAction.UPDATE, target=person, fields=["user"], request=request
    )
    return person


# --- care tags ------------------------------------------------------------------------------

CARE_ATTRIBUTES: dict[str, set[str]] = {
    CareKind.LIVING_ALONE: {"note"},
    CareKind.DISABLED: {"category", "level", "note"},
    CareKind.LOW_INCOME: {"certificate", "since", "note"},
    CareKind.LEFT_BEHIND_CHILD: {"guardian", "parents_location", "note"},
    CareKind.KEY_ATTENTION: {"category", "note"},
}
DISABILITY_CATEGORIES = {
    "visual",
    "hearing",
    "speech",
    "physical",
    "intellectual",
    "mental",
    "multiple",
}


def seal_tag(kind: str, attributes: dict[str, Any]) -> dict[str, str]:
    return {
        "kind_index": pii.blind_index("care", kind),
        "payload_enc": pii.encrypt(json.dumps({"kind": kind, **attributes}, ensure_ascii=False)),
    }


@transaction.atomic
def care_tag_add(
    *,
    actor: Any,
    person: Person,
    kind: str,
    attributes: dict[str, Any] | None = None,
    started_on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> CareTag:
    access_registry_write(actor, person.grid_path)
    attributes = {k: v for k, v in (attributes or {}).items() if v not in (None, "")}
    if kind in CARE_ATTRIBUTES:
        # one may only record what one's duties let one see
        access_care_kind(actor, kind)
    if kind == CareKind.AGED_80 or kind not in CARE_ATTRIBUTES:
        # aged 80+ is derived from the birth date, never tagged by hand
        raise InvalidInput(Problem(_("Unknown care tag."), field="kind"))
    unknown = set(attributes) - CARE_ATTRIBUTES[kind]
    if unknown:
        raise InvalidInput(
            [Problem(_("Unknown attribute for this care tag."), field=f) for f in sorted(unknown)]
        )
    if kind == CareKind.DISABLED:
        category = attributes.get("category")
        # a JSON list or object is no category (and cannot be looked up in a set)
        if not isinstance(category, str) or category not in DISABILITY_CATEGORIES:
            raise InvalidInput(Problem(_("Give the disability category."), field="category"))
        if str(attributes.get("level")) not in {"1", "2", "3", "4"}:
            raise InvalidInput(Problem(_("The disability level is 1 to 4."), field="level"))
        attributes["level"] = int(attributes["level"])
    index = pii.blind_index("care", kind)
    if CareTag.objects.filter(person=person, kind_index=index, ended_on__isnull=True).exists():
        raise InvalidInput(Problem(_("The person already has this care tag."), field="kind"))
    tag = CareTag.objects.create(
        person=person,
        grid_path=person.grid_path,
        started_on=started_on,
        **seal_tag(kind, attributes),
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=tag,
        label=str(person),
        fields=["care_tag"],
        request=request,
    )
    return tag


@transaction.atomic
def care_tag_end(
    *, actor: Any, tag: CareTag, on: dt.date | None = None, request: HttpRequest | None = None
) -> CareTag:
    access_registry_write(actor, tag.grid_path)
    tag.ended_on = on or timezone.localdate()
    tag.save(update_fields=["ended_on", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=tag,
        label=str(tag.person),
        fields=["ended_on"],
        request=request,
    )
    return tag


# --- rentals and businesses ------------------------------------------------------------------


@transaction.atomic
def rental_create(
    *,
    actor: Any,
    household: Household,
    landlord: Person | None = None,
    tenants: list[Person] | None = None,
    registered: bool = False,
    lease_start: dt.date | None = None,
    lease_end: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Rental:
    access_registry_write(actor, household.grid_path)
    if lease_start and lease_end and lease_end < lease_start:
        raise InvalidInput(Problem(_("The lease ends before it starts."), field="lease_end"))
    rental = Rental.objects.create(
        household=household,
        landlord=landlord,
        registered=registered,
        lease_start=lease_start,
        lease_end=lease_end,
        grid_path=household.grid_path,
    )
    if tenants:
        rental.tenants.set(tenants)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=rental,
        label=household.address,
        request=request,
    )
    return rental


@transaction.atomic
def business_create(
    *,
    actor: Any,
    name: str,
    business_type: str,
    address: str,
    micro_grid: Grid | None = None,
    lat: float | None = None,
    lng: float | None = None,
    licence_number: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    inspection_status: str = InspectionStatus.PENDING,
    inspected_on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Business:
    from finegrid.grids.services import place_grid

    problems = []
    if not name.strip():
        problems.append(Problem(_("The name is required."), field="name"))
    if business_type not in BusinessType.values:
        problems.append(Problem(_("Unknown business type."), field="business_type"))
    if inspection_status not in InspectionStatus.values:
        problems.append(Problem(_("Unknown inspection status."), field="inspection_status"))
    if inspection_status != InspectionStatus.PENDING and inspected_on is None:
        problems.append(Problem(_("Give the date of the inspection."), field="inspected_on"))
    phone = ""
    if contact_phone:
        try:
            phone = validators.normalize_phone(contact_phone, field="contact_phone")
        except InvalidInput as exc:
            problems.extend(exc.problems)
    if problems:
        raise InvalidInput(problems)
    grid = place_grid(lat=lat, lng=lng, micro_grid=micro_grid)
    access_registry_write(actor, grid.path)
    business = Business.objects.create(
        name=name.strip(),
        business_type=business_type,
        address=address,
        lat=lat,
        lng=lng,
        micro_grid=grid,
        grid_path=grid.path,
        licence_number=licence_number,
        contact_name=contact_name,
        contact_phone_enc=pii.encrypt(phone) if phone else "",
        contact_phone_masked=pii.mask_phone(phone) if phone else "",
        inspection_status=inspection_status,
        inspected_on=inspected_on,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, target=business, request=request)
    return business


# --- ending rentals and closing businesses ---------------------------------------------------


class AlreadyEnded(InvalidInput):
    """The rental has ended or the business has closed already: a state, not a bad value."""

    status = 409
    code = "illegal_transition"


def _check_end_date(on: Any, *, field: str, start: dt.date | None = None) -> list[Problem]:
    if not isinstance(on, dt.date):
        return [Problem(_("Give the date."), field=field)]
    problems = []
    if on > timezone.localdate():
        problems.append(Problem(_("The date is in the future."), field=field))
    if start is not None and on < start:
        problems.append(Problem(_("The date is before the lease start."), field=field))
    return problems


@transaction.atomic
def rental_end(
    *, actor: Any, rental: Rental, ended_on: dt.date, request: HttpRequest | None = None
) -> Rental:
    """The tenants have left. The agreed lease end stays as it was; ``ended_on`` is what
    happened."""
    access_registry_write(actor, rental.grid_path)
    # Locked and read afresh: two workers ending the same rental at once must not both succeed.
    fresh = Rental.objects.select_for_update().get(pk=rental.pk)
    if fresh.ended_on is not None:
        raise AlreadyEnded(Problem(_("The rental has already ended."), field="ended_on"))
    problems = _check_end_date(ended_on, field="ended_on", start=fresh.lease_start)
    if problems:
        raise InvalidInput(problems)
    rental.ended_on = fresh.ended_on = ended_on
    fresh.save(update_fields=["ended_on", "updated_at"])
    rental.updated_at = fresh.updated_at
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=fresh,
        label=rental.household.address,
        fields=["ended_on"],
        request=request,
    )
    return rental


@transaction.atomic
def business_close(
    *, actor: Any, business: Business, closed_on: dt.date, request: HttpRequest | None = None
) -> Business:
    """The business has closed. It has no recorded opening date, so only a future date is
    refused."""
    access_registry_write(actor, business.grid_path)
    fresh = Business.objects.select_for_update().get(pk=business.pk)
    if fresh.closed_on is not None:
        raise AlreadyEnded(Problem(_("The business has already closed."), field="closed_on"))
    problems = _check_end_date(closed_on, field="closed_on")
    if problems:
        raise InvalidInput(problems)
    business.closed_on = fresh.closed_on = closed_on
    fresh.save(update_fields=["closed_on", "updated_at"])
    business.updated_at = fresh.updated_at
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=fresh,
        fields=["closed_on"],
        request=request,
    )
    return business
