"""The demo's patrols: plans for every grid, visits and rounds of recent weeks, and rollups that
agree with the raw rows."""

from __future__ import annotations

from typing import Any

from finegrid.workforce.demo import patrols
from finegrid.workforce.models import (
    CoverageRollup,
    HouseholdVisit,
    PatrolPlan,
    PatrolRound,
    RoundStop,
    WorkerDay,
)
from finegrid.workforce.periods import parse_period
from finegrid.workforce.rollups import raw_coverage
from tests.workforce.helpers_patrols import make_households, make_worker


def test_the_demo_plans_every_grid_and_fills_recent_weeks(
    net: Any, worker: Any, neighbour: Any
) -> None:
    make_worker(worker, net.m1)
    make_worker(neighbour, net.m2)
    make_households(net.m1, 40)
    make_households(net.m2, 30, start=100)
    counts = patrols.seed("small", 1)
    assert PatrolPlan.objects.filter(kind="gas_safety").count() == 2  # G1 and G2
    assert counts["patrol_points"] == 3
    assert counts["household_visits"] == HouseholdVisit.objects.count() > 0
    assert PatrolRound.objects.count() == RoundStop.objects.count() == counts["patrol_rounds"]
    assert WorkerDay.objects.exists()
    assert "patrols_seconds" in counts
    quarter = parse_period("")
    raw = raw_coverage(quarter)
    for row in CoverageRollup.objects.filter(period="quarter", starts_on=quarter.starts_on):
        assert row.households_visited == raw[row.micro_grid_id]["households_visited"]
