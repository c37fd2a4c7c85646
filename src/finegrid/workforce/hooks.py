"""What other parts of the workforce do when a check-in is recorded.

``checkin_create`` calls every function in ``ON_CHECKIN`` inside its own transaction, so that
rollups (coverage, workload) move with the check-in or not at all. A part registers its function
in ``WorkforceConfig.ready()``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ON_CHECKIN: list[Callable[[Any], None]] = []


def checkin_recorded(checkin: Any) -> None:
    for hook in ON_CHECKIN:
        hook(checkin)
