"""Who may see, print, rotate and revoke codes, and who may see check-ins. One condition per
line, so coverage shows each is exercised."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from finegrid.accounts.jurisdiction import STAFF_ROLES, scope_for
from finegrid.accounts.models import Role
from finegrid.core.errors import Forbidden, NotFound

# the grid head answers for the codes posted in the grid, and officials above for theirs
CODE_MANAGERS = frozenset(
    {
        Role.STREET_LEADER,
        Role.STREET_OFFICIAL,
        Role.COMMUNITY_OFFICIAL,
        Role.GRID_HEAD,
        Role.SYSTEM_ADMIN,
    }
)


def access_codes_view(user: Any, path: str) -> None:
    """Seeing the codes (and check-ins) of a grid: staff whose jurisdiction covers it. A grid
    out of sight answers as not found, so neighbours' codes cannot be probed."""
    scope = scope_for(user, roles=STAFF_ROLES)
    if not scope.covers(path):
        raise NotFound(_("No grid with this code in your jurisdiction."), field="grid")


def access_code_manage(user: Any, code: Any) -> None:
    """Rotating or revoking a code: a grid head or official over its place."""
    access_codes_view(user, code.grid_path)
    scope = scope_for(user, roles=CODE_MANAGERS)
    if not scope.covers(code.grid_path):
        raise Forbidden(
            _("Only the grid head and officials over this place rotate or withdraw its code.")
        )
