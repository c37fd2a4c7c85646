"""Reads of the duty lists: what is in force at a grid, and the route of a case (cases.routing)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch

from finegrid.cases.models import Category
from finegrid.cases.routing import Route, RoutedTask
from finegrid.grids.models import Grid, Level
from finegrid.grids.selectors import grid_get, path_codes
from finegrid.workforce.models.dutylists import DutyList, DutyTask


def ancestor_paths(path: str) -> list[str]:
    """``/S/C1/G1/`` → ``/S/``, ``/S/C1/``, ``/S/C1/G1/``: the grids whose lists are in force."""
    codes = path_codes(path)
    return ["/" + "/".join(codes[: i + 1]) + "/" for i in range(len(codes))]


@dataclass
class ListView:
    duty_list: DutyList
    tasks: list[DutyTask]
    own: int = 0  # tasks the viewed grid's level owns


@dataclass
class DutyLists:
    grid: Grid
    lists: list[ListView] = field(default_factory=list)

    @property
    def tasks(self) -> int:
        return sum(len(v.tasks) for v in self.lists)


def _tasks() -> Prefetch[Any]:
    return Prefetch(
        "tasks",
        queryset=DutyTask.objects.select_related("department").prefetch_related(
            Prefetch("categories", queryset=Category.objects.only("code", "name", "name_en"))
        ),
    )


def duty_lists_for(*, user: Any, code: str) -> DutyLists:
    """The lists in force at the grid ``code`` (issued by it or a grid above), if ``user`` may
    see the grid: a grid out of sight answers NotFound, as everywhere. Four queries whatever
    the number of lists and tasks."""
    grid = grid_get(user=user, code=code)
    lists = (
        DutyList.objects.filter(grid_path__in=ancestor_paths(grid.path))
        .select_related("grid")
        .prefetch_related(_tasks())
        .order_by("grid_path", "sort", "id")
    )
    out = DutyLists(grid=grid)
    for duty_list in lists:
        tasks = list(duty_list.tasks.all())
        own = sum(1 for t in tasks if t.owner_level == grid.level)
        out.lists.append(ListView(duty_list, tasks, own))
    return out


def routed(task: DutyTask) -> RoutedTask:
    owner: Any = (
        task.department.label if task.department_id and task.department else None
    ) or Level(task.owner_level).label
    return RoutedTask(
        code=task.code,
        name=task.name,
        name_en=task.name_en,
        list_label=task.duty_list.get_kind_display(),
        issued_by=task.duty_list.grid.name,
        owner_label=owner,
        department_id=task.department_id,
    )


def case_route(category_id: int, grid_path: str) -> Route | None:
    """The router registered in ``cases.routing``: the tasks covering the category in the lists
    in force at the case's micro-grid, the nearest issuer first. One query."""
    tasks = list(
        DutyTask.objects.filter(grid_path__in=ancestor_paths(grid_path), categories=category_id)
        .select_related("duty_list__grid", "department")
        .order_by("-grid_path", "sort", "id")
    )
    grid_task = next((t for t in tasks if t.owner_level), None)
    department_task = next((t for t in tasks if t.department_id), None)
    if grid_task is None and department_task is None:
        return None
    return Route(
        grid_task=routed(grid_task) if grid_task else None,
        department_task=routed(department_task) if department_task else None,
    )
