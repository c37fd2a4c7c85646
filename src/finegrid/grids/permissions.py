"""Who may change the net. One condition per line, so coverage shows each is exercised."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from finegrid.accounts.jurisdiction import scope_for
from finegrid.accounts.models import Role
from finegrid.core.errors import Forbidden
from finegrid.grids.models import Grid

GRID_EDITORS = frozenset({Role.STREET_LEADER, Role.STREET_OFFICIAL, Role.SYSTEM_ADMIN})


def access_grid_edit(user: Any, collection: Any) -> None:
    """Refuse unless every feature's parent (or the grid itself) lies in the user's edit scope."""
    scope = scope_for(user, roles=GRID_EDITORS)
    if scope.empty:
        raise Forbidden(_("Only street officials may draw grids."))
    if scope.everything:
        return
    features = collection.get("features") if isinstance(collection, dict) else None
    for feature in features if isinstance(features, list) else []:
        props = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(props, dict):
            continue  # malformed; the import reports it
        for code in (props.get("code"), props.get("parent")):
            if not code:
                continue
            grid = Grid.objects.filter(code=code).only("path").first()
            if grid is not None and scope.covers(grid.path):
                break
        else:
            if props.get("parent") or props.get("code"):
                raise Forbidden(_("A feature lies outside your jurisdiction."))
