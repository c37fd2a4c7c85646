"""The workforce of the demo street. ``seed`` runs after the net, people and cases exist; each
part of the capability adds its step here, in the order they build on each other."""

from __future__ import annotations


def seed(scale_name: str, seed_value: int) -> dict[str, int]:
    from finegrid.workforce.demo import patrols

    counts: dict[str, int] = {}
    # patrols build on the workers and the grids they serve: after the workers' step
    counts.update(patrols.seed(scale_name, seed_value))
    return counts
