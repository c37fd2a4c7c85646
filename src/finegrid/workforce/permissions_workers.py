"""Who may see and manage the people of the net. One condition per line.

Managing follows staffing (decision 0005, ``grids.permissions.may_staff``): street and
community officials, each for the grids below their own post. Grid heads and workers read the
workers of their own grid; nobody reads past their jurisdiction (a 404 from the selectors).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from finegrid.accounts.jurisdiction import scope_for
from finegrid.accounts.models import Role
from finegrid.core.errors import Forbidden
from finegrid.grids.permissions import STAFFING_ROLES, may_staff

WORKER_READERS = frozenset(
    STAFFING_ROLES | {Role.GRID_HEAD, Role.GRID_WORKER, Role.MICRO_WORKER, Role.AUDITOR}
)
# who may ask for a worker's full phone (with a reason, audited): those who manage or head them
PHONE_READERS = frozenset(STAFFING_ROLES | {Role.GRID_HEAD})


def may_manage_workers(user: Any, path: str) -> bool:
    return may_staff(user, path)


def access_worker_manage(user: Any, path: str) -> None:
    if not may_manage_workers(user, path):
        raise Forbidden(
            _(
                "Only street and community officials manage workers, each for the grids below "
                "their own post."
            )
        )


def may_see_phone(user: Any, path: str) -> bool:
    return scope_for(user, roles=PHONE_READERS).covers(path)


def access_worker_phone(user: Any, path: str) -> None:
    if not may_see_phone(user, path):
        raise Forbidden(_("Only officials and grid heads may see a worker's full phone."))
