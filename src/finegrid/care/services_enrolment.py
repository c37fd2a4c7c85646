"""Writes that prepare the emergency call: enrolment, devices and their keys, the community's
chain, the refusals recorded on the way, and the enrolment a press or a knock is for."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finegrid.accounts.jurisdiction import scope_for
from finegrid.accounts.models import User
from finegrid.care import chain
from finegrid.care.models import (
    ChainStep,
    Device,
    DeviceKind,
    EmergencyCall,
    Enrolment,
    FamilyContact,
    Refusal,
    RefusalKind,
)
from finegrid.care.roles import CHAIN_KEEPERS, KNOCKERS, Conflict
from finegrid.core import pii
from finegrid.core.errors import Forbidden, InvalidInput, NotFound, Problem
from finegrid.grids.models import Grid, Level
from finegrid.grids.selectors import communities_on, community_on
from finegrid.registry.models import CareTag, Person
from finegrid.registry.validators import normalize_phone

KEY_PREFIX = "fgd_"

# --- enrolment and devices -------------------------------------------------------------------


@dataclass(frozen=True)
class ContactSpec:
    name: str
    phone: str
    relation: str = ""


@dataclass(frozen=True)
class DeviceSpec:
    kind: str
    label: str = ""


@dataclass
class Enrolled:
    enrolment: Enrolment
    # (device, its key shown this once; "" for a login device)
    devices: list[tuple[Device, str]] = field(default_factory=list)


def key_digest(key: str) -> str:
    return hashlib.sha256(key.strip().encode()).hexdigest()


def _new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def _community_of(micro: Grid) -> int:
    found = community_on(micro.path, communities_on([micro.path]))
    if found is None:
        raise InvalidInput(Problem(_("The household is not in a community."), field="person"))
    return found


def _checked_contacts(contacts: list[ContactSpec]) -> list[Problem]:
    problems = []
    for row, c in enumerate(contacts, start=1):
        if not c.name.strip():
            problems.append(Problem(_("Give the contact's name."), field="name", row=row))
        try:
            normalize_phone(c.phone, row=row)
        except InvalidInput as refused:
            problems += refused.problems
    return problems


def _device_row(enrolment: Enrolment, spec: DeviceSpec, user: User | None) -> tuple[Device, str]:
    if spec.kind == DeviceKind.LOGIN:
        device = Device.objects.create(
            enrolment=enrolment, kind=spec.kind, label=spec.label[:80], user=user
        )
        return device, ""
    key = _new_key()
    device = Device.objects.create(
        enrolment=enrolment,
        kind=spec.kind,
        label=spec.label[:80],
        key_digest=key_digest(key),
        key_hint=key[: len(KEY_PREFIX) + 4],
    )
    return device, key


def enrolment_create(
    *,
    actor: User,
    person: Person,
    devices: list[DeviceSpec],
    contacts: list[ContactSpec],
    note: str = "",
) -> Enrolled:
    """Enrol a person with a current care tag. Refused whole, naming each bad field or row."""
    problems: list[Problem] = []
    if person.household_id is None or person.deceased_on is not None:
        problems.append(Problem(_("The person has no current household."), field="person"))
    today = timezone.localdate()
    tag = (
        CareTag.objects.filter(person=person)
        .exclude(ended_on__lt=today)
        .order_by("started_on", "id")
        .first()
    )
    if tag is None:
        problems.append(
            Problem(_("Only a person with a care tag can be enrolled."), field="person")
        )
    if Enrolment.objects.filter(person=person, ended_at__isnull=True).exists():
        problems.append(Problem(_("The person is already enrolled."), field="person"))
    if not devices:
        problems.append(Problem(_("Give at least one device."), field="devices"))
    for row, d in enumerate(devices, start=1):
        if d.kind not in DeviceKind.values:
            problems.append(Problem(_("Unknown device kind."), field="kind", row=row))
        elif d.kind == DeviceKind.LOGIN and person.user_id is None:
            problems.append(
                Problem(_("The person has no login to press with."), field="kind", row=row)
            )
    problems += _checked_contacts(contacts)
    if problems:
        raise InvalidInput(problems)
    assert tag is not None and person.household is not None
    household = person.household
    micro = household.micro_grid
    community_id = _community_of(micro)
    with transaction.atomic():
        enrolment = Enrolment.objects.create(
            person=person,
            household=household,
            micro_grid=micro,
            community_id=community_id,
            grid_path=micro.path,
            care_tag=tag,
            enrolled_by=actor,
            note=note[:200],
        )
        out = Enrolled(enrolment)
        for spec in devices:
            out.devices.append(_device_row(enrolment, spec, person.user))
        for order, c in enumerate(contacts):
            phone = normalize_phone(c.phone)
            FamilyContact.objects.create(
                enrolment=enrolment,
                name=c.name.strip()[:64],
                relation=c.relation.strip()[:32],
                phone_enc=pii.encrypt(phone),
                phone_masked=pii.mask_phone(phone),
                order=order,
            )
    return out


def device_add(*, actor: User, enrolment: Enrolment, spec: DeviceSpec) -> tuple[Device, str]:
    if enrolment.ended_at is not None:
        raise Conflict(_("The enrolment has ended."), field="enrolment")
    if spec.kind not in DeviceKind.values:
        raise InvalidInput(Problem(_("Unknown device kind."), field="kind"))
    user = enrolment.person.user
    if spec.kind == DeviceKind.LOGIN and user is None:
        raise InvalidInput(Problem(_("The person has no login to press with."), field="kind"))
    with transaction.atomic():
        return _device_row(enrolment, spec, user)


def device_revoke(*, actor: User, device: Device, reason: str) -> Device:
    if not reason.strip():
        raise InvalidInput(Problem(_("Give a reason."), field="reason"))
    if device.revoked_at is None:
        Device.objects.filter(pk=device.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=actor, revoke_reason=reason.strip()[:200]
        )
        device.refresh_from_db()
    return device


def device_for_key(key: str, *, ip: str | None = None) -> Device:
    """The active device of ``key``; a refusal (recorded) when unknown or revoked."""
    key = (key or "").strip()
    device = (
        Device.objects.select_related("enrolment").filter(key_digest=key_digest(key)).first()
        if key
        else None
    )
    if device is None or device.revoked_at is not None or device.enrolment.ended_at is not None:
        refusal_record(
            kind=RefusalKind.DEVICE_KEY,
            device=device,
            ip=ip,
            detail="revoked" if device is not None else "unknown",
        )
        raise Forbidden(_("Unknown or revoked device key."), field="X-Device-Key")
    return device


def chain_set(*, actor: User, community: Grid, steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if community.level != Level.COMMUNITY:
        raise InvalidInput(Problem(_("A chain belongs to a community."), field="community"))
    if not scope_for(actor, roles=CHAIN_KEEPERS).covers(community.path):
        raise Forbidden(_("You may not change this community's chain."))
    clean = chain.checked_chain(steps)
    with transaction.atomic():
        ChainStep.objects.filter(community=community).delete()
        ChainStep.objects.bulk_create(
            ChainStep(community=community, order=i, role=s["role"], seconds=s["seconds"])
            for i, s in enumerate(clean)
        )
    return clean


# --- refusals --------------------------------------------------------------------------------


def refusal_record(
    *,
    kind: str,
    call: EmergencyCall | None = None,
    device: Device | None = None,
    actor: Any = None,
    ip: str | None = None,
    detail: str = "",
) -> None:
    """Keep a refused attempt, outside any transaction the refusal rolls back."""
    Refusal.objects.create(
        at=timezone.now(),
        kind=kind,
        call=call,
        device=device,
        actor=actor if isinstance(actor, User) else None,
        ip=ip,
        detail=detail[:200],
    )


def enrolment_for_knock(user: Any, pk: int | None) -> Enrolment:
    """The open enrolment a worker knocks for: inside their jurisdiction, or refused as if it did
    not exist (naming ``enrolment``)."""
    if pk is None:
        raise InvalidInput(Problem(_("Say whose door it is (the enrolment)."), "enrolment"))
    enrolment = (
        Enrolment.objects.select_related("person").filter(pk=pk, ended_at__isnull=True).first()
    )
    if (
        enrolment is None
        or not isinstance(user, User)
        or not scope_for(user, roles=KNOCKERS).covers(enrolment.grid_path)
    ):
        raise NotFound(_("No such enrolment."), field="enrolment")
    return enrolment


def enrolment_for_user(user: Any) -> Enrolment:
    """The open enrolment of a resident's own login (which needs a login device)."""
    if not isinstance(user, User):
        raise NotFound(_("You are not enrolled for the emergency call."))
    device = (
        Device.objects.select_related("enrolment")
        .filter(
            user=user,
            kind=DeviceKind.LOGIN,
            revoked_at__isnull=True,
            enrolment__ended_at__isnull=True,
        )
        .first()
    )
    if device is None:
        raise NotFound(_("You are not enrolled for the emergency call."))
    return device.enrolment
