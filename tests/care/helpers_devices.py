"""Set-up for the enrolment, device, heartbeat and figures tests: people with a care tag, not
enrolled yet, in a household of a given micro-grid."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from finegrid.accounts.models import User
from finegrid.care.models import Device, Enrolment
from finegrid.care.services_enrolment import ContactSpec, DeviceSpec, enrolment_create
from finegrid.grids.models import Grid
from finegrid.grids.services import household_create
from finegrid.registry.models import CareKind, Gender, Person, Relation
from finegrid.registry.services import PersonData, care_tag_add, person_create


def tagged_person(
    actor: User,
    micro: Grid,
    *,
    name: str = "王奶奶",
    phone: str = "13900002222",
    kind: str = CareKind.LIVING_ALONE,
    tagged: bool = True,
) -> Person:
    home = household_create(
        address=f"锦丰新城 5栋1单元{Person.objects.count() + 101}", micro_grid=micro
    )
    person = person_create(
        actor=actor,
        data=PersonData(
            name=name,
            gender=Gender.FEMALE,
            birth_date=dt.date(1940, 5, 1),
            phone=phone,
            household_id=home.pk,
            relation=Relation.HEAD,
        ),
    )
    if tagged:
        care_tag_add(actor=actor, person=person, kind=kind)
    person.refresh_from_db()
    return person


def enrol_body(person: Person, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "person": person.pk,
        "devices": [{"kind": "button", "label": "床头按钮"}, {"kind": "phone", "label": "老年机"}],
        "contacts": [{"name": "王晓", "phone": "13800138000", "relation": "女儿"}],
    }
    body.update(extra)
    return body


@dataclass
class Enrolled:
    enrolment: Enrolment
    button: Device
    button_key: str


def enrol_person(actor: User, micro: Grid, *, name: str, phone: str) -> Enrolled:
    """Someone with a care tag in ``micro``, enrolled with a button and one family contact."""
    person = tagged_person(actor, micro, name=name, phone=phone)
    done = enrolment_create(
        actor=actor,
        person=person,
        devices=[DeviceSpec("button", "按钮")],
        contacts=[ContactSpec("家属", "13800138000", "子女")],
    )
    (button, key), *_rest = done.devices
    return Enrolled(done.enrolment, button, key)
