"""Where a case belongs by the duty lists (一清单), without cases importing the app that keeps them.

The workforce app keeps the duty lists and registers a router here in its ``AppConfig.ready()``.
The case page reads the route: a category whose duty-list task belongs to the grid stays with the
grid (the page names the task); one whose task belongs to a department offers the whistle (吹哨)
to that department first. With no router registered, or no task covering the category, the
route is empty and the category's usual department is offered, as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from finegrid.core.labels import in_language


@dataclass(frozen=True)
class RoutedTask:
    """A duty-list task as the case page shows it."""

    code: str
    name: str
    name_en: str
    list_label: Any  # the list's name, lazy (the page's language)
    issued_by: str  # the name of the grid that issued the list
    owner_label: Any  # the level or the department that owns the task
    department_id: int | None = None

    @property
    def label(self) -> str:
        return in_language(self.name, self.name_en)


@dataclass(frozen=True)
class Route:
    grid_task: RoutedTask | None = None  # makes the case the grid's
    department_task: RoutedTask | None = None  # belongs to a department: the whistle is offered

    @property
    def department_id(self) -> int | None:
        return self.department_task.department_id if self.department_task else None

    def __bool__(self) -> bool:
        return self.grid_task is not None or self.department_task is not None


# (category id, micro-grid path) → the route, or None when the router knows nothing of it
Router = Callable[[int, str], "Route | None"]

ROUTERS: list[Router] = []


def register(router: Router) -> None:
    if router not in ROUTERS:
        ROUTERS.append(router)


def route_for(*, category_id: int, grid_path: str) -> Route:
    for router in ROUTERS:
        found = router(category_id, grid_path)
        if found:
            return found
    return Route()


def route_of(case: Any) -> Route:
    return route_for(category_id=case.category_id, grid_path=case.grid_path)
