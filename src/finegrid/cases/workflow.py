"""The case state machine: which action leads from which statuses to which."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from finegrid.cases.models import OPEN_STATUSES
from finegrid.cases.models import Status as S

# action → (statuses it may start from, status it leads to). Actions not listed here or in
# IN_PLACE (supervise, progress, visit_back, feedback) leave the status as it is or decide it
# themselves.
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "accept": (frozenset({S.REPORTED, S.RETURNED, S.REOPENED}), S.ACCEPTED),
    "dispatch": (frozenset({S.ACCEPTED, S.RETURNED, S.REOPENED}), S.DISPATCHED),
    "whistle": (
        frozenset({S.ACCEPTED, S.DISPATCHED, S.IN_PROGRESS, S.RETURNED, S.REOPENED}),
        S.DISPATCHED,
    ),
    "reassign": (frozenset({S.DISPATCHED, S.IN_PROGRESS}), S.DISPATCHED),
    "start": (frozenset({S.DISPATCHED}), S.IN_PROGRESS),
    "report_in": (frozenset({S.DISPATCHED, S.IN_PROGRESS}), S.IN_PROGRESS),
    "return": (frozenset({S.DISPATCHED, S.IN_PROGRESS}), S.RETURNED),
    "resolve": (frozenset({S.ACCEPTED, S.IN_PROGRESS}), S.RESOLVED),
    "request_feedback": (frozenset({S.RESOLVED}), S.AWAITING_FEEDBACK),
    "close": (frozenset({S.RESOLVED, S.AWAITING_FEEDBACK}), S.CLOSED),
    "reject": (frozenset({S.REPORTED, S.ACCEPTED}), S.REJECTED),
    "merge": (frozenset({S.REPORTED, S.ACCEPTED}), S.MERGED),
    "reopen": (frozenset({S.RESOLVED, S.AWAITING_FEEDBACK, S.CLOSED}), S.REOPENED),
}

# Moves that keep the status: action → statuses it may start from. 上报 (escalate) carries an open
# case one level up the grid tree; its handler and status stay.
IN_PLACE: dict[str, frozenset[str]] = {
    "escalate": frozenset(OPEN_STATUSES),
}

ACTION_LABELS = {
    "report": _("Reported"),
    "accept": _("Accepted"),
    "dispatch": _("Dispatched"),
    "whistle": _("Whistled a department"),
    "withdraw_whistle": _("Whistle withdrawn"),
    "reassign": _("Reassigned"),
    "start": _("Started"),
    "report_in": _("Department reported in"),
    "return": _("Returned"),
    "progress": _("Progress update"),
    "resolve": _("Resolved"),
    "request_feedback": _("Asked the reporter for feedback"),
    "feedback": _("Reporter's feedback"),
    "visit_back": _("Visit-back"),
    "close": _("Closed"),
    "reject": _("Rejected as out of scope"),
    "merge": _("Merged as duplicate"),
    "reopen": _("Reopened"),
    "escalate": _("Escalated"),
    "supervise": _("Supervisor assigned"),
    "colour": _("Warning colour changed"),
}


# 上报社区 / 上报街道: an escalation by hand, named by where it went
CARRY_UP_LABELS = {
    "community": _("Carried up to the community"),
    "street": _("Carried up to the street"),
}


def event_label(action: str, data: dict[str, Any]) -> Any:
    """What a step of the trace is called: by its action, told apart where the action alone
    would mislead (an escalation by hand, an answer not given by the signed-in reporter)."""
    if action == "escalate" and data.get("manual"):
        return CARRY_UP_LABELS.get(data.get("to", ""), ACTION_LABELS[action])
    if action == "feedback" and data.get("by") != "reporter":
        return _("Feedback with the follow-up code")
    return ACTION_LABELS.get(action, action)


def allowed(action: str, status: str) -> bool:
    if action in IN_PLACE:
        return status in IN_PLACE[action]
    sources, _to = TRANSITIONS[action]
    return status in sources


# The moves as a user names them in an error ("cannot resolve a case that is reported").
ACTION_VERBS = {
    "accept": _("accept"),
    "dispatch": _("dispatch"),
    "whistle": _("whistle a department"),
    "reassign": _("reassign"),
    "start": _("start handling"),
    "report_in": _("report in"),
    "return": _("return"),
    "resolve": _("resolve"),
    "request_feedback": _("ask for feedback"),
    "close": _("close"),
    "reject": _("reject"),
    "merge": _("merge"),
    "reopen": _("reopen"),
    "escalate": _("escalate"),
}
