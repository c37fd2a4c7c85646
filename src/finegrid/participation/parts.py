"""Each part of the capability adds its own entry here (cards, seeding, periodic jobs), so the
app's ``ready`` stays one line and two parts never edit the same function."""

from __future__ import annotations

from collections.abc import Callable

PARTS: list[Callable[[], None]] = []


def register_all() -> None:
    for register in PARTS:
        register()
