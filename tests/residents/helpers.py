from __future__ import annotations

from typing import Any

from finegrid.accounts.models import Role, RoleAssignment, User
from finegrid.grids.models import Duty, Grid, Household
from finegrid.grids.services import household_create, responsibility_assign
from finegrid.registry.models import Person
from finegrid.registry.services import PersonData, person_create, person_link_account
from tests.conftest import PASSWORD


def home_for(
    user: User,
    *,
    actor: Any,
    address: str = "锦丰新城1栋1单元101号",
    lat: float = 30.01,
    lng: float = 104.005,
) -> Household:
    """A household at the point, with ``user`` registered in it as its head and linked."""
    home = household_create(address=address, lat=lat, lng=lng)
    person = person_create(
        actor=actor,
        data=PersonData(name=user.display_name, household_id=home.pk, relation="head"),
    )
    person_link_account(actor=actor, person=person, user=user)
    return home


def another_resident(grid: Grid, username: str = "resident2", name: str = "王秀英") -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, display_name=name)
    RoleAssignment.objects.create(user=user, role=Role.RESIDENT, grid=grid)
    return user


def staff_micro_grids(net: Any, worker: User, neighbour: User) -> None:
    responsibility_assign(person=worker, duty=Duty.MICRO_WORKER, grid=net.m1)
    responsibility_assign(person=neighbour, duty=Duty.MICRO_WORKER, grid=net.m2)


def person_of(user: User) -> Person:
    return Person.objects.get(user=user)
