"""What other apps show on the household page, registered in their ``AppConfig.ready()``.

The registry must not import the apps that build on it (cases, care, workforce…), so each of
them registers a panel here: a title, a template and a loader that reads, through that app's own
selectors and with the user's jurisdiction, what the panel shows for one household. A panel
registered again under the same key replaces the earlier one: the registry's own "visits" slot
waits for the app that records visits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from finegrid.grids.models import Household

Loader = Callable[..., dict[str, Any]]  # (*, user, household) -> template context


@dataclass(frozen=True)
class HouseholdPanel:
    key: str
    title: str | Promise
    template: str
    load: Loader
    order: int = 100


_PANELS: dict[str, HouseholdPanel] = {}


def register_household_panel(panel: HouseholdPanel) -> None:
    _PANELS[panel.key] = panel


def household_panels(*, user: Any, household: Household) -> list[dict[str, Any]]:
    """Each registered panel with what it shows for ``household``, in order."""
    return [
        {
            "key": p.key,
            "title": p.title,
            "template": p.template,
            **p.load(user=user, household=household),
        }
        for p in sorted(_PANELS.values(), key=lambda p: (p.order, p.key))
    ]
