"""The workers pages: the list of a grid with filters, a worker's page with the lifecycle buttons
and the history, the registration form, the full phone behind a reason."""

from __future__ import annotations

from finegrid.accounts.models import User
from finegrid.core.models import AuditAction, AuditEvent
from finegrid.workforce.models import Origin, Worker, WorkerEvent, WorkerStatus
from tests.conftest import Net, client_for
from tests.staffing.helpers import person
from tests.workforce.helpers_workers import profile


def test_the_list_shows_a_grids_workers_in_a_constant_number_of_queries(
    net: Net, official: User, worker: User, django_assert_max_num_queries: object
) -> None:
    profile(worker, net.m1, actor=official)
    c = client_for(official)
    with django_assert_max_num_queries(12) as few:  # type: ignore[operator]
        r = c.get("/workforce/workers/?grid=G1")
    assert r.status_code == 200
    page = r.content.decode()
    assert "蔡如欣" in page and "139****5678" in page and "13912345678" not in page
    for i in range(12):
        profile(
            person(f"r{i}", f"骑手{i}", net.m2), net.m2, actor=official, origin="delivery_rider"
        )
    with django_assert_max_num_queries(len(few)):  # type: ignore[operator, arg-type]
        r = c.get("/workforce/workers/?grid=G1")
    assert r.content.decode().count('data-worker="') == 13


def test_the_filters_narrow_the_list(net: Net, official: User, worker: User) -> None:
    profile(worker, net.m1, actor=official)
    profile(person("vet", "王老兵", net.m1), net.m1, actor=official, origin=Origin.VETERAN)
    c = client_for(official)
    page = c.get("/workforce/workers/?grid=M1&origin=veteran").content.decode()
    assert "王老兵" in page and "蔡如欣" not in page
    page = c.get("/workforce/workers/?grid=M1&status=suspended").content.decode()
    assert page.count('data-worker="') == 0
    htmx = c.get("/workforce/workers/?grid=M1", headers={"HX-Request": "true"}).content.decode()
    assert htmx.lstrip().startswith('<div id="worker-list">') or 'id="worker-list"' in htmx[:200]


def test_an_official_suspends_and_reinstates_from_the_worker_page(
    net: Net, official: User, worker: User
) -> None:
    w = profile(worker, net.m1, actor=official)
    c = client_for(official)
    page = c.get(f"/workforce/workers/{w.pk}/").content.decode()
    assert 'data-move="suspended"' in page and 'data-move="exited"' in page
    r = c.post(f"/workforce/workers/{w.pk}/move", {"to": "suspended", "reason": "未按时到岗"})
    assert r.status_code == 302
    w.refresh_from_db()
    assert w.status == WorkerStatus.SUSPENDED
    r = c.post(
        f"/workforce/workers/{w.pk}/move",
        {"to": "active", "reason": "已整改"},
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 200 and 'data-status="active"' in r.content.decode()
    assert "已整改" in r.content.decode()
    w.refresh_from_db()
    assert w.status == WorkerStatus.ACTIVE


def test_an_exit_without_a_reason_is_refused_beside_the_field(
    net: Net, official: User, worker: User
) -> None:
    w = profile(worker, net.m1, actor=official)
    r = client_for(official).post(f"/workforce/workers/{w.pk}/move", {"to": "exited", "reason": ""})
    assert r.status_code == 422 and 'role="alert"' in r.content.decode()
    w.refresh_from_db()
    assert w.status == WorkerStatus.ACTIVE


def test_the_register_form_makes_an_applied_worker(net: Net, official: User) -> None:
    person("newbie", "李长明", net.m1)
    c = client_for(official)
    assert c.get("/workforce/workers/new/?grid=M1").status_code == 200
    r = c.post(
        "/workforce/workers/new/",
        {
            "username": "newbie",
            "type": "micro_worker",
            "origin": "residents_group",
            "grids": "M1，M2",
            "phone": "13700001111",
            "skills": "电工, 心理疏导",
        },
    )
    assert r.status_code == 302
    w = Worker.objects.get(user__username="newbie")
    assert w.status == WorkerStatus.APPLIED and w.skills == ["电工", "心理疏导"]
    r = c.post("/workforce/workers/new/", {"username": "ghost", "type": "micro_worker"})
    assert r.status_code == 422 and Worker.objects.count() == 1


def test_the_full_phone_is_shown_after_a_reason_and_audited(
    net: Net, official: User, worker: User
) -> None:
    w = profile(worker, net.m1, actor=official)
    c = client_for(official)
    assert "13912345678" not in c.get(f"/workforce/workers/{w.pk}/phone/").content.decode()
    r = c.post(f"/workforce/workers/{w.pk}/phone/", {"reason": "联系排班"})
    assert "13912345678" in r.content.decode() and r["Cache-Control"] == "no-store"
    assert AuditEvent.objects.filter(action=AuditAction.UNMASK, reason="联系排班").exists()


def test_a_grid_head_reads_without_buttons_and_may_not_move(
    net: Net, official: User, gridhead: User, worker: User
) -> None:
    w = profile(worker, net.m1, actor=official)
    c = client_for(gridhead)
    page = c.get(f"/workforce/workers/{w.pk}/").content.decode()
    assert "蔡如欣" in page and "data-move=" not in page
    assert c.get("/workforce/workers/?grid=G1").status_code == 200
    r = c.post(f"/workforce/workers/{w.pk}/move", {"to": "suspended", "reason": "试试"})
    assert r.status_code == 403
    assert WorkerEvent.objects.filter(worker=w).count() == 4


def test_the_neighbouring_grid_is_refused_on_every_page(
    net: Net, official: User, neighbour: User, worker: User
) -> None:
    w = profile(worker, net.m1, actor=official)
    c = client_for(neighbour)
    assert c.get("/workforce/workers/?grid=M1").status_code == 404
    assert "蔡如欣" not in c.get("/workforce/workers/").content.decode()
    assert c.get(f"/workforce/workers/{w.pk}/").status_code == 404
    assert c.get(f"/workforce/workers/{w.pk}/phone/").status_code == 404
    r = c.post(f"/workforce/workers/{w.pk}/move", {"to": "exited", "reason": "抢先"})
    assert r.status_code == 404
    person("newbie", "李长明", net.m1)
    r = c.post(
        "/workforce/workers/new/",
        {"username": "newbie", "type": "micro_worker", "origin": "veteran", "grids": "M1"},
    )
    assert r.status_code == 404
    w.refresh_from_db()
    assert w.status == WorkerStatus.ACTIVE and Worker.objects.count() == 1
