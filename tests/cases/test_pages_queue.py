"""The dispatcher's queue and bulk reassignment, and the department workspace."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from finegrid.accounts.models import User
from finegrid.cases import services
from finegrid.cases.models import Case, Department, Status
from tests.cases.helpers import MONDAY_10, department_user, report, staff_net
from tests.conftest import Net, client_for


def english(user: User | None) -> Any:
    client = client_for(user)
    client.cookies["django_language"] = "en"
    return client


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_queue_lists_cases_with_colour_counts(net: Net, worker: User, official: User) -> None:
    a = report(worker)
    b = report(worker, category="gas", urgency="critical", lng=104.006)
    c = report(worker, lat=30.01, lng=104.025)  # in C2: outside the official's community
    response = english(official).get("/cases/")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'data-number="{a.number}"' in body and f'data-number="{b.number}"' in body
    assert f'data-number="{c.number}"' not in body
    assert (
        'fg-chip--red" href="?colour=red">Badly overdue or safety-critical <strong>1</strong>'
        in body
    )
    assert "On time <strong>1</strong>" in body


@pytest.mark.usefixtures("at_monday_10")
def test_the_queue_filters_by_grid_category_and_status(
    net: Net, worker: User, neighbour: User, official: User
) -> None:
    a = report(worker)
    b = report(neighbour, lng=104.015, category="dispute")
    client = english(official)
    body = client.get("/cases/?grid=M2").content.decode()
    assert b.number in body and a.number not in body
    body = client.get("/cases/?category=sanitation&status=open").content.decode()
    assert a.number in body and b.number not in body
    body = client.get("/cases/?since=2026-11-24").content.decode()
    assert a.number not in body and "No cases match." in body


def test_an_htmx_filter_gets_only_the_results(net: Net, worker: User, official: User) -> None:
    report(worker)
    response = client_for(official).get("/cases/?colour=blue", headers={"HX-Request": "true"})
    assert b"<html" not in response.content and b'id="colour-counts"' in response.content


def test_the_queue_costs_the_same_queries_at_two_sizes(
    net: Net, worker: User, gridhead: User, official: User
) -> None:
    staff_net(net, worker, gridhead)
    client = client_for(official)
    for _ in range(2):
        services.case_dispatch(
            actor=gridhead,
            case=services.case_accept(actor=gridhead, case=report(worker)),
            assignee=worker,
        )
    small = _queries(client, "/cases/")
    for i in range(12):
        report(worker, lng=104.001 + i * 0.0005, now=MONDAY_10 + dt.timedelta(minutes=i))
    assert _queries(client, "/cases/") == small


def test_the_neighbour_sees_an_empty_queue(net: Net, worker: User, neighbour: User) -> None:
    case = report(worker)
    body = client_for(neighbour).get("/cases/").content.decode()
    assert case.number not in body


def test_a_resident_may_not_open_the_queue(net: Net, resident: User) -> None:
    assert client_for(resident).get("/cases/").status_code == 403


def _dispatched(net: Net, worker: User, gridhead: User, n: int) -> list[Case]:
    cases = []
    for i in range(n):
        case = report(worker, lng=104.001 + i * 0.001)
        services.case_accept(actor=gridhead, case=case)
        services.case_dispatch(actor=gridhead, case=case, assignee=worker)
        cases.append(case)
    return cases


def test_bulk_reassignment_moves_every_ticked_case(
    net: Net, worker: User, gridhead: User, official: User
) -> None:
    staff_net(net, worker, gridhead)
    cases = _dispatched(net, worker, gridhead, 3)
    response = client_for(official).post(
        "/cases/bulk-reassign/",
        {
            "cases": [c.pk for c in cases[:2]],
            "assignee": gridhead.pk,
            "next": "/cases/?status=open",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/cases/?status=open"
    assert [Case.objects.get(pk=c.pk).assignee for c in cases] == [gridhead, gridhead, worker]
    assert all(
        Case.objects.get(pk=c.pk).events.filter(action="reassign").exists() for c in cases[:2]
    )


def test_bulk_reassignment_is_all_or_none_and_names_the_refused_case(
    net: Net, worker: User, gridhead: User, official: User
) -> None:
    staff_net(net, worker, gridhead)
    cases = _dispatched(net, worker, gridhead, 2)
    fresh = report(worker, lng=104.008)  # only reported: it cannot be reassigned
    client = english(official)
    response = client.post(
        "/cases/bulk-reassign/",
        {"cases": [cases[0].pk, fresh.pk, cases[1].pk], "assignee": gridhead.pk},
        follow=True,
    )
    body = response.content.decode()
    assert "Nothing was reassigned." in body and fresh.number in body
    assert [Case.objects.get(pk=c.pk).assignee for c in cases] == [worker, worker]
    assert not Case.objects.filter(events__action="reassign").exists()


def test_bulk_reassignment_skips_cases_outside_the_jurisdiction(
    net: Net, worker: User, gridhead: User, neighbour: User
) -> None:
    staff_net(net, worker, gridhead)
    (case,) = _dispatched(net, worker, gridhead, 1)
    response = client_for(neighbour).post(
        "/cases/bulk-reassign/", {"cases": [case.pk], "assignee": neighbour.pk}
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).assignee == worker


def test_the_department_workspace_lists_its_whistles_only(
    net: Net, worker: User, gridhead: User
) -> None:
    staff_net(net, worker, gridhead)
    a, b = report(worker), report(worker, lng=104.007)
    services.case_accept(actor=gridhead, case=a)
    services.case_accept(actor=gridhead, case=b)
    services.case_whistle(
        actor=gridhead, case=a, department=Department.objects.get(code="chengguan")
    )
    services.case_whistle(actor=gridhead, case=b, department=Department.objects.get(code="police"))
    cg = department_user(net.street)
    body = english(cg).get("/cases/department/").content.decode()
    assert f'data-number="{a.number}"' in body and f'data-number="{b.number}"' not in body
    assert Case.objects.get(pk=a.pk).status == Status.DISPATCHED
