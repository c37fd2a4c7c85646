"""What the server builds before it takes requests, contributed by the apps.

``finegrid serve`` runs every warmer registered here (in ``AppConfig.ready()``) before it
listens, so that no caller waits for a cache to be built; core imports no app to know them.
"""

from __future__ import annotations

from collections.abc import Callable

WARMERS: dict[str, Callable[[], object]] = {}


def register(name: str, warmer: Callable[[], object]) -> None:
    WARMERS[name] = warmer


def warm_all() -> None:
    for warmer in WARMERS.values():
        warmer()
