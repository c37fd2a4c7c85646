"""A report reads the grid it lands in and who to notify from per-process caches, and still
follows every change: at once when this process made it (a service or the admin), within a
second when another process did."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from finegrid.accounts.models import User
from finegrid.cases.models import Case
from finegrid.grids.models import Duty, Grid, Responsibility
from finegrid.grids.services import responsibility_assign
from finegrid.notifications.models import Notification
from tests.cases.helpers import MONDAY_10, staff_net
from tests.conftest import Net, client_for

URL = "/api/v1/cases"
BODY = {"category": "sanitation", "description": "楼道堆放杂物", "lat": 30.01, "lng": 104.005}


@pytest.fixture(autouse=True)
def _frozen(time_machine: Any) -> None:
    time_machine.move_to(MONDAY_10, tick=False)


def report(client: Client) -> dict[str, Any]:
    r = client.post(URL, BODY, content_type="application/json")
    assert r.status_code == 201, r.content
    body: dict[str, Any] = r.json()
    return body


def notified(case_id: int) -> set[str]:
    case = Case.objects.get(pk=case_id)
    rows = Notification.objects.filter(subject_kind="case", subject_id=case.pk, kind="case.new")
    return set(rows.values_list("user__username", flat=True))


def behind_our_back(sql: str, *params: Any) -> None:
    """A change made by another server process: this one hears nothing of it."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def superuser(username: str = "root") -> Client:
    return client_for(User.objects.create_superuser(username, password="x" * 12))


def test_a_warm_report_reads_neither_grids_nor_responsibilities(
    net: Net, worker: User, gridhead: User
) -> None:
    staff_net(net, worker, gridhead)
    client = client_for(worker)
    report(client)
    with CaptureQueriesContext(connection) as ctx:
        body = report(client)
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "grids_grid" not in sql and "grids_responsibility" not in sql
    assert notified(body["id"]) == {"worker", "gridhead"}


def test_a_worker_assigned_here_is_notified_of_the_next_case(
    net: Net, worker: User, gridhead: User, neighbour: User
) -> None:
    staff_net(net, worker, gridhead)
    client = client_for(worker)
    assert notified(report(client)["id"]) == {"worker", "gridhead"}
    responsibility_assign(person=neighbour, duty=Duty.MICRO_WORKER, grid=net.m1)
    assert notified(report(client)["id"]) == {"worker", "gridhead", "neighbour"}


def test_a_worker_assigned_by_another_process_is_notified_within_a_second(
    net: Net, worker: User, gridhead: User, neighbour: User, time_machine: Any
) -> None:
    staff_net(net, worker, gridhead)
    client = client_for(worker)
    report(client)
    # what responsibility_assign does, in another process: the row and the generation
    behind_our_back(
        "INSERT INTO grids_responsibility (created_at, updated_at, started_at, end_reason, "
        "person_id, duty, grid_id, grid_path, sort) VALUES (%s, %s, %s, '', %s, %s, %s, %s, 0)",
        MONDAY_10,
        MONDAY_10,
        MONDAY_10,
        neighbour.pk,
        Duty.MICRO_WORKER.value,
        net.m1.pk,
        net.m1.path,
    )
    behind_our_back(
        "UPDATE core_cachegeneration SET value = value + 1 WHERE name = %s", "responsibilities"
    )
    time_machine.shift(dt.timedelta(seconds=1))
    assert notified(report(client)["id"]) == {"worker", "gridhead", "neighbour"}


def test_a_duty_ended_on_the_staffing_page_is_no_longer_notified(
    net: Net, worker: User, gridhead: User, leader: User
) -> None:
    staff_net(net, worker, gridhead)
    client = client_for(worker)
    report(client)
    duty = Responsibility.objects.get(person=worker)
    r = client_for(leader).post(
        f"/api/v1/responsibilities/{duty.pk}/end",
        {"reason": "调离本网格"},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    assert not Responsibility.objects.current().filter(person=worker).exists()
    assert notified(report(client)["id"]) == {"gridhead"}


def test_a_duty_ended_by_another_process_is_no_longer_notified_within_a_second(
    net: Net, worker: User, gridhead: User, time_machine: Any
) -> None:
    staff_net(net, worker, gridhead)
    client = client_for(worker)
    report(client)
    behind_our_back(
        "UPDATE grids_responsibility SET ended_at = %s, end_reason = 'x' WHERE person_id = %s",
        MONDAY_10,
        worker.pk,
    )
    behind_our_back(
        "UPDATE core_cachegeneration SET value = value + 1 WHERE name = %s", "responsibilities"
    )
    time_machine.shift(dt.timedelta(seconds=1))
    assert notified(report(client)["id"]) == {"gridhead"}


def test_a_grid_renamed_in_the_admin_is_named_in_the_next_answer(net: Net, worker: User) -> None:
    client = client_for(worker)
    assert report(client)["micro_grid"]["name"] == "锦丰1-1微网格"
    r = superuser().post(
        f"/admin/grids/grid/{net.m1.pk}/change/",
        {
            "code": "M1",
            "name": "锦丰新城微网格",
            "level": "micro",
            "kind": "regular",
            "parent": net.g1.pk,
            "depth": net.m1.depth,
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    assert Grid.objects.get(pk=net.m1.pk).name == "锦丰新城微网格"
    assert report(client)["micro_grid"]["name"] == "锦丰新城微网格"


def test_a_grid_renamed_by_another_process_is_named_within_a_second(
    net: Net, worker: User, time_machine: Any
) -> None:
    client = client_for(worker)
    report(client)
    behind_our_back("UPDATE grids_grid SET name = %s WHERE id = %s", "锦丰新城微网格", net.m1.pk)
    behind_our_back("UPDATE core_cachegeneration SET value = value + 1 WHERE name = %s", "grids")
    time_machine.shift(dt.timedelta(seconds=1))
    body = report(client)
    assert body["micro_grid"]["name"] == "锦丰新城微网格"
    assert Case.objects.get(pk=body["id"]).micro_grid.name == "锦丰新城微网格"
