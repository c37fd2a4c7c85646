"""Who may move a case. One condition per line, so coverage shows each is exercised."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from finegrid.accounts.jurisdiction import scope_for
from finegrid.accounts.models import Role
from finegrid.cases.models import Case
from finegrid.cases.workflow import DISPATCHERS as DISPATCHERS  # re-exported
from finegrid.cases.workflow import FIELD as FIELD  # re-exported
from finegrid.cases.workflow import MOVES, Action, Over
from finegrid.cases.workflow import OFFICIALS as OFFICIALS  # re-exported
from finegrid.core.errors import Forbidden, NotFound
from finegrid.grids.models import Grid, Level

CASE_READERS = frozenset(FIELD | OFFICIALS | {Role.DEPARTMENT_STAFF, Role.AUDITOR})


def access_case_read(user: Any, case: Case) -> None:
    if not scope_for(user, roles=CASE_READERS).covers(case.grid_path):
        raise NotFound(_("No such case in your jurisdiction."), field="case")


def is_assignee(user: Any, case: Case) -> bool:
    return case.assignee_id is not None and case.assignee_id == getattr(user, "pk", None)


def access_case_act(user: Any, case: Case, action: str) -> None:
    """Whether ``user`` may take ``action`` on ``case`` by the table of moves (workflow.MOVES):
    the case must be theirs to see, then the move theirs to take by role over the right grid,
    or by being the case's assignee for the moves of handling it."""
    access_case_read(user, case)
    move = MOVES[Action(action)]
    if move.over is Over.HANDLING_GRID:
        return access_handling_grid(user, case, action)
    if move.assignee and is_assignee(user, case):
        return
    if scope_for(user, roles=move.roles).covers(case.grid_path):
        return
    if is_assignee(user, case):
        raise Forbidden(
            _(
                "As the case's handler you may accept, start, update, return and resolve it; "
                "your role does not let you do this."
            )
        )
    raise Forbidden(_("Your role may not do this to the case."))


def access_department_act(user: Any, case: Case, department_id: int) -> None:
    access_case_read(user, case)
    if getattr(user, "is_superuser", False):
        return
    if not user.departments.filter(pk=department_id).exists():
        raise Forbidden(_("Only the whistled department's staff may do this."))


def access_handling_grid(user: Any, case: Case, action: str) -> None:
    """The assignee's own case is no exception here: they ask their grid, which decides."""
    if scope_for(user, roles=MOVES[Action(action)].roles).covers(case.handling_grid.path):
        return
    raise Forbidden(_("Only the grid now handling the case may carry it up."))


# --- feedback by follow-up code (decision 0007) -----------------------------------------------


def feedback_by(user: Any, case: Case) -> str:
    """Who answers on the follow-up page, as the trace names them: the case's reporter when
    signed in as such, otherwise the holder of the code (signed in or not)."""
    if getattr(user, "is_authenticated", False) and user.pk == case.reporter_id:
        return "reporter"
    return "code_holder"


def feedback_counts(user: Any, case: Case) -> bool:
    """Whether an answer is the reporter's, so that it sets the satisfaction and closes or
    reopens the case. Otherwise it stays in the trace as a comment and the case waits on."""
    if not getattr(user, "is_authenticated", False):
        return True  # the code was given to the reporter: its holder cannot be told from them
    if user.pk == case.reporter_id:
        return True
    if case.reporter_id is not None:
        return False  # the reporter is known, and this is someone else
    if scope_for(user, roles=CASE_READERS).covers(case.grid_path):
        return False  # staff of the case's grid see its code: no one rates their own work
    return True  # a phone or hotline report: the code is all its reporter has


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
