"""Who may plan patrols, walk rounds, visit households and read coverage. One condition per
line, so coverage shows each is exercised."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from finegrid.accounts.jurisdiction import scope_for
from finegrid.accounts.models import Role
from finegrid.core.errors import Forbidden, InvalidInput, NotFound, Problem
from finegrid.grids.models import Grid
from finegrid.workforce.models.workers import Worker, WorkerGrid

PLANNERS = frozenset(
    {
        Role.STREET_LEADER,
        Role.STREET_OFFICIAL,
        Role.COMMUNITY_OFFICIAL,
        Role.GRID_HEAD,
        Role.SYSTEM_ADMIN,
    }
)


def visible_grid(user: Any, code: str | None, *, field: str = "grid") -> Grid:
    """The grid named ``code`` if the user may see it; out of sight answers 404 like missing."""
    if not code:
        raise InvalidInput([Problem(_("Name a grid by its code."), field=field)])
    grid = Grid.objects.filter(code=code).first()
    if grid is None or not scope_for(user).covers(grid.path):
        raise NotFound(_("No such grid."), field=field)
    return grid


def access_plan_edit(user: Any, grid: Grid) -> None:
    scope = scope_for(user, roles=PLANNERS)
    if not scope.covers(grid.path):
        raise Forbidden(_("Only grid heads and officials above them plan patrols."))


def acting_worker(user: Any) -> Worker:
    """The caller's worker profile, if it may work now (active)."""
    pk = getattr(user, "pk", None)
    worker = Worker.objects.filter(user_id=pk).first() if pk is not None else None
    if worker is None:
        raise Forbidden(_("Only workers of the net patrol and visit households."))
    if not worker.serving:
        raise Forbidden(_("Your worker profile is not active."))
    return worker


def serves(worker: Worker, path: str) -> bool:
    """Whether the worker serves the grid at ``path`` or a grid above it (一员多能)."""
    served = WorkerGrid.objects.filter(worker=worker, ended_at__isnull=True).values_list(
        "grid_path", flat=True
    )
    return any(path.startswith(p) for p in served)
