"""Registering someone who looks like a person already registered warns before saving: on the
page with a link and a "register anyway" button, in the API with 409 unless confirmed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from finegrid.registry.models import Person
from tests.conftest import client_for
from tests.registry.helpers import home_in, make_id, register

BORN = dt.date(1990, 3, 7)


def _post(user: Any, **body: Any) -> Any:
    return client_for(user).post("/api/v1/registry/people", body, content_type="application/json")


def test_the_same_name_and_birth_date_answers_409_naming_the_person(
    net: Any, leader: Any, worker: Any
) -> None:
    existing = register(leader, home_in(net.m1, "锦丰1栋101"), "张三", birth_date=BORN)
    other = home_in(net.m1, "锦丰1栋102")
    r = _post(worker, name="张三", household_id=other.pk, birth_date="1990-03-07")
    assert r.status_code == 409
    body = r.json()
    assert body["code"] == "possible_duplicate" and body["field"] == "name"
    assert body["person_id"] == existing.pk
    assert body["people"] == [
        {
            "id": existing.pk,
            "name": "张三",
            "birth_date": "1990-03-07",
            "household_id": existing.household_id,
        }
    ]
    assert "相似" in body["message"] and "looks like" in body["message_en"]
    assert Person.objects.count() == 1


def test_confirming_registers_the_person_anyway(net: Any, leader: Any, worker: Any) -> None:
    register(leader, home_in(net.m1, "锦丰1栋101"), "张三", birth_date=BORN)
    other = home_in(net.m1, "锦丰1栋102")
    r = _post(
        worker, name="张三", household_id=other.pk, birth_date="1990-03-07", confirm_duplicate=True
    )
    assert r.status_code == 201
    assert Person.objects.filter(name="张三", household=other).exists()


def test_the_birth_date_in_an_id_number_counts(net: Any, leader: Any, worker: Any) -> None:
    existing = register(leader, home_in(net.m1, "锦丰1栋101"), "张三", birth_date=BORN)
    r = _post(
        worker,
        name="张三",
        household_id=home_in(net.m1, "锦丰1栋102").pk,
        id_number=make_id(born="19900307", seq="815"),
    )
    assert r.status_code == 409 and r.json()["person_id"] == existing.pk
    assert Person.objects.count() == 1


def test_the_same_name_in_the_household_warns_without_a_birth_date(
    net: Any, leader: Any, worker: Any
) -> None:
    home = home_in(net.m1)
    existing = register(leader, home, "张三")
    r = _post(worker, name="张三", household_id=home.pk)
    assert r.status_code == 409 and r.json()["person_id"] == existing.pk
    r = _post(worker, name="张三", household_id=home_in(net.m1, "锦丰1栋102").pk)
    assert r.status_code == 201  # elsewhere, a name alone is no sign


def test_the_same_id_number_is_refused_naming_the_person(
    net: Any, leader: Any, worker: Any
) -> None:
    id_number = make_id()
    existing = register(leader, home_in(net.m1), "张三", id_number=id_number)
    r = _post(
        worker,
        name="张叁",
        household_id=home_in(net.m1, "锦丰1栋102").pk,
        id_number=id_number,
        confirm_duplicate=True,
    )
    assert r.status_code == 422
    assert r.json()["field"] == "id_number" and r.json()["person_id"] == existing.pk
    assert Person.objects.count() == 1


def test_a_neighbouring_grid_is_refused(net: Any, leader: Any, worker: Any, neighbour: Any) -> None:
    id_number = make_id()
    register(leader, home_in(net.m1), "张三", birth_date=BORN, id_number=id_number)
    theirs = home_in(net.m2, "锦丰2栋101")
    # someone alike in a grid the neighbour cannot see is not shown to them
    r = _post(neighbour, name="张三", household_id=theirs.pk, birth_date="1990-03-07")
    assert r.status_code == 201
    r = _post(neighbour, name="张四", household_id=theirs.pk, id_number=id_number)
    assert r.status_code == 422 and "person_id" not in r.json()
    # nor may the neighbour register into the worker's household
    mine = home_in(net.m1, "锦丰1栋102")
    assert _post(neighbour, name="李四", household_id=mine.pk).status_code == 404
    assert Person.objects.filter(household=mine).count() == 0


def _form(**kw: Any) -> dict[str, Any]:
    return {
        "name": "张三",
        "document_type": "none",
        "birth_date": "1990-03-07",
        "residence_status": "registered",
        "relation": "other",
        **kw,
    }


def test_the_page_warns_with_a_link_and_registers_anyway_when_asked(
    net: Any, leader: Any, worker: Any
) -> None:
    existing = register(leader, home_in(net.m1, "锦丰1栋101"), "张三", birth_date=BORN)
    other = home_in(net.m1, "锦丰1栋102")
    client = client_for(worker)
    url = f"/registry/households/{other.pk}/people/"
    response = client.post(url, _form())
    assert response.status_code == 409
    body = response.content.decode()
    assert 'id="possible-duplicate"' in body
    assert f'href="/registry/people/{existing.pk}/"' in body
    assert "锦丰1栋101" in body
    assert 'name="confirm_duplicate" value="1"' in body
    assert 'value="张三"' in body  # what was typed is kept
    assert Person.objects.count() == 1
    response = client.post(url, _form(confirm_duplicate="1"))
    assert response.status_code == 302
    assert Person.objects.filter(household=other, name="张三").exists()


def test_the_page_links_the_holder_of_an_id_number(net: Any, leader: Any, worker: Any) -> None:
    id_number = make_id()
    existing = register(leader, home_in(net.m1), "张三", id_number=id_number)
    other = home_in(net.m1, "锦丰1栋102")
    response = client_for(worker).post(
        f"/registry/households/{other.pk}/people/",
        _form(name="张叁", document_type="id_card", id_number=id_number, birth_date=""),
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert 'id="already-registered"' in body
    assert f'href="/registry/people/{existing.pk}/"' in body
    assert Person.objects.count() == 1
