"""Writes around the devices of the emergency call: who may enrol and change what, ending an
enrolment, heartbeats (rate-limited per key through the shared cache), and the checks a worker
is sent on when a device goes quiet or runs flat (``device_checks_sweep``, periodic).

The enrolment, device and chain writes themselves are ``finegrid.care.services``; this module
adds the jurisdiction checks the API and pages need in front of them, and what those services
do not cover. See docs/decisions/0033-enrolments-heartbeats-figures.md.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finegrid.accounts.jurisdiction import scope_for
from finegrid.accounts.models import Role, User
from finegrid.care import services_enrolment
from finegrid.care.models import (
    OPEN_STATUSES,
    CheckEnd,
    CheckReason,
    Device,
    DeviceCheck,
    DeviceKind,
    EmergencyCall,
    Enrolment,
    RefusalKind,
)
from finegrid.care.roles import OFFICIALS, Conflict
from finegrid.core.errors import Forbidden, InvalidInput, NotFound, Problem
from finegrid.grids.models import Duty, Responsibility
from finegrid.notifications.services import notification_rows, notify_rows
from finegrid.registry.models import Person

logger = logging.getLogger(__name__)

# who may read and close device checks: the officials, and the micro-grid worker who goes
CHECKERS = frozenset({Role.MICRO_WORKER, *OFFICIALS})
MAX_DEVICES = 5
MAX_CONTACTS = 5
# a device reports every few minutes to hours; more than this in one minute is a fault or abuse
HEARTBEATS_PER_MINUTE = 6
WINDOW_SECONDS = 60
NOTICE_KIND = "care.device_check"


# --- who may -----------------------------------------------------------------------------------


def access_enrolments(user: Any, path: str) -> None:
    """Enrolments are kept by the officials over the household (OFFICIALS). Anyone else
    is told the thing does not exist, so that enrolments of a neighbouring grid cannot be
    probed."""
    if not isinstance(user, User):
        raise NotFound(_("No such enrolment in your jurisdiction."), field="id")
    if not scope_for(user, roles=OFFICIALS).covers(path):
        raise NotFound(_("No such enrolment in your jurisdiction."), field="id")


def access_enrol(user: Any, path: str) -> None:
    """For a person the user can read in the registry: only an official over the household may
    enrol them (a micro-grid worker asks one)."""
    if not isinstance(user, User) or not scope_for(user, roles=OFFICIALS).covers(path):
        raise Forbidden(_("Only an official over the household may enrol a person."))


def access_checks(user: Any, path: str) -> None:
    if not isinstance(user, User):
        raise NotFound(_("No such device check in your jurisdiction."), field="id")
    if not scope_for(user, roles=CHECKERS).covers(path):
        raise NotFound(_("No such device check in your jurisdiction."), field="id")


def _text(value: str, *, field: str, limit: int, required: bool = True) -> str:
    value = value.strip()
    if required and not value:
        raise InvalidInput(
            Problem(_("This field is required: %(field)s."), field=field, params={"field": field})
        )
    if len(value) > limit:
        raise InvalidInput(
            Problem(
                _("%(field)s may have at most %(max)s characters."),
                field=field,
                params={"field": field, "max": limit},
            )
        )
    return value


# --- enrolment ---------------------------------------------------------------------------------


def _counted(
    devices: list[services_enrolment.DeviceSpec], contacts: list[services_enrolment.ContactSpec]
) -> None:
    problems = []
    if len(devices) > MAX_DEVICES:
        problems.append(
            Problem(_("At most %(n)d devices."), field="devices", params={"n": MAX_DEVICES})
        )
    if len(contacts) > MAX_CONTACTS:
        problems.append(
            Problem(
                _("At most %(n)d family contacts."), field="contacts", params={"n": MAX_CONTACTS}
            )
        )
    if problems:
        raise InvalidInput(problems)


def enrolment_enrol(
    *,
    actor: User,
    person: Person,
    devices: list[services_enrolment.DeviceSpec],
    contacts: list[services_enrolment.ContactSpec],
    note: str = "",
) -> services_enrolment.Enrolled:
    """services_enrolment.enrolment_create for an official over the person's household. The
    keys in the answer are shown once: only their digests are kept."""
    access_enrol(actor, person.grid_path)
    _counted(devices, contacts)
    return services_enrolment.enrolment_create(
        actor=actor, person=person, devices=devices, contacts=contacts, note=note
    )


def enrolment_device_add(
    *, actor: User, enrolment: Enrolment, spec: services_enrolment.DeviceSpec
) -> tuple[Device, str]:
    access_enrolments(actor, enrolment.grid_path)
    active = enrolment.devices.filter(revoked_at__isnull=True).count()
    if active >= MAX_DEVICES:
        raise InvalidInput(
            Problem(_("At most %(n)d devices."), field="devices", params={"n": MAX_DEVICES})
        )
    return services_enrolment.device_add(actor=actor, enrolment=enrolment, spec=spec)


def _close_checks(filters: Q, *, now: dt.datetime, end: str, actor: User | None = None) -> int:
    return DeviceCheck.objects.filter(filters, closed_at__isnull=True).update(
        closed_at=now, closed_by=actor, end=end, updated_at=now
    )


def device_withdraw(*, actor: User, device: Device, reason: str) -> Device:
    """Revoke a device (services_enrolment.device_revoke) and close its open check: a revoked
    device is not something to go and look at."""
    access_enrolments(actor, device.enrolment.grid_path)
    _text(reason, field="reason", limit=200)
    now = timezone.now()
    with transaction.atomic():
        device = services_enrolment.device_revoke(actor=actor, device=device, reason=reason)
        _close_checks(Q(device=device), now=now, end=CheckEnd.GONE, actor=actor)
    return device


def enrolment_end(
    *, actor: User, enrolment: Enrolment, reason: str, now: dt.datetime | None = None
) -> Enrolment:
    """End an enrolment: its devices are revoked with the same reason and its checks closed.
    Refused while one of its calls is still open, which someone must close first."""
    access_enrolments(actor, enrolment.grid_path)
    now = now or timezone.now()
    reason = _text(reason, field="reason", limit=200)
    if enrolment.ended_at is not None:
        raise Conflict(_("The enrolment has ended."), field="enrolment")
    if EmergencyCall.objects.filter(enrolment=enrolment, status__in=OPEN_STATUSES).exists():
        raise Conflict(
            _("An emergency call of this person is still open: close it first."),
            field="enrolment",
        )
    with transaction.atomic():
        ended = Enrolment.objects.filter(pk=enrolment.pk, ended_at__isnull=True).update(
            ended_at=now, ended_by=actor, end_reason=reason, updated_at=now
        )
        if not ended:  # another request ended it a moment ago
            raise Conflict(_("The enrolment has ended."), field="enrolment")
        Device.objects.filter(enrolment=enrolment, revoked_at__isnull=True).update(
            revoked_at=now, revoked_by=actor, revoke_reason=reason, updated_at=now
        )
        _close_checks(Q(enrolment=enrolment), now=now, end=CheckEnd.GONE, actor=actor)
    enrolment.refresh_from_db()
    return enrolment


# --- heartbeats --------------------------------------------------------------------------------


class Flooded(Exception):
    """Too many heartbeats from one key this minute; try again after ``retry_after`` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


def _window(now: dt.datetime) -> tuple[int, int]:
    stamp = int(now.timestamp())
    return stamp // WINDOW_SECONDS, WINDOW_SECONDS - stamp % WINDOW_SECONDS


def heartbeat_admit(digest: str, *, now: dt.datetime) -> tuple[bool, int, bool]:
    """(allowed, seconds left in the window, first refusal of the window) for one key digest.

    A fixed one-minute window counted in Django's cache: with Redis (FINEGRID_REDIS_URL) the
    count is one atomic INCR shared by every server process, so the limit holds however many
    processes the requests are spread over; with the embedded default's local-memory cache each
    process counts alone. A cache that cannot be reached lets the heartbeat through: losing the
    limit for a while is better than losing a device's heartbeat."""
    window, left = _window(now)
    key = f"care:heartbeat:{digest[:32]}:{window}"
    try:
        # add() is SET NX: the first request of a window makes the counter, the rest INCR it
        if cache.add(key, 1, timeout=WINDOW_SECONDS * 2):
            count = 1
        else:
            try:
                count = cache.incr(key)
            except ValueError:  # it expired between the two calls: a new window has begun
                cache.add(key, 1, timeout=WINDOW_SECONDS * 2)
                count = 1
    except Exception:
        logger.warning("care: heartbeat rate limit unavailable", exc_info=True)
        return True, left, False
    allowed = count <= HEARTBEATS_PER_MINUTE
    return allowed, max(1, left), count == HEARTBEATS_PER_MINUTE + 1


def _is_low(battery: int | None) -> bool:
    return battery is not None and battery <= settings.CARE_LOW_BATTERY


def device_heartbeat(
    *, key: str, battery: int | None, ip: str | None = None, now: dt.datetime | None = None
) -> Device:
    """A device says it is alive (and how full its battery is). Raises :class:`Flooded` past
    HEARTBEATS_PER_MINUTE for the key (recorded once per window, not per request), and
    Forbidden naming X-Device-Key for an unknown or revoked key (recorded by device_for_key).

    A heartbeat closes the device's open check unless its battery is still low; then a check
    opened for silence becomes one for the battery."""
    now = now or timezone.now()
    if battery is not None and not 0 <= battery <= 100:
        raise InvalidInput(Problem(_("battery must be between 0 and 100."), field="battery"))
    digest = services_enrolment.key_digest(key or "")
    allowed, retry_after, first_refusal = heartbeat_admit(digest, now=now)
    if not allowed:
        if first_refusal:
            known = Device.objects.filter(key_digest=digest).first() if key else None
            services_enrolment.refusal_record(
                kind=RefusalKind.FLOOD,
                device=known,
                ip=ip,
                detail=f"heartbeat > {HEARTBEATS_PER_MINUTE}/min",
            )
        raise Flooded(retry_after)
    device = services_enrolment.device_for_key(key, ip=ip)
    level = battery if battery is not None else device.battery
    with transaction.atomic():
        values: dict[str, Any] = {"last_heartbeat_at": now, "updated_at": now}
        if battery is not None:
            values["battery"] = battery
        Device.objects.filter(pk=device.pk).update(**values)
        if _is_low(level):
            DeviceCheck.objects.filter(
                device=device, closed_at__isnull=True, reason=CheckReason.SILENT
            ).update(reason=CheckReason.LOW_BATTERY, battery=level, updated_at=now)
        else:
            _close_checks(Q(device=device), now=now, end=CheckEnd.HEARTBEAT)
    device.last_heartbeat_at = now
    device.battery = level
    return device


# --- device checks -----------------------------------------------------------------------------


def _due_devices(now: dt.datetime, limit: int) -> list[Device]:
    """Active keyed devices that are silent past the limit, or last reported a low battery, and
    have no open check. A check the worker closed counts as a look at the device: silence is
    counted again from it, and a low battery reported before it is not reported twice."""
    silence = now - dt.timedelta(hours=settings.CARE_HEARTBEAT_SILENCE_HOURS)
    checks = DeviceCheck.objects.filter(device=OuterRef("pk"))
    silent = (
        Q(last_heartbeat_at__lt=silence) | Q(last_heartbeat_at__isnull=True, created_at__lt=silence)
    ) & ~Exists(checks.filter(closed_at__gte=silence))
    low = Q(battery__lte=settings.CARE_LOW_BATTERY) & ~Exists(
        checks.filter(closed_at__gte=OuterRef("last_heartbeat_at"))
    )
    # Active devices are a few per enrolled person: the scan is small, and runs every minutes.
    return list(
        Device.objects.filter(revoked_at__isnull=True, enrolment__ended_at__isnull=True)
        .exclude(kind=DeviceKind.LOGIN)
        .filter(silent | low)
        .exclude(Exists(checks.filter(closed_at__isnull=True)))
        .select_related("enrolment__person")
        .order_by("pk")[:limit]
    )


def _workers_of(checks: list[DeviceCheck]) -> dict[int, set[int]]:
    """The micro-grid workers to tell, per check: those named for the household, else those of
    the micro-grid (as registry.household_worker), in one query for all the checks."""
    grids = {c.micro_grid_id for c in checks}
    homes = {c.enrolment.household_id for c in checks}
    held = Responsibility.objects.current().filter(
        Q(grid_id__in=grids, duty=Duty.MICRO_WORKER) | Q(household_id__in=homes)
    )
    by_grid: dict[int, set[int]] = {}
    by_home: dict[int, set[int]] = {}
    for grid_id, home_id, person_id in held.values_list("grid_id", "household_id", "person_id"):
        if home_id is not None:
            by_home.setdefault(home_id, set()).add(person_id)
        elif grid_id is not None:
            by_grid.setdefault(grid_id, set()).add(person_id)
    return {
        c.pk: by_home.get(c.enrolment.household_id) or by_grid.get(c.micro_grid_id, set())
        for c in checks
    }


def device_checks_sweep(now: dt.datetime | None = None, limit: int = 500) -> int:
    """Open a check for every device gone quiet or running flat; close those of revoked devices
    and ended enrolments. Run by every server's periodic loop: the partial unique constraint
    lets one process open a device's check and the others' inserts are skipped (ON CONFLICT DO
    NOTHING / INSERT OR IGNORE), in a fixed number of queries however many open. Answers how
    many this run opened."""
    now = now or timezone.now()
    _close_checks(
        Q(device__revoked_at__isnull=False) | Q(enrolment__ended_at__isnull=False),
        now=now,
        end=CheckEnd.GONE,
    )
    due = _due_devices(now, limit)
    if not due:
        return 0
    silence = now - dt.timedelta(hours=settings.CARE_HEARTBEAT_SILENCE_HOURS)
    DeviceCheck.objects.bulk_create(
        [
            DeviceCheck(
                device=device,
                enrolment=device.enrolment,
                micro_grid_id=device.enrolment.micro_grid_id,
                grid_path=device.enrolment.grid_path,
                reason=(
                    CheckReason.SILENT
                    if (device.last_heartbeat_at or device.created_at) < silence
                    else CheckReason.LOW_BATTERY
                ),
                opened_at=now,
                battery=device.battery,
                last_heartbeat_at=device.last_heartbeat_at,
            )
            for device in due
        ],
        ignore_conflicts=True,
    )
    # ours are those opened at this very moment: another process's sweep has its own clock
    opened = list(
        DeviceCheck.objects.filter(
            device__in=[d.pk for d in due], opened_at=now, closed_at__isnull=True
        ).select_related("device", "enrolment__person")
    )
    if opened:
        _tell_workers(opened)
    return len(opened)


def _tell_workers(checks: list[DeviceCheck]) -> None:
    workers = _workers_of(checks)
    url = reverse("care:enrolments") + "#checks"
    rows = []
    for check in checks:
        params = {
            "name": check.enrolment.person.name,
            "device": check.device.label or check.device.key_hint,
        }
        title = (
            _("Check the emergency device of %(name)s (%(device)s): no heartbeat.")
            if check.reason == CheckReason.SILENT
            else _("Check the emergency device of %(name)s (%(device)s): battery low.")
        )
        rows += notification_rows(
            users=sorted(workers.get(check.pk, set())),
            kind=NOTICE_KIND,
            title=title,
            params=params,
            subject=None,
            url=url,
        )
    try:
        notify_rows(rows)
    except Exception:
        # the checks are open and listed whatever happens to the notices
        logger.exception("care: telling the workers of %d device checks failed", len(checks))


def device_check_close(
    *, actor: User, check: DeviceCheck, note: str, now: dt.datetime | None = None
) -> DeviceCheck:
    """The worker has been to the device. The note says what they found (a new battery, the
    button back on its charger)."""
    access_checks(actor, check.grid_path)
    now = now or timezone.now()
    note = _text(note, field="note", limit=200)
    closed = DeviceCheck.objects.filter(pk=check.pk, closed_at__isnull=True).update(
        closed_at=now, closed_by=actor, end=CheckEnd.WORKER, note=note, updated_at=now
    )
    if not closed:
        raise Conflict(_("This device check is already closed."), field="status")
    check.refresh_from_db()
    return check
