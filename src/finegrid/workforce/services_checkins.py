"""Recording a check-in (一码报到): a worker scans the code posted at a place.

Doubtful check-ins are kept and flagged for the grid head, never refused: a worker at the door
with bad GPS is still at the door, and the head who knows the place judges. Refused are only
what cannot be a check-in at all: a code that is not ours or no longer current, a worker who
does not serve the place or is not active, a position that is missing or impossible.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from finegrid.accounts.models import Role, RoleAssignment
from finegrid.core.errors import Forbidden, InvalidInput, Problem
from finegrid.grids.models import Duty, Responsibility
from finegrid.grids.selectors import path_codes
from finegrid.notifications.services import notify
from finegrid.workforce import hooks
from finegrid.workforce.models import Checkin, Code, Worker, WorkerGrid, WorkerStatus
from finegrid.workforce.selectors_checkins import FAR, TWICE, flag_text
from finegrid.workforce.services_codes import CodeRefused, code_verify

MAX_KEY = 80
METRES_PER_DEGREE = 111_320.0


class CheckinIdempotencyMismatch(InvalidInput):
    code = "idempotency_key_reused"


@dataclass(frozen=True)
class CheckinResult:
    checkin: Checkin
    created: bool


def metres_between(lat: float, lng: float, lat2: float, lng2: float) -> float:
    """Equirectangular distance: within a street, centimetres from the great circle."""
    dy = (lat2 - lat) * METRES_PER_DEGREE
    dx = (lng2 - lng) * METRES_PER_DEGREE * math.cos(math.radians((lat + lat2) / 2))
    return math.hypot(dx, dy)


def _position(lat: Any, lng: Any) -> tuple[float, float]:
    problems = []
    out = []
    for name, value, limit in (("lat", lat, 90.0), ("lng", lng, 180.0)):
        number = _number(value)
        if number is None:
            problems.append(
                Problem(
                    _("The position is missing: allow the phone to share its location."), field=name
                )
            )
        elif not -limit <= number <= limit:
            problems.append(
                Problem(
                    _("%(field)s is out of range (−%(limit)s to %(limit)s)."),
                    field=name,
                    params={"field": name, "limit": int(limit)},
                )
            )
        out.append(number if number is not None else 0.0)
    if problems:
        raise InvalidInput(problems)
    return out[0], out[1]


def _number(value: Any) -> float | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _worker_for(actor: Any, code: Code) -> int:
    """The id of the actor's worker profile, if it may check in at ``code``'s place. One query
    on the way that every check-in takes (active, serving); the refusals find out why."""
    pk = getattr(actor, "pk", None) or 0
    rows = list(
        WorkerGrid.objects.filter(
            worker__user_id=pk, worker__status=WorkerStatus.ACTIVE, ended_at__isnull=True
        )
        .order_by()
        .values_list("worker_id", "grid_path")
    )
    for worker_id, path in rows:
        if code.grid_path.startswith(path):
            return int(worker_id)
    worker = Worker.objects.filter(user_id=pk).first()
    if worker is None:
        raise Forbidden(_("Only registered workers check in."), field="code")
    if worker.status != WorkerStatus.ACTIVE:
        raise Forbidden(
            _("Your worker profile is %(status)s: only active workers check in."),
            field="code",
            params={"status": worker.get_status_display()},
        )
    raise Forbidden(_("You do not serve the place of this code."), field="code")


def _flags(
    code: Code, lat: float, lng: float, distance: float | None, now: dt.datetime
) -> list[str]:
    far_m = float(settings.CHECKIN_FAR_M)
    flags = []
    if distance is not None and distance > far_m:
        flags.append(FAR)
    # the same code scanned again within minutes from far away: a photographed code passed on
    since = now - dt.timedelta(minutes=int(settings.CHECKIN_TWICE_MINUTES))
    recent = (
        Checkin.objects.filter(code=code, at__gte=since, at__lte=now)
        .order_by()
        .values_list("lat", "lng")
    )
    if any(metres_between(lat, lng, a, b) > far_m for a, b in recent[:20]):
        flags.append(TWICE)
    return flags


def grid_heads_of(path: str) -> list[int]:
    """The grid heads over a place: by the duty list, and by role."""
    codes = path_codes(path)
    ancestors = ["/" + "/".join(codes[: i + 1]) + "/" for i in range(len(codes))]
    duty = Responsibility.objects.current().filter(duty=Duty.GRID_HEAD, grid__path__in=ancestors)
    roles = RoleAssignment.objects.filter(role=Role.GRID_HEAD, grid_path__in=ancestors)
    return sorted(
        set(duty.values_list("person_id", flat=True)) | set(roles.values_list("user_id", flat=True))
    )


def _replayed(
    actor: Any, key: str, code_id: int | None, lat: float | None, lng: float | None
) -> Checkin | None:
    """The check-in an earlier request with this key made; another body is refused."""
    if not key:
        return None
    earlier = (
        Checkin.objects.select_related("code")
        .filter(created_by=actor, idempotency_key=key)
        .exclude(idempotency_key="")
        .first()
    )
    if earlier is None:
        return None
    if (code_id, lat, lng) != (earlier.code_id, earlier.lat, earlier.lng) and code_id is not None:
        raise CheckinIdempotencyMismatch(
            Problem(
                _("This Idempotency-Key was used with a different request."),
                field="Idempotency-Key",
            )
        )
    return earlier


def checkin_create(
    *,
    actor: Any,
    payload: str,
    lat: Any,
    lng: Any,
    idempotency_key: str = "",
    now: dt.datetime | None = None,
) -> CheckinResult:
    """Record a check-in at the place of ``payload``. A replay of ``idempotency_key`` answers
    the first check-in (``created`` False); the same key with another code or position is
    refused. Flagged check-ins notify the grid heads over the place, in the same transaction."""
    now = now or timezone.now()
    key = (idempotency_key or "").strip()
    if len(key) > MAX_KEY:
        raise InvalidInput(
            Problem(_("The Idempotency-Key is longer than 80 characters."), field="Idempotency-Key")
        )
    try:
        code = code_verify(payload=payload)
        position = _position(lat, lng)
        worker_id = _worker_for(actor, code)
    except (CodeRefused, InvalidInput, Forbidden):
        # a retry of a check-in made before the code was rotated still answers that check-in
        earlier = _replayed(actor, key, None, None, None)
        if earlier is None:
            raise
        return CheckinResult(earlier, False)
    distance = (
        metres_between(code.lat, code.lng, *position)
        if code.lat is not None and code.lng is not None
        else None
    )
    flags = _flags(code, position[0], position[1], distance, now)
    checkin = Checkin(
        worker_id=worker_id,
        code=code,
        code_version=code.version,
        grid_id=code.grid_id,
        grid_path=code.grid_path,
        at=now,
        lat=position[0],
        lng=position[1],
        distance_m=round(distance, 1) if distance is not None else None,
        flagged=bool(flags),
        flag_reason=" ".join(flags),
        idempotency_key=key,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            checkin.save()
            if flags:
                _notify_heads(checkin, code, actor)
            hooks.checkin_recorded(checkin)
    except IntegrityError:
        # the key was used before, or raced in from a parallel retry (unique per user and key)
        earlier = _replayed(actor, key, code.pk, position[0], position[1])
        if earlier is None:
            raise
        return CheckinResult(earlier, False)
    checkin.code = code
    return CheckinResult(checkin, True)


def _notify_heads(checkin: Checkin, code: Code, actor: Any) -> None:
    notify(
        users=grid_heads_of(code.grid_path),
        kind="workforce.checkin_flagged",
        title=_("Check-in to review: %(worker)s at %(place)s (%(why)s)"),
        params={
            "worker": str(actor),
            "place": code.name,
            "why": flag_text(checkin.flag_reason),
        },
        url=reverse("workforce:checkins") + "?" + urlencode({"grid": code.grid.code}),
    )
