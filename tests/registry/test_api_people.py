"""The people endpoints of /api/v1/registry/: create, list, read, change, move, death, unmask."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from finegrid.accounts.models import User
from finegrid.core import pii
from finegrid.core.models import AuditEvent
from finegrid.registry.models import EndReason, Membership, Person
from tests.conftest import Net, client_for
from tests.registry.helpers import home_in, make_id, register

URL = "/api/v1/registry/people"
FORBIDDEN_KEYS = {"id_number_enc", "id_number_index", "phone_enc", "phone_index"}


def post(c: Client, url: str, body: dict[str, Any]) -> Any:
    return c.post(url, json.dumps(body), content_type="application/json")


def patch(c: Client, url: str, body: dict[str, Any]) -> Any:
    return c.patch(url, json.dumps(body), content_type="application/json")


def test_it_registers_a_person_and_answers_masked(worker: User, net: Net) -> None:
    home = home_in(net.m1)
    number = make_id()
    r = post(
        client_for(worker),
        URL,
        {
            "name": "张三",
            "id_number": number,
            "phone": "13812345678",
            "household_id": home.pk,
            "relation": "head",
            "is_veteran": True,
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["id_number_masked"] == "510***********" + number[-4:]
    assert body["phone_masked"] == "138****5678"
    assert body["grid"] == "M1" and body["household_address"] == home.address
    assert body["birth_date"] == "1990-03-07" and body["gender"] == "male"
    assert not FORBIDDEN_KEYS & set(body) and number not in r.content.decode()
    row = Person.objects.get(pk=body["id"])
    assert pii.decrypt(row.id_number_enc) == number and row.is_veteran
    assert AuditEvent.objects.filter(action="create", target_id=str(row.pk)).count() == 1


def test_a_wrong_check_digit_is_422_naming_id_number(worker: User, net: Net) -> None:
    home = home_in(net.m1)
    bad = make_id()[:17] + ("0" if make_id()[17] != "0" else "1")
    r = post(client_for(worker), URL, {"name": "张三", "id_number": bad, "household_id": home.pk})
    assert r.status_code == 422
    assert r.json()["field"] == "id_number"
    assert "check digit" in r.json()["message_en"]
    assert not Person.objects.exists()


def test_a_bad_phone_is_422_naming_phone(worker: User, net: Net) -> None:
    home = home_in(net.m1)
    r = post(client_for(worker), URL, {"name": "张三", "phone": "12345", "household_id": home.pk})
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["phone"]
    assert not Person.objects.exists()


def test_a_schema_error_names_the_field(worker: User, net: Net) -> None:
    home = home_in(net.m1)
    r = post(
        client_for(worker),
        URL,
        {"name": "张三", "household_id": home.pk, "birth_date": "not a date"},
    )
    assert r.status_code == 422
    assert r.json()["field"] == "birth_date"
    r = post(client_for(worker), URL, {"household_id": home.pk})
    assert r.status_code == 422 and r.json()["field"] == "name"
    assert not Person.objects.exists()


def test_registering_in_the_neighbouring_grid_is_refused(worker: User, net: Net) -> None:
    there = home_in(net.m2, "锦丰新城2栋1单元101")
    r = post(client_for(worker), URL, {"name": "张三", "household_id": there.pk})
    assert r.status_code == 404
    assert not Person.objects.exists()


def test_the_list_searches_within_the_jurisdiction(worker: User, leader: User, net: Net) -> None:
    register(leader, home_in(net.m1), "张三", phone="13812345678")
    register(leader, home_in(net.m2, "锦丰新城2栋1单元101"), "张山")
    body = client_for(worker).get(URL + "?q=zs").json()
    assert body["count"] == 1 and body["items"][0]["name"] == "张三"
    assert not FORBIDDEN_KEYS & set(body["items"][0])
    assert client_for(leader).get(URL + "?q=zs").json()["count"] == 2
    assert client_for(leader).get(URL + "?q=13812345678").json()["count"] == 1
    assert client_for(leader).get(URL + "?q=zs&grid=M2").json()["items"][0]["name"] == "张山"


def test_the_list_uses_a_constant_number_of_queries(leader: User, net: Net) -> None:
    homes = [home_in(net.m1, f"锦丰新城1栋1单元{i}01") for i in range(1, 4)]
    c = client_for(leader)
    register(leader, homes[0], "张三")
    c.get(URL + "?limit=1")  # warm the session
    with CaptureQueriesContext(connection) as small:
        assert c.get(URL + "?limit=1").json()["count"] == 1
    for i in range(12):
        register(leader, homes[i % 3], f"李{i}", id_number=make_id(seq=f"{i:03d}"))
    with CaptureQueriesContext(connection) as large:
        assert len(c.get(URL + "?limit=100").json()["items"]) == 13
    assert len(large) == len(small)


def test_a_bad_limit_is_422_naming_limit(leader: User) -> None:
    r = client_for(leader).get(URL + "?limit=0")
    assert r.status_code == 422 and r.json()["field"] == "limit"


def test_it_reads_one_person(worker: User, net: Net) -> None:
    person = register(worker, home_in(net.m1), phone="13812345678")
    body = client_for(worker).get(f"{URL}/{person.pk}").json()
    assert body["name"] == "张三" and body["phone_masked"] == "138****5678"
    assert body["care_tags"] == []


def test_reading_a_person_of_the_neighbouring_grid_is_refused(
    worker: User, neighbour: User, net: Net
) -> None:
    person = register(neighbour, home_in(net.m2))
    assert client_for(worker).get(f"{URL}/{person.pk}").status_code == 404
    assert client_for(neighbour).get(f"{URL}/{person.pk}").status_code == 200


def test_roles_without_registry_access_are_refused(
    dept: User, resident: User, leader: User, net: Net
) -> None:
    person = register(leader, home_in(net.m1))
    for user in (dept, resident):
        c = client_for(user)
        assert c.get(URL).status_code == 403
        assert c.get(f"{URL}/{person.pk}").status_code == 403
        r = post(c, URL, {"name": "王五", "household_id": person.household_id})
        assert r.status_code == 403
    assert Person.objects.count() == 1


def test_anonymous_callers_are_refused(net: Net) -> None:
    assert client_for(None).get(URL).status_code == 401


def test_a_patch_changes_only_what_it_names(worker: User, net: Net) -> None:
    person = register(worker, home_in(net.m1), id_number=make_id(), occupation="厨师")
    r = patch(client_for(worker), f"{URL}/{person.pk}", {"phone": "13912345678"})
    assert r.status_code == 200, r.content
    assert r.json()["phone_masked"] == "139****5678" and r.json()["occupation"] == "厨师"
    row = Person.objects.get(pk=person.pk)
    assert pii.decrypt(row.phone_enc) == "13912345678"
    assert row.id_number_index == person.id_number_index
    event = AuditEvent.objects.get(action="update", target_id=str(person.pk))
    assert event.fields == ["phone"]


def test_a_bad_patch_is_422_and_changes_nothing(worker: User, net: Net) -> None:
    person = register(worker, home_in(net.m1), phone="13812345678")
    r = patch(client_for(worker), f"{URL}/{person.pk}", {"phone": "999", "occupation": "厨师"})
    assert r.status_code == 422 and r.json()["field"] == "phone"
    row = Person.objects.get(pk=person.pk)
    assert row.occupation == "" and row.phone_masked == "138****5678"


def test_patching_a_person_of_the_neighbouring_grid_is_refused(
    worker: User, neighbour: User, net: Net
) -> None:
    person = register(neighbour, home_in(net.m2))
    r = patch(client_for(worker), f"{URL}/{person.pk}", {"occupation": "厨师"})
    assert r.status_code == 404
    assert Person.objects.get(pk=person.pk).occupation == ""


def test_a_move_closes_the_old_stay_and_opens_a_new_one(gridhead: User, net: Net) -> None:
    person = register(gridhead, home_in(net.m1))
    there = home_in(net.m2, "锦丰新城2栋1单元101")
    r = post(
        client_for(gridhead),
        f"{URL}/{person.pk}/move",
        {"household_id": there.pk, "relation": "tenant", "on": dt.date.today().isoformat()},
    )
    assert r.status_code == 200, r.content
    assert r.json()["grid"] == "M2" and r.json()["relation"] == "tenant"
    stays = list(Membership.objects.filter(person=person).order_by("id"))
    assert [s.end_reason for s in stays] == [EndReason.MOVED, ""]
    assert Person.objects.get(pk=person.pk).grid_path == net.m2.path


def test_a_move_into_the_neighbouring_grid_is_refused(worker: User, net: Net) -> None:
    person = register(worker, home_in(net.m1))
    there = home_in(net.m2, "锦丰新城2栋1单元101")
    r = post(client_for(worker), f"{URL}/{person.pk}/move", {"household_id": there.pk})
    assert r.status_code == 404 and r.json()["field"] == "household_id"
    assert Person.objects.get(pk=person.pk).household_id == person.household_id


def test_moving_out_of_the_street_keeps_the_history(worker: User, net: Net) -> None:
    person = register(worker, home_in(net.m1))
    r = post(client_for(worker), f"{URL}/{person.pk}/move", {"household_id": None})
    assert r.status_code == 200 and r.json()["household_id"] is None
    assert Membership.objects.get(person=person).end_reason == EndReason.MOVED_OUT


def test_a_death_is_recorded_and_ends_the_stay(worker: User, net: Net) -> None:
    person = register(worker, home_in(net.m1))
    today = dt.date.today().isoformat()
    r = post(client_for(worker), f"{URL}/{person.pk}/death", {"on": today})
    assert r.status_code == 200 and r.json()["deceased_on"] == today
    assert Membership.objects.get(person=person).end_reason == EndReason.DIED
    r = post(client_for(worker), f"{URL}/{person.pk}/death", {"on": today})
    assert r.status_code == 422 and r.json()["field"] == "on"


def test_a_death_in_the_neighbouring_grid_is_refused(
    worker: User, neighbour: User, net: Net
) -> None:
    person = register(neighbour, home_in(net.m2))
    r = post(client_for(worker), f"{URL}/{person.pk}/death", {"on": "2024-01-01"})
    assert r.status_code == 404
    assert Person.objects.get(pk=person.pk).deceased_on is None


def test_unmasking_answers_the_full_value_and_is_audited(worker: User, net: Net) -> None:
    number = make_id()
    person = register(worker, home_in(net.m1), id_number=number)
    r = post(
        client_for(worker),
        f"{URL}/{person.pk}/unmask",
        {"field": "id_number", "reason": "办理低保核对身份"},
    )
    assert r.status_code == 200
    assert r.json() == {"field": "id_number", "value": number}
    event = AuditEvent.objects.get(action="unmask")
    assert event.actor == worker and event.reason == "办理低保核对身份"
    assert event.fields == ["id_number"]


def test_unmasking_without_a_reason_is_refused_and_not_audited(worker: User, net: Net) -> None:
    person = register(worker, home_in(net.m1), id_number=make_id())
    r = post(client_for(worker), f"{URL}/{person.pk}/unmask", {"field": "id_number", "reason": ""})
    assert r.status_code == 422 and r.json()["field"] == "reason"
    r = post(client_for(worker), f"{URL}/{person.pk}/unmask", {"field": "name", "reason": "查"})
    assert r.status_code == 422 and r.json()["field"] == "field"
    assert not AuditEvent.objects.filter(action="unmask").exists()


def test_unmasking_in_the_neighbouring_grid_is_refused(
    worker: User, neighbour: User, net: Net
) -> None:
    person = register(neighbour, home_in(net.m2), id_number=make_id())
    r = post(
        client_for(worker), f"{URL}/{person.pk}/unmask", {"field": "id_number", "reason": "核对"}
    )
    assert r.status_code == 404
    assert not AuditEvent.objects.filter(action="unmask").exists()


def test_the_openapi_document_lists_the_registry_endpoints(net: Net) -> None:
    paths = client_for(None).get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/registry/households",
        "/api/v1/registry/households/{household_id}",
        "/api/v1/registry/people",
        "/api/v1/registry/people/{person_id}",
        "/api/v1/registry/people/{person_id}/move",
        "/api/v1/registry/people/{person_id}/death",
        "/api/v1/registry/people/{person_id}/unmask",
        "/api/v1/registry/people/{person_id}/care-tags",
        "/api/v1/registry/care-tags/{tag_id}/end",
        "/api/v1/registry/rentals",
        "/api/v1/registry/businesses",
    ):
        assert path in paths, path
