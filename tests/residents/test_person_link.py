"""Linking a login to a registry person: what gives a resident their household."""

from __future__ import annotations

import pytest

from finegrid.accounts.models import Role, RoleAssignment, User
from finegrid.core.errors import InvalidInput, NotFound
from finegrid.core.models import AuditEvent
from finegrid.grids.services import household_create
from finegrid.registry.models import Person
from finegrid.registry.services import PersonData, person_create, person_link_account
from tests.conftest import Net


def _person(actor: User, address: str, lng: float) -> Person:
    home = household_create(address=address, lat=30.01, lng=lng)
    return person_create(actor=actor, data=PersonData(name="胡民贵", household_id=home.pk))


def test_a_link_gives_the_user_the_person_and_the_resident_role_there(
    net: Net, leader: User
) -> None:
    user = User.objects.create_user(username="hmg", password="x" * 12, display_name="胡民贵")
    person = _person(leader, "锦丰新城2栋101号", 104.015)
    person_link_account(actor=leader, person=person, user=user)
    assert Person.objects.get(user=user) == person
    role = RoleAssignment.objects.get(user=user)
    assert (role.role, role.grid) == (Role.RESIDENT, net.m2)
    assert AuditEvent.objects.filter(action="update", fields=["user"]).count() == 1


def test_one_login_belongs_to_one_person(net: Net, leader: User, resident: User) -> None:
    first = _person(leader, "锦丰新城2栋101号", 104.005)
    second = _person(leader, "锦丰新城2栋102号", 104.005)
    person_link_account(actor=leader, person=first, user=resident)
    with pytest.raises(InvalidInput) as exc:
        person_link_account(actor=leader, person=second, user=resident)
    assert exc.value.problems[0].field == "user"
    assert Person.objects.get(user=resident) == first


def test_an_official_of_a_neighbouring_community_is_refused(
    net: Net, leader: User, resident: User
) -> None:
    official_c2 = User.objects.create_user(username="c2", password="x" * 12)
    RoleAssignment.objects.create(user=official_c2, role=Role.COMMUNITY_OFFICIAL, grid=net.c2)
    person = _person(leader, "锦丰新城2栋101号", 104.005)  # in C1
    with pytest.raises(NotFound):
        person_link_account(actor=official_c2, person=person, user=resident)
    assert not Person.objects.filter(user=resident).exists()
