"""GET /api/v1/cases and /mine: the queues, their filters and a constant number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from finegrid.accounts.models import User
from finegrid.cases import services
from finegrid.cases.models import Department
from tests.cases.helpers import MONDAY_10, department_user, report
from tests.conftest import Net, client_for

URL = "/api/v1/cases"


def numbers(body: dict[str, object]) -> list[str]:
    return [c["number"] for c in body["items"]]  # type: ignore[attr-defined, index]


def test_it_lists_the_jurisdictions_cases_newest_first(
    net: Net, worker: User, leader: User, gridhead: User
) -> None:
    older = report(worker, now=MONDAY_10)
    newer = report(worker, now=MONDAY_10 + dt.timedelta(hours=1))
    far = report(leader, lat=30.01, lng=104.03)  # in M3, community C2
    body = client_for(gridhead).get(URL).json()
    assert body["count"] == 2 and numbers(body) == [newer.number, older.number]
    assert body["items"][0]["micro_grid"]["code"] == "M1"
    assert client_for(leader).get(URL).json()["count"] == 3
    assert numbers(client_for(leader).get(URL + "?grid=C2").json()) == [far.number]


def test_it_filters_by_status_colour_category_track_source_and_dates(
    net: Net, worker: User, leader: User, gridhead: User, time_machine: Any
) -> None:
    time_machine.move_to(MONDAY_10, tick=False)
    a = report(worker)
    services.case_accept(actor=gridhead, case=a, track="coordinate")
    time_machine.move_to(MONDAY_10 + dt.timedelta(days=2), tick=False)
    b = report(worker, category="gas", source="hotline", urgency="critical")
    c = client_for(leader)
    assert numbers(c.get(URL + "?status=accepted").json()) == [a.number]
    assert numbers(c.get(URL + "?category=gas").json()) == [b.number]
    assert numbers(c.get(URL + "?track=coordinate").json()) == [a.number]
    assert numbers(c.get(URL + "?source=hotline").json()) == [b.number]
    assert numbers(c.get(URL + "?until=2026-11-23").json()) == [a.number]
    assert numbers(c.get(URL + "?since=2026-11-24").json()) == [b.number]
    assert c.get(URL + "?open=true").json()["count"] == 2
    assert numbers(c.get(URL + "?colour=red").json()) == [b.number]  # critical gas
    assert numbers(c.get(URL + "?colour=blue").json()) == [a.number]


def test_it_filters_by_my_assignments_and_by_department(
    net: Net, worker: User, gridhead: User, leader: User
) -> None:
    mine = report(worker)
    whistled = report(worker)
    for case in (mine, whistled):
        services.case_accept(actor=gridhead, case=case)
    services.case_dispatch(actor=gridhead, case=mine, assignee=worker)
    services.case_whistle(
        actor=gridhead, case=whistled, department=Department.objects.get(code="police")
    )
    assert numbers(client_for(worker).get(URL + "?assignee=me").json()) == [mine.number]
    assert numbers(client_for(leader).get(URL + "?department=police").json()) == [whistled.number]


def test_a_bad_filter_is_named(net: Net, leader: User) -> None:
    c = client_for(leader)
    for query, field in [
        ("status=lost", "status"),
        ("colour=purple", "colour"),
        ("since=yesterday", "since"),
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("offset=-1", "offset"),
        ("assignee=someone", "assignee"),
    ]:
        r = c.get(f"{URL}?{query}")
        assert r.status_code == 422, query
        assert r.json()["field"] == field, query


def test_my_tasks_put_the_most_urgent_colour_first(net: Net, worker: User, gridhead: User) -> None:
    calm = report(worker, now=MONDAY_10)
    burning = report(worker, category="gas", urgency="critical", now=MONDAY_10)
    other = report(worker)
    services.case_accept(actor=gridhead, case=other)
    services.case_dispatch(actor=gridhead, case=other, assignee=gridhead)  # someone else's
    body = client_for(worker).get(URL + "/mine").json()
    assert numbers(body) == [burning.number, calm.number]
    assert body["items"][0]["colour"] == "red"


def test_the_list_and_my_tasks_use_a_constant_number_of_queries(
    net: Net, worker: User, leader: User, gridhead: User
) -> None:
    department_user(net.street)  # whistles notify someone
    first = report(worker)
    services.case_accept(actor=gridhead, case=first)
    services.case_dispatch(actor=gridhead, case=first, assignee=worker)
    for path in (URL, URL + "/mine"):
        c = client_for(leader if path == URL else worker)
        c.get(path + "?limit=1")  # warm the session
        with CaptureQueriesContext(connection) as small:
            assert len(c.get(path + "?limit=1").json()["items"]) == 1
        for i in range(12):
            case = report(worker, now=MONDAY_10 + dt.timedelta(minutes=i))
            services.case_accept(actor=gridhead, case=case)
            if i % 2:
                services.case_dispatch(actor=gridhead, case=case, assignee=worker)
            else:
                services.case_whistle(
                    actor=gridhead, case=case, department=Department.objects.get(code="chengguan")
                )
        with CaptureQueriesContext(connection) as large:
            assert len(c.get(path + "?limit=200").json()["items"]) > 10
        assert len(large) == len(small), path
