"""Workload per worker over a period: check-ins, visits, coverage, cases reported and handled,
the on-time share, and who is overloaded or idle; constant queries whatever the workers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from finegrid.accounts.models import Role, RoleAssignment, User
from finegrid.cases import services as case_services
from finegrid.cases.models import Case
from finegrid.workforce import services_patrols
from tests.conftest import client_for
from tests.workforce.helpers_patrols import check_in, make_households, make_point, make_worker

TZ = dt.timezone(dt.timedelta(hours=8))
MONDAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=TZ)


def _person(name: str, micro: Any) -> User:
    user = User.objects.create_user(username=name, password="x" * 12, display_name=name)
    RoleAssignment.objects.create(user=user, role=Role.MICRO_WORKER, grid=micro)
    return user


@pytest.fixture
def team(time_machine: Any, net: Any, worker: Any, gridhead: Any) -> dict[str, Any]:
    time_machine.move_to(MONDAY, tick=False)
    busy = make_worker(worker, net.m1)
    quiet_user = _person("quiet", net.m2)
    quiet = make_worker(quiet_user, net.m2)
    households = make_households(net.m1, 4)
    make_households(net.m2, 4, start=10)
    point = make_point(net.m1)
    services_patrols.patrol_plan_create(
        actor=gridhead, grid=net.g1, kind="fire_passage", point_ids=[point.pk]
    )
    for household in households:
        services_patrols.household_visit_record(
            actor=worker, household_id=household.pk, outcome="met"
        )
    for _ in range(3):
        check_in(busy, point)
    report = case_services.CaseReport(
        category="sanitation", description="楼道堆物", source="patrol", lat=30.01, lng=104.005
    )
    case, _ = case_services.case_report(actor=worker, report=report)
    # handled by the busy worker, on time
    Case.objects.filter(pk=case.pk).update(
        assignee=worker, resolved_at=case.resolve_due - dt.timedelta(hours=1)
    )
    return {"busy": busy, "quiet": quiet, "quiet_user": quiet_user}


def test_the_grid_head_sees_who_is_busy_and_who_is_idle(
    gridhead: Any, team: dict[str, Any]
) -> None:
    r = client_for(gridhead).get("/api/v1/workforce/workload?grid=G1&from=2026-11-01&to=2026-11-30")
    assert r.status_code == 200, r.content
    rows = {row["name"]: row for row in r.json()["workers"]}
    busy, quiet = rows["蔡如欣"], rows["quiet"]
    assert (busy["checkins"], busy["visits"], busy["visits_reached"]) == (3, 4, 4)
    assert (busy["cases_reported"], busy["cases_handled"], busy["on_time_share"]) == (1, 1, 1.0)
    assert busy["households"] == 4 and busy["coverage_share"] == 1.0
    assert (quiet["checkins"], quiet["visits"], quiet["on_time_share"]) == (0, 0, None)
    assert quiet["status"] == "idle"
    assert busy["grids"] == ["M1"]


def test_a_period_before_the_work_shows_none_of_it(gridhead: Any, team: dict[str, Any]) -> None:
    r = client_for(gridhead).get("/api/v1/workforce/workload?grid=G1&from=2026-10-01&to=2026-10-31")
    busy = next(row for row in r.json()["workers"] if row["name"] == "蔡如欣")
    assert (busy["checkins"], busy["visits"], busy["cases_reported"]) == (0, 0, 0)


def test_bad_dates_are_named(gridhead: Any, team: dict[str, Any]) -> None:
    client = client_for(gridhead)
    r = client.get("/api/v1/workforce/workload?grid=G1&from=2026-13-01")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "from"
    r = client.get("/api/v1/workforce/workload?grid=G1&from=2026-11-30&to=2026-11-01")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "from"


def test_the_neighbour_is_refused(neighbour: Any, team: dict[str, Any]) -> None:
    assert client_for(neighbour).get("/api/v1/workforce/workload?grid=G1").status_code == 404
    assert client_for(neighbour).get("/api/v1/workforce/workload?grid=M1").status_code == 404


def test_workload_takes_the_same_queries_for_more_workers(
    net: Any, gridhead: Any, team: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    client = client_for(gridhead)
    url = "/api/v1/workforce/workload?grid=G1&from=2026-11-01&to=2026-11-30"
    client.get(url)
    with django_assert_max_num_queries(10):
        client.get(url)
    for i in range(6):
        make_worker(_person(f"extra{i}", net.m2), net.m2)
    with django_assert_max_num_queries(10):
        assert len(client.get(url).json()["workers"]) == 8
