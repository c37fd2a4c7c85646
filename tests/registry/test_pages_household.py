"""The family page: members, their worker, former members, rentals; registering a person."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from finegrid.grids import services as grid_services
from finegrid.grids.models import Duty, Household
from finegrid.registry import services
from finegrid.registry.models import Person
from tests.conftest import client_for
from tests.registry.helpers import home_in, make_id, register


@pytest.fixture
def family(net: Any, leader: Any, worker: Any) -> Household:
    home = home_in(net.m1, "锦丰新城1栋1单元101")
    head = register(leader, home, "张三", relation="head", phone="13912345678")
    register(leader, home, "王芳", relation="spouse")
    services.care_tag_add(actor=leader, person=head, kind="living_alone")
    grid_services.responsibility_assign(person=worker, duty=Duty.MICRO_WORKER, grid=net.m1)
    return home


def url(home: Household, tail: str = "") -> str:
    return f"/registry/households/{home.pk}/{tail}"


def test_it_shows_the_family_with_relations_tags_and_their_worker(
    official: Any, family: Household
) -> None:
    response = client_for(official).get(url(family))
    body = response.content.decode()
    assert response.status_code == 200
    assert "张三" in body and "王芳" in body
    assert "139****5678" in body and "13912345678" not in body
    assert "fg-tag--living_alone" in body
    assert "蔡如欣" in body and "13800000000" in body  # the micro-grid worker and phone


def test_a_neighbouring_grid_is_refused(neighbour: Any, family: Household) -> None:
    assert client_for(neighbour).get(url(family)).status_code == 404
    response = client_for(neighbour).post(url(family, "people/"), {"name": "李四"})
    assert response.status_code == 404
    assert not Person.objects.filter(name="李四").exists()


def test_it_shows_former_members_after_a_move(
    worker: Any, leader: Any, family: Household, net: Any
) -> None:
    wang = Person.objects.get(name="王芳")
    services.person_move(actor=leader, person=wang, household=home_in(net.m1, "锦丰新城2栋"))
    body = client_for(worker).get(url(family)).content.decode()
    assert 'id="past-members"' in body and "王芳" in body


def test_it_shows_the_rental(worker: Any, leader: Any, family: Household) -> None:
    landlord = Person.objects.get(name="张三")
    services.rental_create(
        actor=leader,
        household=family,
        landlord=landlord,
        registered=True,
        lease_start=dt.date(2025, 1, 1),
        lease_end=dt.date(2026, 12, 31),
    )
    body = client_for(worker).get(url(family)).content.decode()
    assert "2025-01-01" in body and "2026-12-31" in body


def test_it_registers_a_person_in_the_household(worker: Any, family: Household) -> None:
    response = client_for(worker).post(
        url(family, "people/"),
        {
            "name": "张小明",
            "document_type": "id_card",
            "id_number": make_id(born="20120307", seq="813"),
            "residence_status": "registered",
            "relation": "child",
        },
    )
    person = Person.objects.get(name="张小明")
    assert response.status_code == 302 and response["Location"].endswith(f"/{person.pk}/")
    assert person.household_id == family.pk and person.relation == "child"


def test_a_bad_id_number_is_explained_and_nobody_is_registered(
    worker: Any, family: Household
) -> None:
    response = client_for(worker).post(
        url(family, "people/"),
        {
            "name": "张小明",
            "document_type": "id_card",
            "id_number": "110101201203078139",
            "residence_status": "registered",
            "relation": "child",
        },
    )
    assert response.status_code == 422
    assert 'data-field="id_number"' in response.content.decode()
    assert not Person.objects.filter(name="张小明").exists()
