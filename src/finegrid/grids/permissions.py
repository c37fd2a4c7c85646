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


# Who staffs the net (decision 0005): street and community officials, each for the nodes below
# their own post. The node of one's own post is staffed from above, so nobody appoints their
# own peers or superiors; grid heads see the staffing of their grid but do not change it.
STAFFING_ROLES = frozenset(
    {Role.STREET_LEADER, Role.STREET_OFFICIAL, Role.COMMUNITY_OFFICIAL, Role.SYSTEM_ADMIN}
)


def may_staff(user: Any, path: str) -> bool:
    """May ``user`` assign and end duties at the node with this materialized path?"""
    scope = scope_for(user, roles=STAFFING_ROLES)
    if scope.everything:
        return True
    return any(path.startswith(p) and path != p for p in scope.prefixes)


def access_staffing(user: Any, path: str) -> None:
    """Refuse a change of staffing at a node the user can see but may not staff; a node out of
    their sight has already answered 404 through the selectors."""
    if not may_staff(user, path):
        raise Forbidden(
            _(
                "Only street and community officials staff grids, each for the grids below "
                "their own post."
            )
        )
