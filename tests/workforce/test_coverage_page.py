"""The coverage and workload pages of a grid head: figures, bad periods, neighbours refused,
and a constant number of queries."""

from __future__ import annotations

from typing import Any

from finegrid.workforce import services_patrols
from tests.conftest import client_for
from tests.workforce.helpers_patrols import make_households, make_worker


def test_the_grid_head_sees_coverage_per_micro_grid(net: Any, worker: Any, gridhead: Any) -> None:
    make_worker(worker, net.m1)
    households = make_households(net.m1, 4)
    services_patrols.patrol_plan_create(actor=gridhead, grid=net.g1, kind="gas_safety")
    services_patrols.household_visit_record(
        actor=worker, household_id=households[0].pk, outcome="met"
    )
    page = client_for(gridhead).get("/workforce/coverage/?grid=G1")
    assert page.status_code == 200
    text = page.content.decode()
    assert net.m1.name in text and net.m2.name in text
    assert "1 / 4" in text


def test_a_malformed_period_is_named_on_the_page(gridhead: Any, net: Any) -> None:
    client = client_for(gridhead)
    client.cookies["django_language"] = "en"
    page = client.get("/workforce/coverage/?grid=G1&period=2026-Q9")
    assert page.status_code == 200
    assert "must be a week, month or quarter" in page.content.decode()


def test_the_neighbour_is_refused_both_pages(neighbour: Any, net: Any) -> None:
    client = client_for(neighbour)
    assert client.get("/workforce/coverage/?grid=G1").status_code == 404
    assert client.get("/workforce/workload/?grid=G1").status_code == 404


def test_the_workload_page_shows_the_idle(net: Any, worker: Any, gridhead: Any) -> None:
    make_worker(worker, net.m1)
    page = client_for(gridhead).get("/workforce/workload/?grid=G1")
    assert page.status_code == 200
    assert worker.display_name in page.content.decode()


def test_the_pages_take_the_same_queries_for_more_micro_grids(
    net: Any, leader: Any, django_assert_max_num_queries: Any
) -> None:
    from finegrid.grids.models import Grid

    client = client_for(leader)
    client.get("/workforce/coverage/?grid=S")
    with django_assert_max_num_queries(14):
        client.get("/workforce/coverage/?grid=S")
    for i in range(6):
        Grid.objects.create(
            code=f"MX{i}",
            name=f"新微网格{i}",
            level="micro",
            parent=net.g2,
            path=f"{net.g2.path}MX{i}/",
            depth=net.g2.depth + 1,
        )
    with django_assert_max_num_queries(14):
        assert client.get("/workforce/coverage/?grid=S").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get("/workforce/workload/?grid=S").status_code == 200


def test_a_user_without_jurisdiction_gets_404_not_an_error(resident: Any) -> None:
    assert client_for(resident).get("/workforce/coverage/").status_code in (302, 404)
    assert client_for(resident).get("/workforce/workload/").status_code in (302, 404)
