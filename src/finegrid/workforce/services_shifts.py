"""Shifts: create, change and remove one, with the rules every roster shares.

A person cannot be on two shifts at once, and a shift ends after it starts. Rosters (a station's
rotation, the community duty officer's) generate through ``shifts_create_many`` so a month is
checked and written in one transaction: one bad shift and nothing is written. Extra rules (a
station's opening hours) are added by the part that owns them through ``SHIFT_RULES``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from finegrid.core.errors import InvalidInput, Problem
from finegrid.workforce.models import Shift


@dataclass(frozen=True)
class ShiftSpec:
    person_id: int
    kind: str
    grid_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    station_id: int | None = None
    service: str = ""
    note: str = ""


# Each rule returns a Problem for a spec it refuses, or None. ``row`` is the spec's index in a
# batch (None for a single shift), so that the message can name it.
ShiftRule = Callable[[ShiftSpec, "int | None"], "Problem | None"]
SHIFT_RULES: list[ShiftRule] = []


def _problem(message: Any, field: str, row: int | None, **params: Any) -> Problem:
    return Problem(message, field=field, row=row, params=params or None)


def _check_times(spec: ShiftSpec, row: int | None) -> Problem | None:
    if spec.starts_at.tzinfo is None or spec.ends_at.tzinfo is None:
        return _problem(_("Shift times need a time zone."), "starts_at", row)
    if spec.ends_at <= spec.starts_at:
        return _problem(_("A shift must end after it starts."), "ends_at", row)
    if spec.ends_at - spec.starts_at > dt.timedelta(hours=24):
        return _problem(_("A shift may last at most 24 hours."), "ends_at", row)
    return None


def _overlapping(spec: ShiftSpec, exclude: int | None) -> Shift | None:
    qs = Shift.objects.filter(
        person_id=spec.person_id, starts_at__lt=spec.ends_at, ends_at__gt=spec.starts_at
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return qs.first()


def _check(specs: list[ShiftSpec], *, exclude: int | None = None) -> None:
    problems: list[Problem] = []
    single = len(specs) == 1
    for i, spec in enumerate(specs):
        row = None if single else i + 1
        found = _check_times(spec, row)
        for rule in SHIFT_RULES:
            found = found or rule(spec, row)
        if found:
            problems.append(found)
    if problems:
        raise InvalidInput(problems)
    # within the batch: sorted by person and start, each must end before the next starts
    order = sorted(range(len(specs)), key=lambda i: (specs[i].person_id, specs[i].starts_at))
    for a, b in zip(order, order[1:], strict=False):
        first, second = specs[a], specs[b]
        if first.person_id == second.person_id and second.starts_at < first.ends_at:
            problems.append(
                _problem(
                    _("This shift overlaps another of the same person (row %(other)s)."),
                    "starts_at",
                    None if single else b + 1,
                    other=a + 1,
                )
            )
    # against what is stored: one query per person, over the batch's span
    by_person: dict[int, list[int]] = {}
    for i, spec in enumerate(specs):
        by_person.setdefault(spec.person_id, []).append(i)
    for person_id, rows in by_person.items():
        lo = min(specs[i].starts_at for i in rows)
        hi = max(specs[i].ends_at for i in rows)
        stored = list(
            Shift.objects.filter(person_id=person_id, starts_at__lt=hi, ends_at__gt=lo)
            .filter(~Q(pk=exclude) if exclude is not None else Q())
            .values_list("starts_at", "ends_at")
        )
        for i in rows:
            spec = specs[i]
            if any(s < spec.ends_at and e > spec.starts_at for s, e in stored):
                problems.append(
                    _problem(
                        _("This person is already on another shift at that time."),
                        "starts_at",
                        None if single else i + 1,
                    )
                )
    if problems:
        raise InvalidInput(problems)


def _build(spec: ShiftSpec) -> Shift:
    return Shift(
        person_id=spec.person_id,
        kind=spec.kind,
        grid_id=spec.grid_id,
        station_id=spec.station_id,
        starts_at=spec.starts_at,
        ends_at=spec.ends_at,
        service=spec.service,
        note=spec.note,
    )


def shifts_create_many(*, specs: Iterable[ShiftSpec]) -> list[Shift]:
    """Check every spec, then write them all in one transaction, or none."""
    from finegrid.grids.models import Grid

    items = list(specs)
    if not items:
        return []
    with transaction.atomic():
        _check(items)
        paths = dict(
            Grid.objects.filter(pk__in={s.grid_id for s in items}).values_list("pk", "path")
        )
        rows = [_build(s) for s in items]
        for row in rows:
            row.grid_path = paths[row.grid_id]
        return Shift.objects.bulk_create(rows, batch_size=1000)


def shift_create(*, spec: ShiftSpec) -> Shift:
    return shifts_create_many(specs=[spec])[0]


def shift_update(*, shift: Shift, spec: ShiftSpec) -> Shift:
    """Move a shift to another person or time; the same rules as a new one, itself excluded."""
    with transaction.atomic():
        _check([spec], exclude=shift.pk)
        for name in ("person_id", "kind", "grid_id", "station_id", "starts_at", "ends_at"):
            setattr(shift, name, getattr(spec, name))
        shift.service, shift.note = spec.service, spec.note
        shift.save()
    return shift


def shift_delete(*, shift: Shift) -> None:
    shift.delete()


def person_on_shift(*, person_id: int, at: dt.datetime) -> Shift | None:
    return _overlapping(
        ShiftSpec(person_id, "", 0, at, at + dt.timedelta(microseconds=1)), exclude=None
    )
