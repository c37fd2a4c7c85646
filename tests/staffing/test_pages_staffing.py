"""The staffing page (人员配置): officials assign, replace and end duties of their grids."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from finegrid.accounts.models import Role, RoleAssignment, User
from finegrid.core.models import AuditEvent
from finegrid.grids import services
from finegrid.grids.models import Duty, Responsibility
from tests.conftest import Net, client_for
from tests.staffing.helpers import person

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_the_page_lists_each_duty_of_the_node_with_its_holder(
    net: Net, leader: User, worker: User
) -> None:
    services.responsibility_assign(person=worker, duty=Duty.MICRO_WORKER, grid=net.m1)
    r = client_for(leader).get("/grids/M1/staffing/")
    assert r.status_code == 200
    page = r.content.decode()
    assert 'data-duty="micro_worker"' in page and 'data-duty="building_head"' in page
    assert 'data-duty="grid_head"' not in page  # a duty of the level above
    assert 'data-holder="worker"' in page and "蔡如欣" in page
    assert "/grids/M1/staffing/assign" in page
    assert Responsibility.objects.current().count() == 1


def test_the_street_leader_assigns_a_micro_grid_worker_and_the_board_shows_them(
    net: Net, leader: User
) -> None:
    recruit = person("recruit", "李长明", net.m1)
    r = client_for(leader).post(
        "/grids/M1/staffing/assign", {"duty": "micro_worker", "person": "recruit"}
    )
    assert r.status_code == 302
    held = Responsibility.objects.current().get(duty=Duty.MICRO_WORKER, grid=net.m1)
    assert held.person == recruit and held.assigned_by == leader
    # the duty brings the role that lets the worker see the micro-grid's cases and households
    assert RoleAssignment.objects.filter(user=recruit, role=Role.MICRO_WORKER, grid=net.m1).exists()
    assert AuditEvent.objects.filter(target_type="responsibility", target_id=str(held.pk)).exists()
    assert "李长明" in client_for(None).get("/board/M1/").content.decode()


def test_replacing_ends_the_old_holder_and_keeps_them_in_the_history(
    net: Net, official: User, gridhead: User
) -> None:
    old = services.responsibility_assign(person=gridhead, duty=Duty.GRID_HEAD, grid=net.g1)
    successor = person("successor", "王芳", net.g1)
    r = client_for(official).post(
        f"/grids/G1/staffing/{old.pk}/replace",
        {"person": "successor", "reason": "调任社区"},
        **HTMX,
    )
    assert r.status_code == 200
    page = r.content.decode()
    assert 'data-holder="successor"' in page and "调任社区" in page  # the history row
    old.refresh_from_db()
    assert old.ended_at is not None and old.end_reason == "调任社区" and old.ended_by == official
    new = Responsibility.objects.current().get(duty=Duty.GRID_HEAD, grid=net.g1)
    assert new.person == successor and new.started_at == old.ended_at
    assert "王芳" in client_for(None).get("/board/G1/").content.decode()
    assert "张志强" not in client_for(None).get("/board/G1/").content.decode()


def test_ending_needs_a_reason_and_writes_nothing_without_one(
    net: Net, leader: User, worker: User
) -> None:
    held = services.responsibility_assign(person=worker, duty=Duty.MICRO_WORKER, grid=net.m1)
    r = client_for(leader).post(f"/grids/M1/staffing/{held.pk}/end", {"reason": "  "}, **HTMX)
    assert r.status_code == 422
    assert "请说明结束此职责的原因" in r.content.decode()
    held.refresh_from_db()
    assert held.ended_at is None


def test_ending_twice_is_refused_clearly(net: Net, leader: User, worker: User) -> None:
    held = services.responsibility_assign(person=worker, duty=Duty.MICRO_WORKER, grid=net.m1)
    c = client_for(leader)
    assert c.post(f"/grids/M1/staffing/{held.pk}/end", {"reason": "搬离"}).status_code == 302
    held.refresh_from_db()
    first_end = held.ended_at
    r = c.post(f"/grids/M1/staffing/{held.pk}/end", {"reason": "再次"}, **HTMX)
    assert r.status_code == 422
    assert "此职责已经结束" in r.content.decode()
    held.refresh_from_db()
    assert held.ended_at == first_end and held.end_reason == "搬离"
    # the replaced worker loses the role that came with the duty
    assert not RoleAssignment.objects.filter(user=worker, role=Role.MICRO_WORKER).exists()


def test_an_unknown_person_is_named_on_the_field_and_nothing_is_written(
    net: Net, leader: User
) -> None:
    r = client_for(leader).post(
        "/grids/M1/staffing/assign", {"duty": "micro_worker", "person": "nobody"}, **HTMX
    )
    assert r.status_code == 422
    page = r.content.decode()
    assert "辖区内没有此人" in page and 'data-field="person"' in page
    assert not Responsibility.objects.exists()


def test_a_duty_of_another_level_is_refused(net: Net, leader: User, worker: User) -> None:
    r = client_for(leader).post(
        "/grids/M1/staffing/assign", {"duty": "grid_head", "person": "worker"}, **HTMX
    )
    assert r.status_code == 422
    assert "不属于此网格或地点" in r.content.decode()
    assert not Responsibility.objects.exists()


def test_a_second_holder_of_a_one_holder_duty_is_refused(
    net: Net, official: User, gridhead: User, worker: User
) -> None:
    services.responsibility_assign(person=gridhead, duty=Duty.GRID_HEAD, grid=net.g1)
    r = client_for(official).post(
        "/grids/G1/staffing/assign", {"duty": "grid_head", "person": "worker"}, **HTMX
    )
    assert r.status_code == 422
    assert "张志强已担任此职责" in r.content.decode()
    assert list(Responsibility.objects.values_list("person__username", flat=True)) == ["gridhead"]


def test_the_page_and_its_errors_are_in_english_too(net: Net, leader: User, worker: User) -> None:
    held = services.responsibility_assign(person=worker, duty=Duty.MICRO_WORKER, grid=net.m1)
    services.responsibility_end(responsibility=held, actor=leader, reason="moved")
    services.responsibility_assign(person=worker, duty=Duty.MICRO_WORKER, grid=net.m1)
    c = client_for(leader)
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = c.get("/grids/M1/staffing/").content.decode()
    assert "Staffing of" in page and "Micro-grid worker" in page and "History: 1" in page
    refused = c.post(
        "/grids/M1/staffing/assign", {"duty": "micro_worker", "person": "nobody"}, **HTMX
    ).content.decode()
    assert "No such person in your jurisdiction" in refused
    # what is left in Chinese is data (names of people and grids) and the language switch
    data = [net.street.name, net.c1.name, net.g1.name, net.m1.name, "李建国", "蔡如欣", "简体中文"]
    for text in (page, refused):
        for name in data:
            text = text.replace(name, "")
        assert not re.findall(r"[\u4e00-\u9fff]", text)
    assert Responsibility.objects.count() == 2


def test_the_list_page_uses_a_constant_number_of_queries(net: Net, leader: User) -> None:
    c = client_for(leader)
    c.get("/grids/M1/staffing/")
    with CaptureQueriesContext(connection) as few:
        c.get("/grids/M1/staffing/")
    for i in range(6):
        p = person(f"w{i}", f"工作者{i}", net.m1)
        held = services.responsibility_assign(person=p, duty=Duty.MICRO_WORKER, grid=net.m1)
        if i % 2:
            services.responsibility_end(responsibility=held, actor=leader, reason="换人")
    services.responsibility_assign(
        person=User.objects.get(username="w0"), duty=Duty.BUILDING_HEAD, grid=net.m1
    )
    with CaptureQueriesContext(connection) as many:
        r = c.get("/grids/M1/staffing/")
    assert r.content.decode().count("data-holder=") == 4
    assert len(many) == len(few)
