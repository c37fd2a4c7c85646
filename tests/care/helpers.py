"""Shared set-up for the emergency-call tests: 陈大爷, living alone in 锦丰1-1微网格, enrolled
with a button and his own login; the micro-grid worker and the grid head staffed since New Year.

The clock is moved into a working Monday morning (10:00 Beijing time) of a week a year from now,
so the grid head is on duty; a test that wants the evening moves it again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from finegrid.accounts.models import Role, RoleAssignment, User
from finegrid.care.models import Device, Enrolment
from finegrid.care.services_enrolment import ContactSpec, DeviceSpec, enrolment_create
from finegrid.grids.models import Duty, Grid
from finegrid.grids.services import household_create, responsibility_assign
from finegrid.registry.models import CareKind, Gender, Relation
from finegrid.registry.services import PersonData, care_tag_add, person_create, person_link_account

LOCAL = ZoneInfo("Asia/Shanghai")


def working_morning() -> dt.datetime:
    """10:00 Beijing time on the first working Monday a year from now (by the cases calendar)."""
    from finegrid.cases.clock import is_workday

    day = timezone.localdate() + dt.timedelta(days=365)
    while day.weekday() != 0 or not is_workday(day, {}):
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=LOCAL)


@dataclass
class Enrolled:
    enrolment: Enrolment
    button: Device
    button_key: str
    login_device: Device
    elder: User


def staff(net: Any, worker: User, gridhead: User, since: dt.datetime) -> None:
    responsibility_assign(person=worker, duty=Duty.MICRO_WORKER, grid=net.m1, at=since)
    responsibility_assign(person=gridhead, duty=Duty.GRID_HEAD, grid=net.g1, at=since)


def enrol_elder(
    net: Any, actor: User, micro: Grid | None = None, username: str = "chen"
) -> Enrolled:
    """陈大爷 in a household of ``micro`` (M1), living alone, with a button and his login."""
    micro = micro or net.m1
    home = household_create(address=f"锦丰新城 3栋2单元50{micro.pk % 10}", micro_grid=micro)
    person = person_create(
        actor=actor,
        data=PersonData(
            name="陈大爷",
            gender=Gender.MALE,
            birth_date=dt.date(1942, 3, 1),
            phone="13900001111",
            household_id=home.pk,
            relation=Relation.HEAD,
        ),
    )
    care_tag_add(actor=actor, person=person, kind=CareKind.LIVING_ALONE)
    elder = User.objects.create_user(
        username=username, password="x" * 12, display_name="陈大爷", phone="13900001111"
    )
    RoleAssignment.objects.create(user=elder, role=Role.RESIDENT, grid=micro)
    person_link_account(actor=actor, person=person, user=elder)
    person.refresh_from_db()
    done = enrolment_create(
        actor=actor,
        person=person,
        devices=[DeviceSpec("button", "红色按钮"), DeviceSpec("login")],
        contacts=[ContactSpec("陈晓", "13800138000", "儿子")],
    )
    (button, key), (login, _empty) = done.devices
    return Enrolled(done.enrolment, button, key, login, elder)
