"""The escalation chain: a community's steps, and who a step alerts at a given moment.

Who is read from "on duty now" (``finegrid.workforce.onduty``) when the step starts, never earlier:
the grid head at 22:00 is whoever holds the extended shift, a worker on leave is replaced by their
substitute. Family contacts come from the enrolment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from finegrid.care.models import ChainRole, ChainStep, EmergencyCall
from finegrid.core import pii
from finegrid.core.errors import InvalidInput, Problem
from finegrid.workforce.onduty import Reason, on_duty

# which on-duty slots answer for each role of the chain
_SLOTS: dict[str, frozenset[str]] = {
    ChainRole.MICRO_WORKER: frozenset({Reason.MICRO_WORKER}),
    ChainRole.GRID_HEAD: frozenset({Reason.GRID_HEAD_HOURS, Reason.EXTENDED}),
    ChainRole.STATION_DUTY: frozenset({Reason.STATION_DUTY}),
    # with nobody on duty the list ends in a duty phone: the community's step calls it
    ChainRole.COMMUNITY_DUTY: frozenset({Reason.COMMUNITY_DUTY, Reason.DUTY_PHONE}),
}
MAX_STEPS = 8
MIN_SECONDS = 10
MAX_SECONDS = 3600


@dataclass(frozen=True)
class Target:
    """One person (or duty phone) to alert at a step."""

    role: str
    reason: str
    name: str
    user_id: int | None = None
    phone: str = ""  # plain, for SMS and voice; never stored unsealed
    phone_masked: str = ""


def default_chain() -> list[dict[str, Any]]:
    return [
        {"role": role, "seconds": int(seconds)} for role, seconds in settings.CARE_DEFAULT_CHAIN
    ]


def chain_of(community_id: int) -> list[dict[str, Any]]:
    """The community's chain as a call copies it (the default when it has none)."""
    steps = [
        {"role": role, "seconds": seconds}
        for role, seconds in ChainStep.objects.filter(community_id=community_id)
        .order_by("order")
        .values_list("role", "seconds")
    ]
    return steps or default_chain()


def checked_chain(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Refuse a chain that could not run: naming the row (1-based) and field of each problem."""
    problems: list[Problem] = []
    if not steps:
        problems.append(Problem(_("A chain needs at least one step."), field="steps"))
    if len(steps) > MAX_STEPS:
        problems.append(
            Problem(_("A chain has at most %(n)d steps."), field="steps", params={"n": MAX_STEPS})
        )
    out = []
    for row, step in enumerate(steps, start=1):
        role = str(step.get("role", ""))
        if role not in ChainRole.values:
            problems.append(Problem(_("Unknown role."), field="role", row=row))
        try:
            seconds = int(step.get("seconds", 0))
        except (TypeError, ValueError):
            seconds = -1
        if not MIN_SECONDS <= seconds <= MAX_SECONDS:
            problems.append(
                Problem(
                    _("Seconds to answer must be between %(lo)d and %(hi)d."),
                    field="seconds",
                    row=row,
                    params={"lo": MIN_SECONDS, "hi": MAX_SECONDS},
                )
            )
        out.append({"role": role, "seconds": seconds})
    if problems:
        raise InvalidInput(problems)
    return out


def targets(call: EmergencyCall, role: str, at: dt.datetime) -> list[Target]:
    """Whom the step of ``role`` alerts for ``call`` at ``at``; the one who raised the call (a
    worker at the door) is not alerted about it."""
    if role == ChainRole.FAMILY:
        from finegrid.care.models import FamilyContact

        return [
            Target(
                role=role,
                reason="family",
                name=c.name,
                phone=pii.decrypt(c.phone_enc),
                phone_masked=c.phone_masked,
            )
            for c in FamilyContact.objects.filter(enrolment_id=call.enrolment_id)
        ]
    slots = _SLOTS[role]
    answer = on_duty(grid=call.micro_grid, at=at)
    out: list[Target] = []
    seen: set[int] = set()
    for entry in answer.entries:
        if entry.role not in slots and entry.reason not in slots:
            continue
        if entry.person is None:
            if entry.phone:
                out.append(
                    Target(
                        role=role,
                        reason=entry.reason,
                        name=str(entry.grid_code),
                        phone=entry.phone,
                        phone_masked=entry.phone_masked,
                    )
                )
            continue
        if entry.person.id in seen or entry.person.id == call.raised_by_id:
            continue
        seen.add(entry.person.id)
        out.append(
            Target(
                role=role,
                reason=entry.reason,
                name=entry.person.name,
                user_id=entry.person.id,
                phone_masked=entry.person.phone_masked,
            )
        )
    return out
