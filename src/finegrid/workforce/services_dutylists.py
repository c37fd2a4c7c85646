"""Writes to the duty lists (一清单): the street replaces a grid's lists from a ledger.

An import is all or nothing: the ledger is read and checked whole before anything is written,
and the lists it replaces go in the same transaction as the new ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from finegrid.accounts.jurisdiction import scope_for
from finegrid.accounts.models import Role
from finegrid.core.errors import Forbidden, InvalidInput, Problem
from finegrid.grids.models import Grid, Level
from finegrid.workforce.ledger_dutylists import LedgerRow, read_ledger
from finegrid.workforce.models.dutylists import DutyList, DutyTask, ListKind

# the street edits the lists (明湖's were issued through the street office); grids read them
DUTY_LIST_EDITORS = frozenset({Role.STREET_LEADER, Role.STREET_OFFICIAL, Role.SYSTEM_ADMIN})
ISSUING_LEVELS = frozenset({Level.STREET, Level.COMMUNITY})


def may_edit_duty_lists(user: Any, grid: Grid) -> bool:
    scope = scope_for(user, roles=DUTY_LIST_EDITORS)
    return grid.level in ISSUING_LEVELS and scope.covers(grid.path)


def access_duty_lists_edit(user: Any, grid: Grid) -> None:
    """Refuse an edit of the lists issued by ``grid`` (one condition per line)."""
    if grid.level not in ISSUING_LEVELS:
        raise Forbidden(_("Duty lists are issued by a street or a community."), field="grid")
    if not scope_for(user, roles=DUTY_LIST_EDITORS).covers(grid.path):
        raise Forbidden(_("Only street officials edit duty lists; grids read them."))


@dataclass(frozen=True)
class ImportResult:
    lists: int
    tasks: int


def duty_lists_import(*, actor: Any, grid: Grid, data: bytes) -> ImportResult:
    """Replace every duty list issued by ``grid`` with the ledger's."""
    access_duty_lists_edit(actor, grid)
    rows = read_ledger(data)
    return duty_lists_replace(grid=grid, rows=rows)


def duty_lists_replace(*, grid: Grid, rows: list[LedgerRow]) -> ImportResult:
    """Write checked rows as the lists of ``grid``, replacing the old ones (one transaction)."""
    if not rows:
        raise InvalidInput(Problem(_("The ledger has a header but no tasks."), field="file"))
    order = {kind: i for i, kind in enumerate(ListKind.values)}
    kinds = sorted({r.kind for r in rows}, key=order.__getitem__)
    with transaction.atomic():
        # the tasks go with their lists (CASCADE), the category links with the tasks
        DutyList.objects.filter(grid=grid).delete()
        lists = {
            kind: DutyList(grid=grid, grid_path=grid.path, kind=kind, sort=order[kind])
            for kind in kinds
        }
        DutyList.objects.bulk_create(lists.values())
        tasks = [
            DutyTask(
                duty_list=lists[r.kind],
                grid_path=grid.path,
                code=r.code,
                name=r.name,
                name_en=r.name_en,
                owner_level=r.owner_level,
                department_id=r.department_id,
                sort=i,
            )
            for i, r in enumerate(rows)
        ]
        DutyTask.objects.bulk_create(tasks, batch_size=500)
        links = DutyTask.categories.through
        links.objects.bulk_create(
            [
                links(dutytask_id=task.pk, category_id=pk)
                for task, r in zip(tasks, rows, strict=True)
                for pk in r.category_ids
            ],
            batch_size=500,
        )
    return ImportResult(lists=len(lists), tasks=len(tasks))
