"""The workforce of the demo street. ``seed`` runs after the net, people and cases exist; each
part of the capability adds its step here, in the order they build on each other."""

from __future__ import annotations


def seed(scale_name: str, seed_value: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    return counts
