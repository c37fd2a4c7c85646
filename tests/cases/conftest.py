from __future__ import annotations

from typing import Any

import pytest

from tests.cases.helpers import MONDAY_10


@pytest.fixture
def at_monday_10(time_machine: Any) -> Any:
    """The whole test, requests included, runs on a known working Monday at 10:00 Beijing time."""
    time_machine.move_to(MONDAY_10, tick=False)
    return time_machine
