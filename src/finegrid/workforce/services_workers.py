"""Writes to the worker profiles and their lifecycle (进入退出导则). Each service owns its
transaction; every move leaves a ``WorkerEvent`` with its reason, and touching the phone leaves an
audit row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finegrid.accounts.models import Role, RoleAssignment, User
from finegrid.accounts.services import role_revoke
from finegrid.core import pii
from finegrid.core.audit import audit_record
from finegrid.core.errors import InvalidInput, Problem
from finegrid.core.models import AuditAction
from finegrid.grids.models import Duty, Grid, Responsibility
from finegrid.grids.services import responsibility_end
from finegrid.registry.validators import normalize_phone
from finegrid.workforce.models import Origin, Worker, WorkerEvent, WorkerGrid, WorkerStatus
from finegrid.workforce.models.workers import TRANSITIONS, WorkerType
from finegrid.workforce.permissions_workers import access_worker_manage, access_worker_phone

REASON_MAX = 200
MAX_SKILLS = 20

# What an exited worker stops being: the duties of the net that a worker holds, and the roles
# those duties grant. Posts of the community committee (secretary, committee member for a
# building, street cadre for an estate) are offices, not worker duties: someone who leaves the
# net as a grid head keeps them until the committee changes them through staffing.
WORKER_DUTIES = frozenset(
    {
        Duty.GRID_HEAD,
        Duty.GRID_WORKER,
        Duty.MICRO_WORKER,
        Duty.HOUSEHOLD_WORKER,
        Duty.BUILDING_HEAD,
        Duty.PARTY_BRANCH,
        Duty.PARTY_SERVICE_HEAD,
        Duty.SAFETY_HEAD,
        Duty.CIVILITY_HEAD,
    }
)
WORKER_ROLES = frozenset({Role.GRID_HEAD, Role.GRID_WORKER, Role.MICRO_WORKER})


@dataclass
class WorkerData:
    type: str
    origin: str
    grids: list[Grid]
    phone: str = ""
    skills: list[str] = field(default_factory=list)


def _reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not text:
        raise InvalidInput(Problem(_("Give a reason for this move."), field="reason"))
    if len(text) > REASON_MAX:
        raise InvalidInput(
            Problem(_("The reason may have at most 200 characters."), field="reason")
        )
    return text


def _check(data: WorkerData) -> list[str]:
    problems: list[Problem] = []
    if data.type not in WorkerType.values:
        problems.append(Problem(_("Unknown worker type."), field="type"))
    if data.origin not in Origin.values:
        problems.append(Problem(_("Unknown origin."), field="origin"))
    if not data.grids:
        problems.append(Problem(_("Name at least one grid served."), field="grids"))
    skills = [s.strip() for s in data.skills if s and s.strip()]
    if len(skills) > MAX_SKILLS or any(len(s) > 40 for s in skills):
        problems.append(
            Problem(_("At most 20 skills of at most 40 characters each."), field="skills")
        )
    if problems:
        raise InvalidInput(problems)
    return list(dict.fromkeys(skills))


def _seal_phone(worker: Worker, phone: str) -> None:
    worker.phone_enc = pii.encrypt(phone) if phone else ""
    worker.phone_index = pii.blind_index("phone", phone) if phone else ""
    worker.phone_masked = pii.mask_phone(phone) if phone else ""


@transaction.atomic
def worker_create(
    *,
    actor: Any,
    user: User,
    data: WorkerData,
    reason: str = "",
    request: HttpRequest | None = None,
) -> Worker:
    """A profile for ``user``, applied (申请) for the grids named; the first is its home."""
    skills = _check(data)
    for grid in data.grids:
        access_worker_manage(actor, grid.path)
    phone = normalize_phone(data.phone) if data.phone.strip() else ""
    if Worker.objects.filter(user=user).exists():
        raise InvalidInput(Problem(_("This login already has a worker profile."), field="user"))
    worker = Worker(
        user=user,
        type=data.type,
        origin=data.origin,
        skills=skills,
        grid_path=data.grids[0].path,
    )
    _seal_phone(worker, phone)
    worker.save()
    now = timezone.now()
    WorkerGrid.objects.bulk_create(
        [
            WorkerGrid(worker=worker, grid=g, grid_path=g.path, started_at=now)
            for g in dict.fromkeys(data.grids)
        ]
    )
    WorkerEvent.objects.create(
        worker=worker,
        at=now,
        to_status=WorkerStatus.APPLIED,
        reason=(reason or "").strip()[:REASON_MAX] or str(_("Registered")),
        actor=actor if isinstance(actor, User) else None,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=worker,
        fields=["type", "origin", "phone"] if phone else ["type", "origin"],
        request=request,
        grid_path=worker.grid_path,
    )
    return worker


def _locked(worker: Worker) -> Worker:
    # Two officials moving one worker at once: the second waits and then sees the first's
    # status, so it cannot exit a worker twice or reinstate one already exited.
    return Worker.objects.select_for_update().select_related("user").get(pk=worker.pk)


@transaction.atomic
def worker_move(
    *,
    actor: Any,
    worker: Worker,
    to: str,
    reason: str,
    at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> Worker:
    """Move a worker along the lifecycle. Exiting ends their duties and grid roles at once."""
    access_worker_manage(actor, worker.grid_path)
    if to not in WorkerStatus.values:
        raise InvalidInput(Problem(_("Unknown status."), field="to"))
    text = _reason(reason)
    w = _locked(worker)
    if to not in TRANSITIONS[w.status]:
        raise InvalidInput(
            Problem(
                _("A worker cannot move from “%(from)s” to “%(to)s”."),
                params={"from": WorkerStatus(w.status).label, "to": WorkerStatus(to).label},
                field="to",
            )
        )
    now = at or timezone.now()
    WorkerEvent.objects.create(
        worker=w, at=now, from_status=w.status, to_status=to, reason=text, actor=_user(actor)
    )
    w.status, w.status_changed_at = to, now
    w.save(update_fields=["status", "status_changed_at", "updated_at"])
    if to == WorkerStatus.EXITED:
        _drop_roles(w, actor=actor, reason=text, at=now, request=request)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=w,
        fields=["status"],
        reason=text,
        request=request,
        grid_path=w.grid_path,
    )
    worker.status, worker.status_changed_at = w.status, w.status_changed_at
    return w


def _user(actor: Any) -> User | None:
    return actor if isinstance(actor, User) else None


def _drop_roles(
    w: Worker, *, actor: Any, reason: str, at: dt.datetime, request: HttpRequest | None
) -> None:
    """Inside the move's transaction: a failure here leaves the worker as they were."""
    held = Responsibility.objects.current().filter(person=w.user, duty__in=WORKER_DUTIES)
    for r in held.order_by("pk"):
        responsibility_end(responsibility=r, actor=actor, reason=reason, at=at, request=request)
    leftover = RoleAssignment.objects.filter(user=w.user, role__in=WORKER_ROLES).select_related(
        "grid"
    )
    for ra in list(leftover):
        role_revoke(user=w.user, role=ra.role, grid=ra.grid)
    WorkerGrid.objects.filter(worker=w, ended_at__isnull=True).update(ended_at=at, updated_at=at)


@transaction.atomic
def worker_grid_add(
    *, actor: Any, worker: Worker, grid: Grid, request: HttpRequest | None = None
) -> WorkerGrid:
    access_worker_manage(actor, worker.grid_path)
    access_worker_manage(actor, grid.path)
    w = _locked(worker)
    if w.status == WorkerStatus.EXITED:
        raise InvalidInput(Problem(_("The worker has exited."), field="worker"))
    if WorkerGrid.objects.filter(worker=w, grid=grid, ended_at__isnull=True).exists():
        raise InvalidInput(Problem(_("The worker already serves this grid."), field="grid"))
    served = WorkerGrid.objects.create(worker=w, grid=grid, grid_path=grid.path)
    audit_record(
        actor=actor, action=AuditAction.CREATE, target=served, fields=["grid"], request=request
    )
    return served


@transaction.atomic
def worker_grid_remove(
    *, actor: Any, worker: Worker, grid: Grid, request: HttpRequest | None = None
) -> WorkerGrid:
    """Stop serving one grid; the last one is kept (exit the worker instead). The home grid
    moves to the next one served, so the worker stays in their officials' sight."""
    access_worker_manage(actor, worker.grid_path)
    w = _locked(worker)
    current = list(
        WorkerGrid.objects.filter(worker=w, ended_at__isnull=True)
        .select_related("grid")
        .order_by("started_at", "pk")
    )
    row = next((s for s in current if s.grid_id == grid.pk), None)
    if row is None:
        raise InvalidInput(Problem(_("The worker does not serve this grid."), field="grid"))
    if len(current) == 1:
        raise InvalidInput(
            Problem(_("This is the last grid the worker serves: exit them instead."), field="grid")
        )
    now = timezone.now()
    row.ended_at = now
    row.save(update_fields=["ended_at", "updated_at"])
    rest = [s for s in current if s is not row]
    if w.grid_path == row.grid_path:
        w.grid_path = rest[0].grid_path
        w.save(update_fields=["grid_path", "updated_at"])
    audit_record(
        actor=actor, action=AuditAction.UPDATE, target=row, fields=["ended_at"], request=request
    )
    return row


@transaction.atomic
def worker_unmask_phone(
    *, actor: Any, worker: Worker, reason: str, request: HttpRequest | None = None
) -> str:
    """The full phone, after a reason that the audit log keeps (as the registry's people)."""
    access_worker_phone(actor, worker.grid_path)
    if len((reason or "").strip()) < 2:
        raise InvalidInput(Problem(_("Give a reason for showing the full value."), field="reason"))
    if not worker.phone_enc:
        raise InvalidInput(Problem(_("No phone is recorded."), field="phone"))
    audit_record(
        actor=actor,
        action=AuditAction.UNMASK,
        target=worker,
        fields=["phone"],
        reason=reason.strip(),
        request=request,
        grid_path=worker.grid_path,
    )
    return pii.decrypt(worker.phone_enc)


def grids_by_code(codes: Iterable[str]) -> list[Grid]:
    """The grids named, in order; an unknown code is refused by name."""
    wanted = [c.strip() for c in codes if c and c.strip()]
    found = {g.code: g for g in Grid.objects.filter(code__in=wanted)}
    missing = [c for c in wanted if c not in found]
    if missing:
        raise InvalidInput(
            Problem(_("No grid has the code %(code)s."), params={"code": missing[0]}, field="grids")
        )
    return [found[c] for c in dict.fromkeys(wanted)]
