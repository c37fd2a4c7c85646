"""The workforce of the demo street. ``seed`` runs after the net, people and cases exist; each
part of the capability adds its step here, in the order they build on each other."""

from __future__ import annotations


def seed(scale_name: str, seed_value: int) -> dict[str, int]:
    from finegrid.workforce.demo.stations import seed_stations

    counts: dict[str, int] = {}
    counts.update(seed_stations(scale_name, seed_value))
    return counts
