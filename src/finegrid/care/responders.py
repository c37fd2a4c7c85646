"""Whom daily care and the meal rounds tell: the micro-grid's worker now (through "on duty now",
so a worker on leave is replaced by their substitute), and the grid head who answers for the
grid above it (by responsibility, whatever the hour: a missed contact is no emergency, the notice
waits in their inbox). Also how a person's name is shown to someone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from finegrid.accounts.jurisdiction import scope_for
from finegrid.accounts.models import Role, RoleAssignment
from finegrid.grids.models import Duty, Grid, Responsibility
from finegrid.registry.permissions import REGISTRY_READERS
from finegrid.workforce.onduty import Reason, on_duty


def micro_workers(micro: Grid, at: dt.datetime) -> list[int]:
    """The logins answering for the micro-grid at ``at``: its workers, or their substitutes."""
    answer = on_duty(grid=micro, at=at)
    out: list[int] = []
    for entry in answer.entries:
        if entry.role == Reason.MICRO_WORKER and entry.person is not None:
            if entry.person.id not in out:
                out.append(entry.person.id)
    return out


def grid_heads(micro_grids: list[Grid]) -> dict[int, list[int]]:
    """Per micro-grid id, the logins of the grid head of its grid: whoever holds the duty, and
    anyone assigned the grid-head role over that grid. Two queries for any number."""
    parents = {m.pk: m.parent_id for m in micro_grids if m.parent_id}
    ids = sorted(set(parents.values()))
    by_grid: dict[int, list[int]] = {}
    held = Responsibility.objects.current().filter(grid_id__in=ids, duty=Duty.GRID_HEAD)
    for grid_id, person_id in held.values_list("grid_id", "person_id"):
        by_grid.setdefault(grid_id, []).append(person_id)
    assigned = RoleAssignment.objects.filter(Q(grid_id__in=ids), role=Role.GRID_HEAD)
    for grid_id, user_id in assigned.values_list("grid_id", "user_id").order_by("id"):
        people = by_grid.setdefault(grid_id, [])
        if user_id not in people:
            people.append(user_id)
    return {m: by_grid.get(p, []) for m, p in parents.items()}


def masked_name(name: str) -> str:
    """陈** for 陈大爷: the surname, as the cases app shows a reporter to the public."""
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def name_for(user: Any, name: str, grid_path: str, *, scope: Any = None) -> str:
    """The name in full for those who read the registry where the person lives (the registry
    shows them names in full, their phone and ID masked); masked for anyone else."""
    scope = scope if scope is not None else scope_for(user, roles=REGISTRY_READERS)
    return name if scope.covers(grid_path) else masked_name(name)
