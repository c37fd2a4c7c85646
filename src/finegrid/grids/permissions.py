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
    named = [
        [str(code) for code in (props.get("code"), props.get("parent")) if code]
        for props in _properties(features)
    ]
    # A query per thousand codes the file names, not one per feature (imports run to tens of
    # thousands; chunked to stay under SQLite's bound-parameter limit).
    wanted = sorted({c for codes in named for c in codes})
    paths: dict[str, str] = {}
    for start in range(0, len(wanted), 1000):
        chunk = wanted[start : start + 1000]
        paths.update(Grid.objects.filter(code__in=chunk).values_list("code", "path"))
    for codes in named:
        if codes and not any(c in paths and scope.covers(paths[c]) for c in codes):
            raise Forbidden(_("A feature lies outside your jurisdiction."))


def _properties(features: Any) -> list[dict[str, Any]]:
    """The properties of each well-formed feature; malformed ones are the import's to report."""
    if not isinstance(features, list):
        return []
    props = [f.get("properties") if isinstance(f, dict) else None for f in features]
    return [p for p in props if isinstance(p, dict)]
