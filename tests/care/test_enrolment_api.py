"""/api/v1/care/enrolments: enrol a person with a care tag, each key shown once; list, read,
add a device, revoke one, end the enrolment — each within the caller's jurisdiction."""

from __future__ import annotations

from typing import Any

import pytest

from finegrid.care import services, services_enrolment
from finegrid.care.models import Device, DeviceCheck, Enrolment, FamilyContact
from finegrid.core import pii
from finegrid.core.errors import Forbidden
from tests.care.helpers_devices import enrol_body, tagged_person
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/care/enrolments"


def _post(user: Any, url: str, body: dict[str, Any]) -> Any:
    return client_for(user).post(url, body, content_type="application/json")


@pytest.fixture
def person(net: Any, leader: Any) -> Any:
    return tagged_person(leader, net.m1)


def test_it_enrols_a_person_and_shows_each_key_once(person: Any, official: Any) -> None:
    response = _post(official, URL, enrol_body(person))
    assert response.status_code == 201, response.content
    assert response["Cache-Control"] == "no-store"
    data = response.json()
    assert data["person"]["name"] == "王奶奶"
    assert data["person"]["phone_masked"] == person.phone_masked
    assert data["micro_grid"]["code"] == "M1" and data["community"]["code"] == "C1"
    keys = [d["key"] for d in data["devices"]]
    assert all(k and k.startswith("fgd_") for k in keys)
    # stored as digests, the hint being the key's start
    for d in data["devices"]:
        device = Device.objects.get(pk=d["id"])
        assert device.key_digest == services_enrolment.key_digest(d["key"])
        assert d["key"].startswith(device.key_hint)
    assert data["contacts"] == [
        {"name": "王晓", "relation": "女儿", "phone_masked": pii.mask_phone("13800138000")}
    ]
    contact = FamilyContact.objects.get()
    assert pii.decrypt(contact.phone_enc) == "13800138000"
    # afterwards only the hint
    again = client_for(official).get(f"{URL}/{data['id']}").json()
    assert [d["key"] for d in again["devices"]] == [None, None]
    assert [d["key_hint"] for d in again["devices"]] == [k[:8] for k in keys]
    assert keys[0] not in str(client_for(official).get(URL).content)


def test_a_login_device_needs_the_persons_login(person: Any, official: Any) -> None:
    response = _post(official, URL, enrol_body(person, devices=[{"kind": "login"}]))
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert (error["field"], error["row"]) == ("kind", 1)
    assert "login" in error["message_en"]
    assert not Enrolment.objects.exists() and not Device.objects.exists()


def test_bad_rows_are_refused_whole_naming_each(person: Any, official: Any) -> None:
    body = enrol_body(
        person,
        devices=[{"kind": "button"}, {"kind": "pager"}],
        contacts=[{"name": "", "phone": "12"}],
    )
    response = _post(official, URL, body)
    assert response.status_code == 422
    named = {(e["field"], e.get("row")) for e in response.json()["errors"]}
    assert ("kind", 2) in named and ("name", 1) in named
    assert any(f == "phone" for f, _row in named)
    assert not Enrolment.objects.exists()
    assert not Device.objects.exists() and not FamilyContact.objects.exists()


def test_a_too_long_label_is_refused_naming_the_row(person: Any, official: Any) -> None:
    body = enrol_body(person, devices=[{"kind": "button", "label": "长" * 81}])
    response = _post(official, URL, body)
    assert response.status_code == 422
    assert response.json()["field"] == "devices.0.label"
    assert not Enrolment.objects.exists()


def test_a_person_without_a_care_tag_or_enrolled_already_is_refused(
    net: Any, leader: Any, official: Any, person: Any
) -> None:
    untagged = tagged_person(leader, net.m1, name="赵先生", tagged=False)
    response = _post(official, URL, enrol_body(untagged))
    assert response.status_code == 422 and response.json()["field"] == "person"
    assert _post(official, URL, enrol_body(person)).status_code == 201
    again = _post(official, URL, enrol_body(person))
    assert again.status_code == 422
    assert "already" in again.json()["message_en"]
    assert Enrolment.objects.count() == 1


def test_the_neighbouring_grid_is_refused(
    net: Any, leader: Any, neighbour: Any, official: Any
) -> None:
    person = tagged_person(leader, net.m1)
    # a micro-grid worker of M2 cannot find a person of M1
    refused = _post(neighbour, URL, enrol_body(person))
    assert refused.status_code == 404 and refused.json()["field"] == "person"
    assert not Enrolment.objects.exists()
    made = _post(official, URL, enrol_body(person)).json()
    device = made["devices"][0]["id"]
    for method, url, body in [
        ("get", f"{URL}/{made['id']}", None),
        ("post", f"{URL}/{made['id']}/devices", {"kind": "button"}),
        ("post", f"{URL}/{made['id']}/end", {"reason": "搬走"}),
        ("post", f"/api/v1/care/devices/{device}/revoke", {"reason": "丢失"}),
    ]:
        client = client_for(neighbour)
        response = (
            client.get(url)
            if method == "get"
            else client.post(url, body, content_type="application/json")
        )
        assert response.status_code == 404, (url, response.content)
    assert client_for(neighbour).get(URL).json()["count"] == 0
    assert client_for(neighbour).get(f"{URL}?grid=M1").status_code == 404
    assert Device.objects.filter(revoked_at__isnull=True).count() == 2
    assert Enrolment.objects.get().ended_at is None


def test_an_official_of_another_community_is_refused(net: Any, leader: Any, official: Any) -> None:
    from finegrid.accounts.models import Role, RoleAssignment, User

    other = User.objects.create_user(username="c2", password="x" * 12, display_name="高堆官员")
    RoleAssignment.objects.create(user=other, role=Role.COMMUNITY_OFFICIAL, grid=net.c2)
    person = tagged_person(leader, net.m1)
    made = _post(official, URL, enrol_body(person)).json()
    assert client_for(other).get(f"{URL}/{made['id']}").status_code == 404
    assert client_for(other).get(URL).json()["count"] == 0
    assert (
        _post(other, URL, enrol_body(tagged_person(leader, net.m1, name="钱奶奶"))).status_code
        == 404
    )


def test_a_micro_grid_worker_may_not_enrol(person: Any, worker: Any) -> None:
    response = _post(worker, URL, enrol_body(person))
    assert response.status_code == 403
    assert response.json()["message"] != response.json()["message_en"]
    assert not Enrolment.objects.exists()


def test_the_list_filters_by_grid_name_and_state(net: Any, leader: Any) -> None:
    a = tagged_person(leader, net.m1, name="王奶奶")
    b = tagged_person(leader, net.m2, name="刘爷爷", phone="13900003333")
    c = tagged_person(leader, net.m3, name="孙奶奶", phone="13900004444")
    for p in (a, b, c):
        assert _post(leader, URL, enrol_body(p)).status_code == 201

    def names(q: str) -> list[str]:
        client = client_for(leader)
        return [i["person"]["name"] for i in client.get(f"{URL}?{q}").json()["items"]]

    assert names("") == ["王奶奶", "刘爷爷", "孙奶奶"]
    assert names("grid=G1") == ["王奶奶", "刘爷爷"]
    assert names("q=刘") == ["刘爷爷"]
    assert names("q=4444") == ["孙奶奶"]
    ended = Enrolment.objects.get(person=c)
    assert _post(leader, f"{URL}/{ended.pk}/end", {"reason": "去世"}).status_code == 200
    assert names("") == ["王奶奶", "刘爷爷"]
    assert names("state=ended") == ["孙奶奶"]
    assert names("state=all") == ["王奶奶", "刘爷爷", "孙奶奶"]
    bad = client_for(leader).get(f"{URL}?state=maybe")
    assert bad.status_code == 422 and bad.json()["field"] == "state"
    assert client_for(leader).get(f"{URL}?limit=0").json()["field"] == "limit"


def test_the_list_takes_a_constant_number_of_queries(
    net: Any, leader: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(12):
        person = tagged_person(
            leader, net.m1 if n % 2 else net.m3, name=f"老人{n}", phone=f"139000{n:05d}"
        )
        assert _post(leader, URL, enrol_body(person)).status_code == 201
    client = client_for(leader)
    client.get(URL)
    with django_assert_max_num_queries(12):
        response = client.get(f"{URL}?limit=200")
    assert response.json()["count"] == 12
    assert len(response.json()["items"][0]["devices"]) == 2


def test_a_device_is_added_with_its_key_once_and_revoked(person: Any, official: Any) -> None:
    made = _post(official, URL, enrol_body(person)).json()
    added = _post(official, f"{URL}/{made['id']}/devices", {"kind": "button", "label": "卫生间"})
    assert added.status_code == 201 and added["Cache-Control"] == "no-store"
    new = [d for d in added.json()["devices"] if d["key"]]
    assert len(new) == 1 and new[0]["label"] == "卫生间"
    key = new[0]["key"]
    assert services_enrolment.device_for_key(key).pk == new[0]["id"]
    refused = _post(official, f"/api/v1/care/devices/{new[0]['id']}/revoke", {"reason": ""})
    assert refused.status_code == 422 and refused.json()["field"] == "reason"
    assert Device.objects.get(pk=new[0]["id"]).revoked_at is None
    revoked = _post(official, f"/api/v1/care/devices/{new[0]['id']}/revoke", {"reason": "丢失"})
    assert revoked.status_code == 200
    assert revoked.json()["active"] is False and revoked.json()["revoke_reason"] == "丢失"
    with pytest.raises(Forbidden):
        services_enrolment.device_for_key(key)
    bad = _post(official, f"{URL}/{made['id']}/devices", {"kind": "pager"})
    assert bad.status_code == 422 and bad.json()["field"] == "kind"
    assert Device.objects.filter(enrolment_id=made["id"]).count() == 3


def test_ending_an_enrolment_revokes_its_devices_and_closes_its_checks(
    person: Any, official: Any
) -> None:
    made = _post(official, URL, enrol_body(person)).json()
    device = Device.objects.get(pk=made["devices"][0]["id"])
    from django.utils import timezone

    DeviceCheck.objects.create(
        device=device,
        enrolment_id=made["id"],
        micro_grid_id=device.enrolment.micro_grid_id,
        grid_path=device.enrolment.grid_path,
        reason="silent",
        opened_at=timezone.now(),
    )
    assert _post(official, f"{URL}/{made['id']}/end", {"reason": " "}).json()["field"] == "reason"
    assert Enrolment.objects.get().ended_at is None
    ended = _post(official, f"{URL}/{made['id']}/end", {"reason": "搬去养老院"})
    assert ended.status_code == 200
    data = ended.json()
    assert data["ended_at"] and data["end_reason"] == "搬去养老院"
    assert [d["active"] for d in data["devices"]] == [False, False]
    assert DeviceCheck.objects.get().end == "gone"
    again = _post(official, f"{URL}/{made['id']}/end", {"reason": "再次"})
    assert again.status_code == 409 and again.json()["field"] == "enrolment"
    # ended: a new device is refused, and the person can be enrolled again
    assert _post(official, f"{URL}/{made['id']}/devices", {"kind": "button"}).status_code == 409
    assert _post(official, URL, enrol_body(person)).status_code == 201


def test_an_enrolment_with_an_open_call_cannot_end(person: Any, official: Any) -> None:
    made = _post(official, URL, enrol_body(person)).json()
    enrolment = Enrolment.objects.get()
    services.call_raise(enrolment=enrolment, source="device", idempotency_key="k", caller="t")
    refused = _post(official, f"{URL}/{made['id']}/end", {"reason": "搬走"})
    assert refused.status_code == 409 and refused.json()["field"] == "enrolment"
    assert Enrolment.objects.get().ended_at is None
    assert Device.objects.filter(revoked_at__isnull=True).count() == 2


def test_anonymous_callers_are_refused(person: Any) -> None:
    assert client_for(None).get(URL).status_code == 401
    assert _post(None, URL, enrol_body(person)).status_code == 401
    assert not Enrolment.objects.exists()
