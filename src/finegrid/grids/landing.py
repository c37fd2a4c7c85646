"""Where a signed-in user lands (``/``, and after login): the map, unless an app says otherwise.

An app registers a function in its ``AppConfig.ready()`` that answers a URL for the users it
has a better first page for (the workforce sends grid workers to their home), or None. The grid
app imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Landing = Callable[[Any], "str | None"]

LANDINGS: list[Landing] = []


def register(landing: Landing) -> None:
    if landing not in LANDINGS:
        LANDINGS.append(landing)


def landing_for(user: Any) -> str | None:
    for landing in LANDINGS:
        url = landing(user)
        if url:
            return url
    return None
