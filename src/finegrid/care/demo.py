"""The emergency call in the demo street: every elderly person living alone in 锦丰新城 enrolled
with a button and a family contact, and the demo login ``resident`` enrolled with their own
login, so it can press. Runs after the registry and the workforce are seeded."""

from __future__ import annotations

import random

from finegrid.accounts.models import User
from finegrid.care.models import Enrolment
from finegrid.care.services_enrolment import ContactSpec, DeviceSpec, enrolment_create
from finegrid.core import pii
from finegrid.registry.models import CareKind, Person

JINFENG = "锦丰新城"
RELATIONS = ["儿子", "女儿", "侄子", "外甥女", "孙子"]


def seed(scale_name: str, seed_value: int) -> dict[str, int]:
    from finegrid.registry.services import care_tag_add

    admin = User.objects.filter(username="admin").first()
    if admin is None:
        return {}
    rng = random.Random(seed_value * 7919 + 11)
    alone = pii.blind_index("care", CareKind.LIVING_ALONE)
    people = list(
        Person.objects.filter(
            household__building__estate__name=JINFENG,
            care_tags__kind_index=alone,
            care_tags__ended_on__isnull=True,
            deceased_on__isnull=True,
        )
        .exclude(pk__in=Enrolment.objects.filter(ended_at__isnull=True).values("person_id"))
        .select_related("household__micro_grid")
        .distinct()
        .order_by("pk")
    )
    enrolled = 0
    for person in people:
        surname = person.name[:1]
        enrolment_create(
            actor=admin,
            person=person,
            devices=[DeviceSpec("button", "一键呼叫按钮")],
            contacts=[
                ContactSpec(
                    f"{surname}{rng.choice('晓建丽志小')}{rng.choice('明华军芳强')}",
                    f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}",
                    rng.choice(RELATIONS),
                )
            ],
            note="演示：锦丰新城独居老人",
        )
        enrolled += 1
    # the demo resident presses with their own login
    resident = Person.objects.filter(user__username="resident").select_related("household").first()
    if resident is not None and not Enrolment.objects.filter(person=resident).exists():
        if not resident.care_tags.filter(kind_index=alone).exists():
            care_tag_add(
                actor=admin,
                person=resident,
                kind=CareKind.LIVING_ALONE,
                attributes={"note": "演示"},
            )
        enrolment_create(
            actor=admin,
            person=resident,
            devices=[DeviceSpec("login", "本人账号")],
            contacts=[ContactSpec("胡晓军", "13900002222", "儿子")],
            note="演示账号 resident",
        )
        enrolled += 1
    # the seeded buttons have just reported in, so the demo does not open a check for each
    from django.utils import timezone

    from finegrid.care.models import Device

    Device.objects.filter(kind="button", last_heartbeat_at__isnull=True).update(
        last_heartbeat_at=timezone.now(), battery=90
    )
    counts = {"care enrolments": enrolled}
    from finegrid.care.demo_daily import seed_daily, seed_meals

    counts.update(seed_daily(scale_name, seed_value))
    counts.update(seed_meals(scale_name, seed_value))
    return counts
