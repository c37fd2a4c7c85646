"""Who may see, run and book a service station. One condition per line.

A station is seen by those whose jurisdiction covers its grid and by the staff of the grids it
serves (a grid head under a community's station sees the roster they sit on); it is run — its
details, roster and visiting services — by street and community officials over its grid; its
rooms are booked by anyone who sees it.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from finegrid.accounts.jurisdiction import STAFF_ROLES, scope_for
from finegrid.accounts.models import Role
from finegrid.core.errors import Forbidden, NotFound

STATION_EDITORS = frozenset(
    {Role.STREET_LEADER, Role.STREET_OFFICIAL, Role.COMMUNITY_OFFICIAL, Role.SYSTEM_ADMIN}
)


def may_see_station(user: Any, path: str) -> bool:
    scope = scope_for(user, roles=STAFF_ROLES)
    if scope.covers(path):
        return True
    return any(p.startswith(path) for p in scope.prefixes)


def may_edit_station(user: Any, path: str) -> bool:
    return scope_for(user, roles=STATION_EDITORS).covers(path)


def access_station_see(user: Any, path: str) -> None:
    """A station out of sight answers as not found, so that ids cannot be probed."""
    if not may_see_station(user, path):
        raise NotFound(_("No station with this number in your jurisdiction."))


def access_station_edit(user: Any, path: str) -> None:
    access_station_see(user, path)
    if not may_edit_station(user, path):
        raise Forbidden(_("Only street and community officials over its grid run a station."))


def access_station_book(user: Any, station: Any) -> None:
    access_station_see(user, station.grid_path)


def access_calendar_rotate(user: Any, worker: Any) -> None:
    if worker.user_id == getattr(user, "pk", None):
        return
    if scope_for(user, roles=STATION_EDITORS).covers(worker.grid_path or "\x00"):
        return
    raise Forbidden(
        _("Only the worker or an official over their grid can renew their calendar link.")
    )
