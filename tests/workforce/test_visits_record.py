"""A worker records a household visit; its outcome moves the micro-grid's coverage at once."""

from __future__ import annotations

from typing import Any

import pytest

from finegrid.core.models import AuditEvent
from finegrid.workforce.models import CoverageRollup, HouseholdVisit, WorkerDay
from tests.conftest import client_for
from tests.workforce.helpers_patrols import make_households, make_worker

URL = "/api/v1/workforce/visits"


@pytest.fixture
def setting(net: Any, worker: Any) -> Any:
    make_worker(worker, net.m1)
    return make_households(net.m1, 3)


def test_a_visit_is_recorded_and_counted(net: Any, worker: Any, setting: Any) -> None:
    client = client_for(worker)
    r = client.post(
        URL, {"household": setting[0].pk, "outcome": "met"}, content_type="application/json"
    )
    assert r.status_code == 201, r.content
    assert r.json()["outcome"] == "met"
    visit = HouseholdVisit.objects.get()
    assert visit.micro_grid == net.m1
    quarter = CoverageRollup.objects.get(micro_grid=net.m1, period="quarter")
    assert (quarter.visits, quarter.households_visited, quarter.households_reached) == (1, 1, 1)
    assert WorkerDay.objects.get().visits == 1
    assert AuditEvent.objects.filter(target_type="householdvisit").count() == 1


def test_a_second_visit_of_the_same_household_counts_it_once(
    net: Any, worker: Any, setting: Any
) -> None:
    client = client_for(worker)
    for outcome in ("not_home", "met"):
        body = {"household": setting[0].pk, "outcome": outcome}
        assert client.post(URL, body, content_type="application/json").status_code == 201
    quarter = CoverageRollup.objects.get(micro_grid=net.m1, period="quarter")
    assert (quarter.visits, quarter.households_visited, quarter.households_reached) == (2, 1, 1)


def test_nobody_at_home_is_visited_but_not_reached(net: Any, worker: Any, setting: Any) -> None:
    body = {"household": setting[1].pk, "outcome": "not_home"}
    r = client_for(worker).post(URL, body, content_type="application/json")
    assert r.status_code == 201
    month = CoverageRollup.objects.get(micro_grid=net.m1, period="month")
    assert (month.households_visited, month.households_reached) == (1, 0)


def test_needs_found_keeps_what_was_found(worker: Any, setting: Any) -> None:
    body = {"household": setting[0].pk, "outcome": "needs_found", "needs": "独居老人需要助餐"}
    r = client_for(worker).post(URL, body, content_type="application/json")
    assert r.status_code == 201
    assert HouseholdVisit.objects.get().needs == "独居老人需要助餐"


def test_needs_found_without_the_needs_is_refused(worker: Any, setting: Any) -> None:
    body = {"household": setting[0].pk, "outcome": "needs_found"}
    r = client_for(worker).post(URL, body, content_type="application/json")
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "needs"
    assert not HouseholdVisit.objects.exists()
    assert not CoverageRollup.objects.exists()


def test_a_missing_outcome_is_named_in_both_languages(worker: Any, setting: Any) -> None:
    r = client_for(worker).post(URL, {"household": setting[0].pk}, content_type="application/json")
    assert r.status_code == 422
    problem = r.json()["errors"][0]
    assert problem["field"] == "outcome"
    assert "结果" in problem["message"] and "outcome" in problem["message_en"]
    assert not HouseholdVisit.objects.exists()


def test_a_worker_not_serving_the_micro_grid_is_refused(
    net: Any, worker: Any, gridhead: Any
) -> None:
    # the grid head sees M2 but, as a worker, serves only M1
    make_worker(worker, net.m1)
    other = make_households(net.m2, 1)[0]
    make_worker(gridhead, net.m1, type="grid_head")
    r = client_for(gridhead).post(
        URL, {"household": other.pk, "outcome": "met"}, content_type="application/json"
    )
    assert r.status_code == 422
    problem = r.json()["errors"][0]
    assert problem["field"] == "household"
    assert "不负责" in problem["message"] and "serve" in problem["message_en"]
    assert not HouseholdVisit.objects.exists()
    assert not CoverageRollup.objects.exists()


def test_the_neighbour_is_refused(net: Any, neighbour: Any, setting: Any) -> None:
    make_worker(neighbour, net.m2)
    r = client_for(neighbour).post(
        URL, {"household": setting[0].pk, "outcome": "met"}, content_type="application/json"
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "household"
    assert not HouseholdVisit.objects.exists()
    listing = client_for(neighbour).get(URL + "?grid=M1")
    assert listing.status_code == 404


def test_someone_without_a_worker_profile_is_refused(official: Any, setting: Any) -> None:
    r = client_for(official).post(
        URL, {"household": setting[0].pk, "outcome": "met"}, content_type="application/json"
    )
    assert r.status_code == 403
    assert not HouseholdVisit.objects.exists()
