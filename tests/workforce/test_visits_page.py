"""The visit form on the worker's phone: households due, the outcome, refusals beside the field."""

from __future__ import annotations

from typing import Any

from finegrid.workforce.models import HouseholdVisit
from tests.conftest import client_for
from tests.workforce.helpers_patrols import make_households, make_worker


def test_the_worker_sees_the_households_due_and_records_a_visit(net: Any, worker: Any) -> None:
    make_worker(worker, net.m1)
    households = make_households(net.m1, 2)
    client = client_for(worker)
    page = client.get("/workforce/visit/")
    assert page.status_code == 200
    assert households[0].address in page.content.decode()
    r = client.post("/workforce/visit/", {"household": households[0].pk, "outcome": "not_home"})
    assert r.status_code == 302
    assert HouseholdVisit.objects.get().outcome == "not_home"
    # still due: nobody was met, but it was visited this quarter, so it leaves the list
    assert households[0].address not in client.get("/workforce/visit/").content.decode()


def test_a_missing_outcome_is_shown_beside_the_field(net: Any, worker: Any) -> None:
    make_worker(worker, net.m1)
    household = make_households(net.m1, 1)[0]
    client = client_for(worker)
    client.cookies["django_language"] = "zh-hans"
    r = client.post("/workforce/visit/", {"household": household.pk})
    assert r.status_code == 422
    assert "请选择走访结果" in r.content.decode()
    assert not HouseholdVisit.objects.exists()


def test_the_neighbour_is_refused(net: Any, worker: Any, neighbour: Any) -> None:
    household = make_households(net.m1, 1)[0]
    make_worker(neighbour, net.m2)
    client = client_for(neighbour)
    page = client.get(f"/workforce/visit/?household={household.pk}")
    assert household.address not in page.content.decode()
    r = client.post("/workforce/visit/", {"household": household.pk, "outcome": "met"})
    assert r.status_code == 422
    assert not HouseholdVisit.objects.exists()
