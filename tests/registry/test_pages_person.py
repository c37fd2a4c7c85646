"""The person page and its forms: change, move, death, care tags."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from finegrid.core.models import AuditAction, AuditEvent
from finegrid.registry import services
from finegrid.registry.models import CareTag, Membership, Person
from tests.conftest import client_for
from tests.registry.helpers import home_in, make_id, register


@pytest.fixture
def zhang(net: Any, leader: Any) -> Person:
    person = register(leader, home_in(net.m1), "张三", id_number=make_id(), phone="13912345678")
    services.care_tag_add(actor=leader, person=person, kind="living_alone")
    services.care_tag_add(
        actor=leader, person=person, kind="key_attention", attributes={"category": "社区矫正"}
    )
    return person


def url(person: Person, tail: str = "") -> str:
    return f"/registry/people/{person.pk}/{tail}"


def test_it_shows_the_person_with_masked_id_and_phone(worker: Any, zhang: Person) -> None:
    response = client_for(worker).get(url(zhang))
    body = response.content.decode()
    assert response.status_code == 200
    assert zhang.id_number_masked in body and "139****5678" in body
    assert make_id() not in body and "13912345678" not in body


def test_a_neighbouring_grid_is_refused(neighbour: Any, zhang: Person) -> None:
    assert client_for(neighbour).get(url(zhang)).status_code == 404
    assert client_for(neighbour).post(url(zhang, "edit/"), {"name": "x"}).status_code == 404
    assert Person.objects.get(pk=zhang.pk).name == "张三"


def test_a_department_sees_no_person_and_no_care_tag(dept: Any, zhang: Person) -> None:
    response = client_for(dept).get(url(zhang))
    assert response.status_code == 403
    assert "社区矫正" not in response.content.decode()


def test_a_micro_grid_worker_does_not_see_key_attention(worker: Any, zhang: Person) -> None:
    body = client_for(worker).get(url(zhang)).content.decode()
    assert 'data-tag="living_alone"' in body
    assert 'data-tag="key_attention"' not in body and "社区矫正" not in body


def test_the_grid_head_sees_key_attention(gridhead: Any, zhang: Person) -> None:
    body = client_for(gridhead).get(url(zhang)).content.decode()
    assert 'data-tag="key_attention"' in body and "社区矫正" in body


def _edit(person: Person, **changes: Any) -> dict[str, Any]:
    data = {
        "name": person.name,
        "document_type": person.document_type,
        "gender": person.gender,
        "birth_date": person.birth_date.isoformat() if person.birth_date else "",
        "residence_status": person.residence_status,
        "occupation": person.occupation,
    }
    data.update(changes)
    return data


def test_it_changes_the_phone_and_records_the_change(worker: Any, zhang: Person) -> None:
    response = client_for(worker).post(url(zhang, "edit/"), _edit(zhang, phone="13700001111"))
    assert response.status_code == 302
    zhang.refresh_from_db()
    assert zhang.phone_masked == "137****1111"
    events = AuditEvent.objects.filter(action=AuditAction.UPDATE, target_id=str(zhang.pk))
    assert any("phone" in e.fields for e in events)


def test_a_bad_id_number_is_shown_beside_its_field_and_nothing_changes(
    worker: Any, zhang: Person
) -> None:
    bad = make_id()[:-1] + ("0" if make_id()[-1] != "0" else "1")
    response = client_for(worker).post(url(zhang, "edit/"), _edit(zhang, id_number=bad))
    body = response.content.decode()
    assert response.status_code == 422
    assert 'data-field="id_number"' in body and "fg-field-error" in body
    assert "校验位" in body or "check digit" in body
    zhang.refresh_from_db()
    assert zhang.id_number_masked.endswith(make_id()[-4:])


def test_it_moves_a_person_to_a_household_found_by_address(
    worker: Any, zhang: Person, net: Any
) -> None:
    target = home_in(net.m1, "锦丰新城9栋1单元101")
    found = client_for(worker).get(url(zhang, "move/households/"), {"hq": "9栋"})
    assert f'value="{target.pk}"' in found.content.decode()
    response = client_for(worker).post(
        url(zhang, "move/"),
        {"household": target.pk, "relation": "head", "on": dt.date.today().isoformat()},
    )
    assert response.status_code == 302
    zhang.refresh_from_db()
    assert zhang.household_id == target.pk
    assert Membership.objects.filter(person=zhang).count() == 2


def test_it_cannot_move_a_person_into_a_neighbouring_grid(
    worker: Any, zhang: Person, net: Any
) -> None:
    elsewhere = home_in(net.m2, "锦丰新城2栋1单元101")
    found = client_for(worker).get(url(zhang, "move/households/"), {"hq": "2栋"})
    assert f'value="{elsewhere.pk}"' not in found.content.decode()
    response = client_for(worker).post(
        url(zhang, "move/"),
        {"household": elsewhere.pk, "relation": "head", "on": dt.date.today().isoformat()},
    )
    assert response.status_code == 422
    zhang.refresh_from_db()
    assert zhang.household_id != elsewhere.pk


def test_it_records_a_death(worker: Any, zhang: Person) -> None:
    response = client_for(worker).post(url(zhang, "death/"), {"on": dt.date.today().isoformat()})
    assert response.status_code == 302
    zhang.refresh_from_db()
    assert zhang.deceased_on == dt.date.today() and zhang.household_id is None


def test_it_adds_a_disabled_tag_with_category_and_level(worker: Any, zhang: Person) -> None:
    response = client_for(worker).post(
        url(zhang, "tags/"), {"kind": "disabled", "category": "physical", "level": "2"}
    )
    assert response.status_code == 302
    body = client_for(worker).get(url(zhang)).content.decode()
    assert 'data-tag="disabled"' in body


def test_a_disabled_tag_needs_its_category(worker: Any, zhang: Person) -> None:
    before = CareTag.objects.count()
    response = client_for(worker).post(url(zhang, "tags/"), {"kind": "disabled", "level": "2"})
    assert response.status_code == 422
    assert 'data-field="category"' in response.content.decode()
    assert CareTag.objects.count() == before


def test_a_micro_worker_cannot_add_a_tag_they_may_not_see(worker: Any, zhang: Person) -> None:
    before = CareTag.objects.count()
    response = client_for(worker).post(url(zhang, "tags/"), {"kind": "low_income"})
    assert response.status_code == 422
    assert CareTag.objects.count() == before


def test_it_ends_a_care_tag(worker: Any, zhang: Person) -> None:
    tag = CareTag.objects.filter(person=zhang).order_by("id").first()
    assert tag is not None
    response = client_for(worker).post(url(zhang, f"tags/{tag.pk}/end/"))
    assert response.status_code == 302
    tag.refresh_from_db()
    assert tag.ended_on is not None


def test_a_micro_worker_cannot_end_a_tag_they_may_not_see(worker: Any, zhang: Person) -> None:
    tag = CareTag.objects.filter(person=zhang).order_by("id").last()
    assert tag is not None
    assert client_for(worker).post(url(zhang, f"tags/{tag.pk}/end/")).status_code == 404
    tag.refresh_from_db()
    assert tag.ended_on is None
