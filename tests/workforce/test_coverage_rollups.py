"""Coverage per micro-grid and period, read from the rollups that each visit and check-in moves:
the same figures as computed from the raw rows, overdue carried from the period before, and a
constant number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from finegrid.workforce import rollups, services_patrols
from finegrid.workforce.models import PatrolPlan
from finegrid.workforce.periods import parse_period
from tests.conftest import client_for
from tests.workforce.helpers_patrols import check_in, make_households, make_point, make_worker

TZ = dt.timezone(dt.timedelta(hours=8))
# Tuesday 2026-11-24 10:00 in Chengdu: the 48th ISO week, the 4th quarter
TUESDAY = dt.datetime(2026, 11, 24, 10, 0, tzinfo=TZ)


@pytest.fixture
def street(net: Any, worker: Any, gridhead: Any) -> dict[str, Any]:
    me = make_worker(worker, net.m1)
    households = make_households(net.m1, 4)
    make_households(net.m2, 2, start=10)
    points = [make_point(net.m1, "1号消防通道"), make_point(net.m1, "2号消防通道")]
    services_patrols.patrol_plan_create(
        actor=gridhead, grid=net.g1, kind="fire_passage", point_ids=[p.pk for p in points]
    )
    services_patrols.patrol_plan_create(actor=gridhead, grid=net.g1, kind="gas_safety")
    return {"me": me, "households": households, "points": points}


def _visit(worker: Any, household: Any, outcome: str = "met") -> None:
    services_patrols.household_visit_record(
        actor=worker, household_id=household.pk, outcome=outcome
    )


def test_coverage_counts_each_household_and_point_once_per_period(
    time_machine: Any, net: Any, worker: Any, gridhead: Any, street: dict[str, Any]
) -> None:
    time_machine.move_to(TUESDAY, tick=False)
    _visit(worker, street["households"][0])
    _visit(worker, street["households"][0])
    _visit(worker, street["households"][1], "not_home")
    check_in(street["me"], street["points"][0])
    check_in(street["me"], street["points"][0])
    r = client_for(gridhead).get("/api/v1/workforce/coverage?grid=G1&period=2026-W48")
    assert r.status_code == 200, r.content
    body = r.json()
    m1 = next(row for row in body["micro_grids"] if row["grid"] == "M1")
    assert (m1["households"], m1["households_visited"], m1["households_reached"]) == (4, 2, 1)
    assert m1["visited_share"] == 0.5
    assert (m1["points"], m1["points_checked"], m1["checkins"]) == (2, 1, 2)
    assert m1["points_left"] == 1 and m1["households_left"] == 2
    assert body["total"]["households"] == 6 and body["ended"] is False


def test_the_rollups_agree_with_the_raw_rows(
    time_machine: Any, net: Any, worker: Any, street: dict[str, Any]
) -> None:
    time_machine.move_to(TUESDAY, tick=False)
    _visit(worker, street["households"][2])
    check_in(street["me"], street["points"][1])
    # a week later, in the same month and quarter
    time_machine.move_to(TUESDAY + dt.timedelta(days=7), tick=False)
    _visit(worker, street["households"][2])
    _visit(worker, street["households"][3], "met")
    check_in(street["me"], street["points"][1])
    for label in ("2026-W48", "2026-W49", "2026-11", "2026-12", "2026-Q4"):
        period = parse_period(label)
        raw = rollups.raw_coverage(period)
        from finegrid.workforce.models import CoverageRollup

        kept = {
            r.micro_grid_id: {
                "visits": r.visits,
                "households_visited": r.households_visited,
                "households_reached": r.households_reached,
                "checkins": r.checkins,
                "points_checked": r.points_checked,
            }
            for r in CoverageRollup.objects.filter(period=period.kind, starts_on=period.starts_on)
        }
        normal = {m: {k: c.get(k, 0) for k in next(iter(kept.values()), c)} for m, c in raw.items()}
        assert kept == normal, label


def test_overdue_is_what_the_period_before_left_unvisited(
    time_machine: Any, net: Any, worker: Any, gridhead: Any, street: dict[str, Any]
) -> None:
    time_machine.move_to(dt.datetime(2026, 9, 10, 10, 0, tzinfo=TZ), tick=False)
    for household in street["households"][:3]:
        _visit(worker, household)
    time_machine.move_to(dt.datetime(2026, 10, 12, 10, 0, tzinfo=TZ), tick=False)
    body = client_for(gridhead).get("/api/v1/workforce/coverage?grid=M1&period=2026-Q4").json()
    (m1,) = body["micro_grids"]
    # Q3 left one of four households unvisited: overdue now; Q4 has all four still to do
    assert m1["overdue_households"] == 1
    assert m1["households_left"] == 4
    q3 = client_for(gridhead).get("/api/v1/workforce/coverage?grid=M1&period=2026-Q3").json()
    assert q3["ended"] is True and q3["micro_grids"][0]["households_visited"] == 3


def test_a_malformed_period_is_named(gridhead: Any, street: dict[str, Any]) -> None:
    for bad in ("2026-Q5", "2026-13", "last week", "2026-W60"):
        r = client_for(gridhead).get(f"/api/v1/workforce/coverage?grid=G1&period={bad}")
        assert r.status_code == 422, bad
        error = r.json()["errors"][0]
        assert error["field"] == "period"
        assert "2026-Q4" in error["message"] and "quarter" in error["message_en"]


def test_the_neighbour_is_refused(neighbour: Any, street: dict[str, Any]) -> None:
    r = client_for(neighbour).get("/api/v1/workforce/coverage?grid=M1")
    assert r.status_code == 404
    assert client_for(neighbour).get("/api/v1/workforce/coverage?grid=G1").status_code == 404


def test_coverage_takes_the_same_queries_for_more_micro_grids(
    net: Any, leader: Any, street: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    client = client_for(leader)
    client.get("/api/v1/workforce/coverage?grid=S")  # warm the session
    with django_assert_max_num_queries(9):
        assert client.get("/api/v1/workforce/coverage?grid=S").status_code == 200
    from finegrid.grids.models import Grid

    for i in range(5):  # drawn without a boundary: only their number matters here
        Grid.objects.create(
            code=f"MX{i}",
            name=f"新微网格{i}",
            level="micro",
            parent=net.g2,
            path=f"{net.g2.path}MX{i}/",
            depth=net.g2.depth + 1,
        )
    rollups.tally_refresh()
    with django_assert_max_num_queries(9):
        body = client.get("/api/v1/workforce/coverage?grid=S").json()
    assert len(body["micro_grids"]) == 8
    assert PatrolPlan.objects.count() == 2
