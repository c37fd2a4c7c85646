"""One code (一码报到): making, rotating and revoking the codes of places, and reading a payload.

A place has one ``Code`` row whatever happens to it: rotating bumps the version (every printed
payload of the old version stops working), revoking stamps ``revoked_at`` (the code stops
working until it is rotated again, which prints a fresh one).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finegrid.core.errors import InvalidInput, Problem
from finegrid.core.paths import under
from finegrid.grids.models import Building, Grid, Level
from finegrid.workforce import codes as signing
from finegrid.workforce.models import Code, CodeKind, PatrolPoint, Station
from finegrid.workforce.permissions_codes import access_code_manage

# bulk inserts stay under SQLite's bound-parameter limit
CHUNK = 500


class CodeRefused(InvalidInput):
    """A payload that is not (or no longer) a valid code; ``reason`` says which, for tests and
    logs: forged, unknown, old or revoked."""

    code = "code_refused"

    def __init__(self, reason: str, message: Any) -> None:
        super().__init__(Problem(message, field="code"))
        self.reason = reason


FORGED = _("This is not a finegrid check-in code, or it was altered. Scan the printed code again.")
UNKNOWN = _("The place of this code no longer exists.")
OLD = _("This code was replaced by a newer one. Scan the code now posted at the place.")
REVOKED = _("This code was withdrawn and no longer records check-ins.")


def payload_of(code: Code) -> str:
    return signing.sign(kind=code.kind, object_id=code.object_id, version=code.version)


def code_verify(*, payload: str) -> Code:
    """The code a payload names, if it is current; otherwise :class:`CodeRefused` naming
    ``code``, with a reason of its own for each way a payload goes bad."""
    parsed = signing.parse(signing.payload_in(payload))
    if parsed is None:
        raise CodeRefused("forged", FORGED)
    code = (
        Code.objects.select_related("grid")
        # a grid's boundary is a polygon of thousands of points: not for a check-in to decode
        .defer("grid__boundary")
        .filter(kind=parsed.kind, object_id=parsed.object_id)
        .order_by()
        .first()
    )
    if code is None:
        raise CodeRefused("unknown", UNKNOWN)
    if parsed.version != code.version:
        # only our key makes versions, so a newer one than the row's cannot happen unless the
        # row was restored from an old backup: it is as stale as an older one
        raise CodeRefused("old", OLD)
    if code.revoked_at is not None:
        raise CodeRefused("revoked", REVOKED)
    return code


# --- the places a grid holds ------------------------------------------------------------------


def _places(kind: str, grid: Grid) -> QuerySet[Any]:
    """(id, name, micro-grid id, its path, lat, lng) of the places of ``kind`` under ``grid``."""
    if kind == CodeKind.MICRO_GRID:
        return (
            Grid.objects.filter(under("path", grid.path), level=Level.MICRO)
            .order_by("path")
            .values_list("pk", "name", "pk", "path", "center_lat", "center_lng")
        )
    models: dict[str, Any] = {
        CodeKind.BUILDING: Building,
        CodeKind.STATION: Station,
        CodeKind.PATROL_POINT: PatrolPoint,
    }
    model = models[kind]
    field = "grid_id" if model is Station else "micro_grid_id"
    return (
        model.objects.filter(under("grid_path", grid.path))
        .order_by("grid_path", "pk")
        .values_list("pk", "name", field, "grid_path", "lat", "lng")
    )


def codes_ensure(*, grid: Grid, kinds: Iterable[str]) -> int:
    """Make the missing codes of every place of ``kinds`` under ``grid``; answers how many were
    made. A query a kind for its places, one for the codes they have, and the inserts,
    however many places: listing a street's codes the first time makes them all."""
    kinds = list(kinds)
    made = 0
    have = set(
        Code.objects.filter(under("grid_path", grid.path), kind__in=kinds).values_list(
            "kind", "object_id"
        )
    )
    for kind in kinds:
        places = list(_places(kind, grid))
        missing = [
            Code(
                kind=kind,
                object_id=pk,
                name=name[:120],
                grid_id=micro_id,
                grid_path=path,
                lat=lat,
                lng=lng,
            )
            for pk, name, micro_id, path, lat, lng in places
            if (kind, pk) not in have
        ]
        for start in range(0, len(missing), CHUNK):
            # a code made meanwhile by another request is left as it is (one per place)
            Code.objects.bulk_create(missing[start : start + CHUNK], ignore_conflicts=True)
        made += len(missing)
    return made


# --- rotate and revoke ------------------------------------------------------------------------


def code_rotate(*, actor: Any, code: Code, now: dt.datetime | None = None) -> Code:
    """A fresh payload for the place: every code printed before stops working. Rotating a
    revoked code brings it back, with the new payload."""
    access_code_manage(actor, code)
    with transaction.atomic():
        # the lock makes two rotations at once two versions, not one version twice
        locked = Code.objects.select_for_update().get(pk=code.pk)
        locked.version += 1
        locked.revoked_at = None
        locked.updated_at = now or timezone.now()
        locked.save(update_fields=["version", "revoked_at", "updated_at"])
    return locked


def code_revoke(*, actor: Any, code: Code, now: dt.datetime | None = None) -> Code:
    """Withdraw the code: its payload records no more check-ins. Revoking twice keeps the
    first time."""
    access_code_manage(actor, code)
    moment = now or timezone.now()
    with transaction.atomic():
        Code.objects.filter(pk=code.pk, revoked_at__isnull=True).update(
            revoked_at=moment, updated_at=moment
        )
    code.refresh_from_db()
    return code
