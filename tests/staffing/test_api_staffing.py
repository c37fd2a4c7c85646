"""The staffing API: list (current, or with history), assign or replace, end."""

from __future__ import annotations

import json

from finegrid.accounts.models import Role, User
from finegrid.core.models import AuditEvent
from finegrid.grids import services
from finegrid.grids.models import Duty, Responsibility
from tests.conftest import Net, client_for
from tests.staffing.helpers import person


def _post(c, url: str, body: dict) -> object:  # type: ignore[no-untyped-def]
    return c.post(url, json.dumps(body), content_type="application/json")


def test_it_lists_the_current_holders_and_with_history_the_earlier_ones(
    net: Net, leader: User, worker: User
) -> None:
    old = services.responsibility_assign(person=worker, duty=Duty.MICRO_WORKER, grid=net.m1)
    services.responsibility_end(responsibility=old, actor=leader, reason="搬离")
    new = person("new", "新人", net.m1)
    services.responsibility_assign(person=new, duty=Duty.MICRO_WORKER, grid=net.m1, actor=leader)
    c = client_for(leader)
    now = c.get("/api/v1/grids/M1/responsibilities").json()
    assert [(r["person"]["username"], r["current"]) for r in now] == [("new", True)]
    assert now[0]["assigned_by"]["username"] == "leader"
    both = c.get("/api/v1/grids/M1/responsibilities?history=1").json()
    assert {(r["person"]["username"], r["current"]) for r in both} == {
        ("new", True),
        ("worker", False),
    }
    ended = next(r for r in both if not r["current"])
    assert ended["end_reason"] == "搬离" and ended["ended_by"]["username"] == "leader"
    assert ended["ended_at"] is not None


def test_it_assigns_then_replaces_in_one_step(net: Net, official: User, gridhead: User) -> None:
    c = client_for(official)
    r = _post(c, "/api/v1/grids/G1/responsibilities", {"duty": "grid_head", "person": "gridhead"})
    assert r.status_code == 201, r.content
    first = r.json()
    successor = person("successor", "王芳", net.g1)
    r = _post(
        c,
        "/api/v1/grids/G1/responsibilities",
        {"duty": "grid_head", "person": "successor", "replace": first["id"], "reason": "调任"},
    )
    assert r.status_code == 201, r.content
    assert r.json()["person"]["username"] == "successor"
    rows = Responsibility.objects.order_by("id")
    assert [(x.person.username, x.ended_at is None) for x in rows] == [
        ("gridhead", False),
        ("successor", True),
    ]
    assert rows[0].end_reason == "调任" and rows[0].ended_at == rows[1].started_at
    assert successor.assignments.filter(role=Role.GRID_HEAD, grid=net.g1).exists()
    assert AuditEvent.objects.filter(target_type="responsibility", actor=official).count() == 3


def test_it_ends_with_a_reason_and_refuses_an_end_without_one_or_twice(
    net: Net, leader: User, worker: User
) -> None:
    held = services.responsibility_assign(person=worker, duty=Duty.MICRO_WORKER, grid=net.m1)
    c = client_for(leader)
    r = _post(c, f"/api/v1/responsibilities/{held.pk}/end", {"reason": " "})
    assert r.status_code == 422
    assert r.json()["field"] == "reason"
    assert r.json()["message"] == "请说明结束此职责的原因。"
    assert r.json()["message_en"] == "Give a reason for ending this duty."
    held.refresh_from_db()
    assert held.ended_at is None
    r = _post(c, f"/api/v1/responsibilities/{held.pk}/end", {"reason": "任期届满"})
    assert r.status_code == 200 and r.json()["current"] is False
    r = _post(c, f"/api/v1/responsibilities/{held.pk}/end", {"reason": "again"})
    assert r.status_code == 422
    assert r.json()["field"] == "responsibility"
    assert r.json()["message_en"] == "This duty has already ended."
    held.refresh_from_db()
    assert held.end_reason == "任期届满"


def test_bad_input_names_the_field_and_writes_nothing(net: Net, leader: User, worker: User) -> None:
    c = client_for(leader)
    url = "/api/v1/grids/M1/responsibilities"
    cases = [
        ({"duty": "micro_worker", "person": "nobody"}, "person"),
        ({"duty": "grid_head", "person": "worker"}, "duty"),
        ({"duty": "mayor", "person": "worker"}, "duty"),
        ({"duty": "micro_worker"}, "person"),
        ({"duty": "micro_worker", "person": "worker", "replace": 999999}, "responsibility"),
    ]
    for body, field in cases:
        r = _post(c, url, body)
        assert r.status_code in (404, 422), (body, r.content)
        assert r.json()["field"] == field, (body, r.json())
        assert r.json()["message"] and r.json()["message_en"]
    assert not Responsibility.objects.exists()


def test_a_neighbouring_community_official_is_refused_as_not_found(net: Net, worker: User) -> None:
    other = person("official2", "高堆书记", net.c2, role=Role.COMMUNITY_OFFICIAL)
    held = services.responsibility_assign(person=worker, duty=Duty.MICRO_WORKER, grid=net.m1)
    c = client_for(other)
    assert c.get("/api/v1/grids/M1/responsibilities").status_code == 404
    body = {"duty": "micro_worker", "person": "official2"}
    assert _post(c, "/api/v1/grids/M1/responsibilities", body).status_code == 404
    assert _post(c, f"/api/v1/responsibilities/{held.pk}/end", {"reason": "x"}).status_code == 404
    held.refresh_from_db()
    assert held.ended_at is None and Responsibility.objects.count() == 1


def test_a_grid_head_may_read_but_not_change(net: Net, gridhead: User, worker: User) -> None:
    held = services.responsibility_assign(person=worker, duty=Duty.MICRO_WORKER, grid=net.m1)
    c = client_for(gridhead)
    assert c.get("/api/v1/grids/M1/responsibilities").status_code == 200
    body = {"duty": "micro_worker", "person": "gridhead"}
    assert _post(c, "/api/v1/grids/M1/responsibilities", body).status_code == 403
    assert _post(c, f"/api/v1/responsibilities/{held.pk}/end", {"reason": "x"}).status_code == 403
    assert Responsibility.objects.current().count() == 1


def test_it_staffs_a_building_of_the_grid_and_lists_it_with_the_grid(
    net: Net, leader: User, official: User
) -> None:
    from finegrid.grids.services import building_create

    building = building_create(name="5栋", micro_grid=net.m1)
    c = client_for(leader)
    body = {"duty": "building_committee", "person": "official", "target": f"building:{building.pk}"}
    r = _post(c, "/api/v1/grids/M1/responsibilities", body)
    assert r.status_code == 201, r.content
    assert r.json()["target"] == f"building:{building.pk}"
    listed = c.get("/api/v1/grids/M1/responsibilities").json()
    assert [(x["duty"], x["target"]) for x in listed] == [
        ("building_committee", f"building:{building.pk}")
    ]
    assert Responsibility.objects.current().get().building == building
    body["target"] = "building:999999"
    r = _post(c, "/api/v1/grids/M1/responsibilities", body)
    assert r.status_code == 422 and r.json()["field"] == "target"
    assert Responsibility.objects.count() == 1
