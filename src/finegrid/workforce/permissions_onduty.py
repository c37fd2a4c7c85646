"""Who may read on duty now, leave and the community duty roster. One condition per line."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from finegrid.accounts.jurisdiction import scope_for
from finegrid.accounts.models import Role
from finegrid.core.errors import Forbidden

# who sets a community's duty roster, and who approves leave, over the grids below them
ROSTER_EDITORS = frozenset(
    {Role.STREET_LEADER, Role.STREET_OFFICIAL, Role.COMMUNITY_OFFICIAL, Role.SYSTEM_ADMIN}
)
LEAVE_APPROVERS = ROSTER_EDITORS | {Role.GRID_HEAD}


def access_on_duty(user: Any, path: str) -> None:
    """Anyone whose jurisdiction covers the micro-grid may see who is on duty there."""
    if not scope_for(user).covers(path):
        raise Forbidden(_("This grid lies outside your jurisdiction."))


def may_see_roster(user: Any, path: str) -> bool:
    """The community's people (a grid head, a worker inside it) and those above it."""
    scope = scope_for(user)
    if scope.covers(path):
        return True
    return any(p.startswith(path) for p in scope.prefixes)


def access_roster_view(user: Any, path: str) -> None:
    if not may_see_roster(user, path):
        raise Forbidden(_("This community lies outside your jurisdiction."))


def may_edit_roster(user: Any, path: str) -> bool:
    return scope_for(user, roles=ROSTER_EDITORS).covers(path)


def access_roster_edit(user: Any, path: str) -> None:
    if not may_edit_roster(user, path):
        raise Forbidden(_("Only community and street officials set the duty roster."))


def access_leave(user: Any, person: Any, paths: list[str]) -> None:
    """Anyone may ask leave for themselves; an approver for the people of the grids below them."""
    if getattr(user, "pk", None) == getattr(person, "pk", None):
        return
    scope = scope_for(user, roles=LEAVE_APPROVERS)
    if not any(scope.covers(p) for p in paths):
        raise Forbidden(_("You may only record leave for the people of your own grids."))
