"""The workforce of the demo street. ``seed`` runs after the net, people and cases exist; each
part of the capability adds its step here, in the order they build on each other."""

from __future__ import annotations


def seed(scale_name: str, seed_value: int) -> dict[str, int]:
    from finegrid.workforce.demo import patrols
    from finegrid.workforce.demo.dutylists import seed_duty_lists
    from finegrid.workforce.demo.stations import seed_stations
    from finegrid.workforce.demo.workers import seed_workers

    counts: dict[str, int] = {}
    # profiles first: everything after them is done by, or rostered among, workers
    counts.update(seed_workers(scale_name, seed_value))
    # stations and this month's roster among the grid heads
    counts.update(seed_stations(scale_name, seed_value))
    # patrols build on the workers and the grids they serve
    counts.update(patrols.seed(scale_name, seed_value))
    # the duty lists (一清单) need only the net and the case taxonomy
    counts.update(seed_duty_lists())
    return counts
