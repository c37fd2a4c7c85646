"""Leave (请假、休假): record it with a reason and a substitute, cancel it.

A person on leave is left out of on duty now for as long as it lasts, and their substitute is
called in their place. Leave ends after it starts and does not overlap another of the same person
(cancelled leave does not count). Each act is audited: leave is personal information.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finegrid.accounts.models import RoleAssignment, User
from finegrid.core.audit import audit_record
from finegrid.core.errors import FinegridError, InvalidInput, NotFound, Problem
from finegrid.workforce.models import Leave, Worker
from finegrid.workforce.permissions_onduty import access_leave

LONGEST_LEAVE = dt.timedelta(days=366)


class LeaveCancelled(FinegridError):
    status = 409
    code = "leave_cancelled"


def person_paths(person: Any) -> list[str]:
    """The grids a person belongs to: their worker profile's and their role assignments'."""
    paths = list(RoleAssignment.objects.filter(user=person).values_list("grid_path", flat=True))
    worker_path = Worker.objects.filter(user=person).values_list("grid_path", flat=True).first()
    if worker_path:
        paths.append(worker_path)
    return paths


def _check(
    *, person: Any, starts_at: Any, ends_at: Any, reason: str, substitute: Any
) -> list[Problem]:
    problems: list[Problem] = []
    for name, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if not isinstance(value, dt.datetime) or value.tzinfo is None:
            problems.append(Problem(_("Give a date and time with its time zone."), field=name))
    if not reason.strip():
        problems.append(Problem(_("Say why: a reason is required."), field="reason"))
    if substitute is not None and substitute.pk == person.pk:
        problems.append(Problem(_("A person cannot stand in for themselves."), field="substitute"))
    if problems:
        return problems
    if ends_at <= starts_at:
        problems.append(Problem(_("Leave must end after it starts."), field="ends_at"))
    elif ends_at - starts_at > LONGEST_LEAVE:
        problems.append(Problem(_("Leave may last at most a year."), field="ends_at"))
    return problems


def leave_create(
    *,
    actor: Any,
    person: User,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    reason: str,
    substitute: User | None = None,
) -> Leave:
    """Record leave; refused when it ends before it starts or overlaps another of the person."""
    access_leave(actor, person, person_paths(person))
    problems = _check(
        person=person, starts_at=starts_at, ends_at=ends_at, reason=reason, substitute=substitute
    )
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        # lock the person's row so two overlapping requests cannot both pass the check
        User.objects.select_for_update().filter(pk=person.pk).first()
        clash = (
            Leave.objects.filter(
                person=person,
                cancelled_at__isnull=True,
                starts_at__lt=ends_at,
                ends_at__gt=starts_at,
            )
            .order_by("starts_at")
            .first()
        )
        if clash is not None:
            raise InvalidInput(
                [
                    Problem(
                        _("This overlaps other leave of the same person (%(start)s–%(end)s)."),
                        field="starts_at",
                        params={
                            "start": f"{timezone.localtime(clash.starts_at):%Y-%m-%d %H:%M}",
                            "end": f"{timezone.localtime(clash.ends_at):%Y-%m-%d %H:%M}",
                        },
                    )
                ]
            )
        leave = Leave.objects.create(
            person=person,
            starts_at=starts_at,
            ends_at=ends_at,
            reason=reason.strip(),
            substitute=substitute,
            approved_by=actor if actor.pk != person.pk else None,
        )
        audit_record(
            actor=actor,
            action="leave_create",
            target=leave,
            fields=["reason", "starts_at", "ends_at"],
            reason=reason.strip(),
        )
    return leave


def leave_cancel(*, actor: Any, leave: Leave) -> Leave:
    """Cancel leave: the person is called again from now on. Cancelling twice is refused."""
    access_leave(actor, leave.person, person_paths(leave.person))
    with transaction.atomic():
        locked = Leave.objects.select_for_update().get(pk=leave.pk)
        if locked.cancelled_at is not None:
            raise LeaveCancelled(_("This leave was cancelled already."))
        locked.cancelled_at = timezone.now()
        locked.cancelled_by = actor
        locked.save(update_fields=["cancelled_at", "cancelled_by", "updated_at"])
        audit_record(actor=actor, action="leave_cancel", target=locked, fields=["cancelled_at"])
    return locked


def leave_get(*, actor: Any, leave_id: int) -> Leave:
    leave = Leave.objects.select_related("person", "substitute").filter(pk=leave_id).first()
    if leave is None:
        raise NotFound(_("No such leave."))
    access_leave(actor, leave.person, person_paths(leave.person))
    return leave
