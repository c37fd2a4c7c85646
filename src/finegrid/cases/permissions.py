"""Who may move a case. One condition per line, so coverage shows each is exercised."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from finegrid.accounts.jurisdiction import scope_for
from finegrid.accounts.models import Role
from finegrid.cases.models import Case
from finegrid.core.errors import Forbidden, NotFound
from finegrid.grids.models import Grid, Level

FIELD = frozenset({Role.GRID_HEAD, Role.GRID_WORKER, Role.MICRO_WORKER})
OFFICIALS = frozenset(
    {Role.COMMUNITY_OFFICIAL, Role.STREET_OFFICIAL, Role.STREET_LEADER, Role.SYSTEM_ADMIN}
)
DISPATCHERS = frozenset({Role.GRID_HEAD, Role.GRID_WORKER} | OFFICIALS)
CASE_READERS = frozenset(FIELD | OFFICIALS | {Role.DEPARTMENT_STAFF, Role.AUDITOR})

# action → roles that may take it (besides the assignee, who may always work their own case)
ACTION_ROLES: dict[str, frozenset[str]] = {
    "accept": frozenset(FIELD | OFFICIALS),
    "dispatch": DISPATCHERS,
    "reassign": DISPATCHERS,
    "whistle": DISPATCHERS,
    "reject": DISPATCHERS,
    "merge": DISPATCHERS,
    "supervise": OFFICIALS,
    "start": frozenset(FIELD | OFFICIALS),
    "progress": frozenset(FIELD | OFFICIALS),
    "return": frozenset(FIELD | OFFICIALS),
    "resolve": frozenset(FIELD | OFFICIALS),
    "close": DISPATCHERS,
    "visit_back": frozenset(FIELD | OFFICIALS),
    "reopen": DISPATCHERS,
}


def access_case_read(user: Any, case: Case) -> None:
    if not scope_for(user, roles=CASE_READERS).covers(case.grid_path):
        raise NotFound(_("No such case in your jurisdiction."), field="case")


def access_case_act(user: Any, case: Case, action: str) -> None:
    access_case_read(user, case)
    if case.assignee_id is not None and case.assignee_id == getattr(user, "pk", None):
        return
    if scope_for(user, roles=ACTION_ROLES[action]).covers(case.grid_path):
        return
    raise Forbidden(_("Your role may not do this to the case."))


def access_department_act(user: Any, case: Case, department_id: int) -> None:
    access_case_read(user, case)
    if getattr(user, "is_superuser", False):
        return
    if not user.departments.filter(pk=department_id).exists():
        raise Forbidden(_("Only the whistled department's staff may do this."))


# The taxonomy and the departments serve every street of the deployment (decision 0006).
TAXONOMY_KEEPERS = frozenset({Role.STREET_LEADER, Role.SYSTEM_ADMIN})


def may_manage_taxonomy(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_superuser", False):
        return True
    scope = scope_for(user, roles=TAXONOMY_KEEPERS)
    if scope.empty:
        return False
    # A keeper of one street among several may not change the clocks its neighbours work to.
    streets = Grid.objects.filter(level=Level.STREET).values_list("path", flat=True)
    return all(scope.covers(path) for path in streets)


def access_taxonomy_manage(user: Any) -> None:
    if not may_manage_taxonomy(user):
        raise Forbidden(
            _(
                "Only a street leader or system administrator over every street may change "
                "categories and departments."
            )
        )
