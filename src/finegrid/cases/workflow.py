"""The case state machine: the typed list of what can happen to a case (:class:`Action`) and
the one table of moves (:data:`MOVES`) that the services, the permissions, the case page, the API
and the traces all read: from which statuses a move starts, where it leads, who may take it,
and what the page and an error call it. Decision 0034."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from finegrid.accounts.models import Role
from finegrid.cases.models import FINAL_STATUSES, OPEN_STATUSES, SETTLED_STATUSES, Status
from finegrid.cases.models import Status as S


class Action(models.TextChoices):
    """A step of a case's trace (``CaseEvent.action``), named as the trace shows it: the moves
    people take, and the steps taken by the clock (colour), the reporter (feedback) or a
    service on its own (request_feedback after a resolution)."""

    REPORT = "report", _("Reported")
    ACCEPT = "accept", _("Accepted")
    DISPATCH = "dispatch", _("Dispatched")
    WHISTLE = "whistle", _("Whistled a department")
    WITHDRAW_WHISTLE = "withdraw_whistle", _("Whistle withdrawn")
    REASSIGN = "reassign", _("Reassigned")
    START = "start", _("Started")
    REPORT_IN = "report_in", _("Department reported in")
    # The department's part done: the trace records it as resolve (the last open whistle) or
    # progress (others still open), so this value names a move, never a stored step.
    DEPT_RESOLVE = "dept_resolve", _("Department resolved its part")
    RETURN = "return", _("Returned")
    PROGRESS = "progress", _("Progress update")
    RESOLVE = "resolve", _("Resolved")
    REQUEST_FEEDBACK = "request_feedback", _("Asked the reporter for feedback")
    FEEDBACK = "feedback", _("Reporter's feedback")
    VISIT_BACK = "visit_back", _("Visit-back")
    CLOSE = "close", _("Closed")
    REJECT = "reject", _("Rejected as out of scope")
    MERGE = "merge", _("Merged as duplicate")
    REOPEN = "reopen", _("Reopened")
    ESCALATE = "escalate", _("Escalated")
    SUPERVISE = "supervise", _("Supervisor assigned")
    COLOUR = "colour", _("Warning colour changed")


# Who takes part, by role. CASE_READERS (who may see a case) is in permissions.py.
FIELD = frozenset({Role.GRID_HEAD, Role.GRID_WORKER, Role.MICRO_WORKER})
OFFICIALS = frozenset(
    {Role.COMMUNITY_OFFICIAL, Role.STREET_OFFICIAL, Role.STREET_LEADER, Role.SYSTEM_ADMIN}
)
DISPATCHERS = frozenset({Role.GRID_HEAD, Role.GRID_WORKER} | OFFICIALS)
HANDLERS = frozenset(FIELD | OFFICIALS)
NOBODY: frozenset[str] = frozenset()


class Over(enum.Enum):
    """Where a role must reach for its holder to take a move."""

    CASE = "case"  # the case's micro-grid
    # The handling grid's decision (上报): a grid head does not carry up what the community holds.
    HANDLING_GRID = "handling_grid"
    DEPARTMENT = "department"  # not a role: the staff of the department whistled on the case
    NO_ONE = "no_one"  # taken by a service or by the follow-up code, never by a role


ANY_STATUS = frozenset(Status.values)


@dataclass(frozen=True)
class Move:
    """One row of the table: a move, where it may start, where it leads, who may take it."""

    sources: frozenset[str]  # the statuses it may start from
    to: str | None  # the status it leads to; None: the status stays (or the service decides)
    roles: frozenset[str]  # roles whose jurisdiction (``over``) lets the holder take it
    over: Over = Over.CASE
    # The case's assignee may take it by being the assignee, whatever their roles: the moves of
    # handling a case. Directing it (reassign, whistle, reject, merge, close, reopen, carry up)
    # is the dispatchers' and supervising it the officials'; the visit-back checks the work
    # with the reporter, so it is not the handler's either.
    assignee: bool = False
    button: Promise | None = None  # the case page's button; None: no button
    verb: Promise | None = None  # as a refusal names it ("cannot resolve a case that is …")


# In the order a case meets them: the case page shows its buttons in this order.
MOVES: dict[Action, Move] = {
    Action.ACCEPT: Move(
        frozenset({S.REPORTED, S.RETURNED, S.REOPENED}),
        S.ACCEPTED,
        HANDLERS,
        assignee=True,
        button=_("Accept"),
        verb=_("accept"),
    ),
    Action.DISPATCH: Move(
        frozenset({S.ACCEPTED, S.RETURNED, S.REOPENED}),
        S.DISPATCHED,
        DISPATCHERS,
        button=_("Dispatch"),
        verb=_("dispatch"),
    ),
    Action.REASSIGN: Move(
        frozenset({S.DISPATCHED, S.IN_PROGRESS}),
        S.DISPATCHED,
        DISPATCHERS,
        button=_("Reassign"),
        verb=_("reassign"),
    ),
    Action.WHISTLE: Move(
        frozenset({S.ACCEPTED, S.DISPATCHED, S.IN_PROGRESS, S.RETURNED, S.REOPENED}),
        S.DISPATCHED,
        DISPATCHERS,
        button=_("Whistle a department"),
        verb=_("whistle a department"),
    ),
    Action.START: Move(
        frozenset({S.DISPATCHED}),
        S.IN_PROGRESS,
        HANDLERS,
        assignee=True,
        button=_("Start handling"),
        verb=_("start handling"),
    ),
    Action.PROGRESS: Move(
        OPEN_STATUSES, None, HANDLERS, assignee=True, button=_("Progress update")
    ),
    Action.RETURN: Move(
        frozenset({S.DISPATCHED, S.IN_PROGRESS}),
        S.RETURNED,
        HANDLERS,
        assignee=True,
        button=_("Return"),
        verb=_("return"),
    ),
    Action.RESOLVE: Move(
        frozenset({S.ACCEPTED, S.IN_PROGRESS}),
        S.RESOLVED,
        HANDLERS,
        assignee=True,
        button=_("Resolve"),
        verb=_("resolve"),
    ),
    Action.REJECT: Move(
        frozenset({S.REPORTED, S.ACCEPTED}),
        S.REJECTED,
        DISPATCHERS,
        button=_("Reject as out of scope"),
        verb=_("reject"),
    ),
    Action.MERGE: Move(
        frozenset({S.REPORTED, S.ACCEPTED}),
        S.MERGED,
        DISPATCHERS,
        button=_("Merge as duplicate"),
        verb=_("merge"),
    ),
    Action.CLOSE: Move(
        frozenset({S.RESOLVED, S.AWAITING_FEEDBACK}),
        S.CLOSED,
        DISPATCHERS,
        button=_("Close the case"),
        verb=_("close"),
    ),
    Action.REOPEN: Move(
        frozenset({S.RESOLVED, S.AWAITING_FEEDBACK, S.CLOSED}),
        S.REOPENED,
        DISPATCHERS,
        button=_("Reopen"),
        verb=_("reopen"),
    ),
    # 回访 after resolution; it closes the case unless told not to
    Action.VISIT_BACK: Move(SETTLED_STATUSES, None, HANDLERS, button=_("Visit-back")),
    # 全程盯办 follows a case to its end: not one that has ended
    Action.SUPERVISE: Move(
        ANY_STATUS - FINAL_STATUSES, None, OFFICIALS, button=_("Supervise end to end")
    ),
    Action.REPORT_IN: Move(
        frozenset({S.DISPATCHED, S.IN_PROGRESS}),
        S.IN_PROGRESS,
        NOBODY,
        over=Over.DEPARTMENT,
        button=_("Report in"),
        verb=_("report in"),
    ),
    # The whistle's own status decides (services.whistle_resolve); the case resolves through
    # the resolve row when this was its last open whistle.
    Action.DEPT_RESOLVE: Move(
        ANY_STATUS, None, NOBODY, over=Over.DEPARTMENT, button=_("Department resolves")
    ),
    # Whoever may whistle may call a whistle off; the whistle's status decides, not the case's.
    Action.WITHDRAW_WHISTLE: Move(ANY_STATUS, None, DISPATCHERS, button=_("Withdraw the whistle")),
    # 上报: an open case one level up the grid tree; its handler and status stay.
    Action.ESCALATE: Move(
        OPEN_STATUSES,
        None,
        DISPATCHERS,
        over=Over.HANDLING_GRID,
        button=_("Escalate"),
        verb=_("escalate"),
    ),
    # taken by the resolving service when there is a reporter to ask
    Action.REQUEST_FEEDBACK: Move(
        frozenset({S.RESOLVED}), S.AWAITING_FEEDBACK, NOBODY, Over.NO_ONE
    ),
    # by the follow-up code (permissions.feedback_counts): closes or reopens, or stays a comment
    Action.FEEDBACK: Move(frozenset({S.AWAITING_FEEDBACK}), None, NOBODY, Over.NO_ONE),
}

# The moves the case's assignee may take from their seat alone (permissions.access_case_act).
ASSIGNEE_MOVES = frozenset(a for a, m in MOVES.items() if m.assignee)

# Steps only staff see: the public follow-up page, the public API trace, a resident's own
# reports and Open311's last-changed time leave out the clock's colour changes and who
# supervises; everything else is how the reporter's case got where it is.
INTERNAL_ACTIONS = frozenset({Action.COLOUR, Action.SUPERVISE})
PUBLIC_ACTIONS = frozenset(set(Action) - INTERNAL_ACTIONS)

ACTION_LABELS: dict[str, Any] = dict(Action.choices)

# 上报社区 / 上报街道: an escalation by hand, named by where it went
CARRY_UP_LABELS = {
    "community": _("Carried up to the community"),
    "street": _("Carried up to the street"),
}


def event_label(action: str, data: dict[str, Any]) -> Any:
    """What a step of the trace is called: by its action, told apart where the action alone
    would mislead (an escalation by hand, an answer not given by the signed-in reporter)."""
    if action == Action.ESCALATE and data.get("manual"):
        return CARRY_UP_LABELS.get(data.get("to", ""), ACTION_LABELS[action])
    if action == Action.FEEDBACK and data.get("by") != "reporter":
        return _("Feedback with the follow-up code")
    return ACTION_LABELS.get(action, action)


def allowed(action: str, status: str) -> bool:
    """Whether the table lets ``action`` start from ``status`` (who may is permissions.py's)."""
    return status in MOVES[Action(action)].sources
