"""Demo seeding contributed by the apps (STYLE: a registry filled in ``AppConfig.ready()``).

``finegrid.demo`` builds the net, its people, places and cases itself, then calls every seeder
registered here, in order, with the scale's name and the seed value. An app that has something
to show in the demo street registers one function; the demo imports no such app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Seeder = Callable[[str, int], dict[str, int]]


@dataclass(frozen=True)
class Registered:
    order: int
    name: str
    seeder: Seeder


_SEEDERS: dict[str, Registered] = {}


def register(name: str, seeder: Seeder, *, order: int = 100) -> None:
    """Add (or replace) the seeder ``name``; lower ``order`` runs first."""
    _SEEDERS[name] = Registered(order, name, seeder)


def run_all(*, scale_name: str, seed_value: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    for entry in sorted(_SEEDERS.values(), key=lambda r: (r.order, r.name)):
        counts.update(entry.seeder(scale_name, seed_value))
    return counts
