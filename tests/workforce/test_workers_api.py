"""/api/v1/workforce/workers: list with filters and pages, one worker, register, move."""

from __future__ import annotations

from finegrid.accounts.models import User
from finegrid.workforce.models import Origin, Worker, WorkerEvent, WorkerStatus, WorkerType
from tests.conftest import Net, client_for
from tests.staffing.helpers import person
from tests.workforce.helpers_workers import post, profile

URL = "/api/v1/workforce/workers"


def test_it_lists_with_filters_and_pages_and_masks_phones(
    net: Net, official: User, worker: User, django_assert_max_num_queries: object
) -> None:
    profile(worker, net.m1, actor=official)
    vet = profile(
        person("vet", "王老兵", net.m1), net.m1, actor=official, origin=Origin.VETERAN, active=False
    )
    for i in range(5):
        profile(
            person(f"r{i}", f"骑手{i}", net.m2), net.m2, actor=official, origin="delivery_rider"
        )
    c = client_for(official)
    body = c.get(f"{URL}?grid=M1").json()
    assert body["count"] == 2
    assert {w["username"] for w in body["items"]} == {"worker", "vet"}
    assert body["items"][0]["phone"] == "139****5678"
    assert "13912345678" not in str(body)
    assert c.get(f"{URL}?grid=M1&origin=veteran").json()["items"][0]["id"] == vet.pk
    assert c.get(f"{URL}?grid=G1&status=applied").json()["count"] == 1
    assert c.get(f"{URL}?grid=G1&origin=delivery_rider&limit=2&offset=4").json() == {
        "count": 5,
        "items": [c.get(f"{URL}?grid=M2&limit=1&offset=4").json()["items"][0]],
    }
    with django_assert_max_num_queries(7):  # type: ignore[operator]
        assert len(c.get(f"{URL}?grid=G1&limit=50").json()["items"]) == 7


def test_it_shows_one_worker_with_the_history(net: Net, official: User, worker: User) -> None:
    w = profile(worker, net.m1, actor=official)
    body = client_for(official).get(f"{URL}/{w.pk}").json()
    assert body["status"] == "active" and body["can_manage"] is True
    assert [e["to_status"] for e in body["events"]] == ["applied", "vetted", "trained", "active"]
    assert body["grids"][0]["code"] == "M1"


def test_it_registers_a_worker_as_applied(net: Net, official: User) -> None:
    person("newbie", "李长明", net.m1)
    r = post(
        client_for(official),
        URL,
        {
            "username": "newbie",
            "type": WorkerType.MICRO_WORKER,
            "origin": Origin.BUILDING_HEAD,
            "grids": ["M1", "M2"],
            "phone": "139 0000 1111",
            "skills": ["电工"],
        },
    )
    assert r.status_code == 201, r.content
    w = Worker.objects.get(user__username="newbie")
    assert r.json()["status"] == "applied" and r.json()["phone"] == "139****1111"
    assert w.skills == ["电工"] and w.grid_path == net.m1.path


def test_it_moves_a_worker_and_refuses_a_bad_move(net: Net, official: User, worker: User) -> None:
    w = profile(worker, net.m1, actor=official)
    c = client_for(official)
    r = post(c, f"{URL}/{w.pk}/moves", {"to": "suspended", "reason": "连续三次未到岗"})
    assert r.status_code == 200 and r.json()["status"] == "suspended"
    r = post(c, f"{URL}/{w.pk}/moves", {"to": "trained", "reason": "重来"})
    assert r.status_code == 422 and r.json()["field"] == "to"
    assert r.json()["message"] and r.json()["message_en"]
    r = post(c, f"{URL}/{w.pk}/moves", {"to": "exited", "reason": ""})
    assert r.status_code == 422 and r.json()["field"] == "reason"
    r = post(c, f"{URL}/{w.pk}/moves", {"to": "retired", "reason": "老了"})
    assert r.status_code == 422 and r.json()["field"] == "to"
    w.refresh_from_db()
    assert w.status == WorkerStatus.SUSPENDED
    assert WorkerEvent.objects.filter(worker=w).count() == 5


def test_bad_registrations_name_the_field_and_write_nothing(net: Net, official: User) -> None:
    person("newbie", "李长明", net.m1)
    c = client_for(official)
    base = {"username": "newbie", "type": "micro_worker", "origin": "veteran", "grids": ["M1"]}
    for change, field in (
        ({"username": "nobody"}, "username"),
        ({"grids": ["NOPE"]}, "grids"),
        ({"grids": []}, "grids"),
        ({"phone": "110"}, "phone"),
    ):
        r = post(c, URL, {**base, **change})
        assert r.status_code == 422, change
        assert r.json()["field"] == field
    assert post(c, URL, {**base, "type": "boss"}).status_code == 422
    assert not Worker.objects.exists()


def test_a_grid_head_reads_but_does_not_change(
    net: Net, official: User, gridhead: User, worker: User
) -> None:
    w = profile(worker, net.m1, actor=official)
    c = client_for(gridhead)
    assert c.get(f"{URL}?grid=G1").json()["count"] == 1
    assert c.get(f"{URL}/{w.pk}").json()["can_manage"] is False
    r = post(c, f"{URL}/{w.pk}/moves", {"to": "suspended", "reason": "试试"})
    assert r.status_code == 403
    person("newbie", "李长明", net.m1)
    r = post(
        c, URL, {"username": "newbie", "type": "micro_worker", "origin": "veteran", "grids": ["M1"]}
    )
    assert r.status_code == 403
    w.refresh_from_db()
    assert w.status == WorkerStatus.ACTIVE


def test_the_neighbouring_grid_is_refused_on_every_endpoint(
    net: Net, official: User, neighbour: User, worker: User
) -> None:
    w = profile(worker, net.m1, actor=official)
    c = client_for(neighbour)
    assert c.get(f"{URL}?grid=M1").status_code == 404
    assert c.get(URL).json()["count"] == 0
    assert c.get(f"{URL}/{w.pk}").status_code == 404
    r = post(c, f"{URL}/{w.pk}/moves", {"to": "exited", "reason": "抢先"})
    assert r.status_code == 404
    person("newbie", "李长明", net.m1)
    r = post(
        c, URL, {"username": "newbie", "type": "micro_worker", "origin": "veteran", "grids": ["M1"]}
    )
    assert r.status_code == 404
    w.refresh_from_db()
    assert w.status == WorkerStatus.ACTIVE and Worker.objects.count() == 1
