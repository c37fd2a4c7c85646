"""On duty now: the one place that knows whom to call for a micro-grid at a moment.

The answer is an ordered list, first to call first:

1. the micro-grid's workers (微网格员) — neighbours who answer at any hour;
2. the grid head (网格长) in working hours on working days (``GRID_HEAD_HOURS``), or whoever holds
   a staggered or extended shift (错时延时, ``ShiftKind.EXTENDED``) on the grid or the micro-grid
   outside them — the grid head too, if the shift is theirs;
3. the duty holder of each service station serving the micro-grid (``STATION_DUTY`` shifts at a
   station whose grid is the micro-grid or one of its ancestors), nearest station first;
4. the community duty officer (``COMMUNITY_DUTY`` shifts on the community).

A person on leave at that moment is left out, and their substitute (``Leave.substitute``) takes
their place; a worker who is not active (suspended, exited …) is left out; a login with no worker
profile counts as active. Non-working days come from the cases calendar (holidays, 调休). The list
is never empty: with nobody on duty it ends in the duty phone of the nearest grid that has one.
Everything left out is reported too, with the reason, so a trace can show why.

It reads a fixed number of queries whatever the number of workers and shifts (six), and caches
nothing: the holiday row of the day is read with the rest, so a holiday entered a second ago
counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from finegrid.cases.clock import is_workday
from finegrid.core.errors import InvalidInput, Problem, bilingual
from finegrid.core.pii import mask_phone
from finegrid.grids.models import Duty, Grid, Kind, Level, Responsibility
from finegrid.grids.selectors import path_codes
from finegrid.workforce.models import Leave, Shift, ShiftKind, Worker, WorkerStatus

# the longest shift the shared rules allow: a shift covering a moment started at most this long
# before it, which bounds the index range read
LONGEST_SHIFT = dt.timedelta(hours=24)


class Reason:
    """The machine codes of the reasons an entry is on the list, or left off it."""

    MICRO_WORKER = "micro_worker"
    GRID_HEAD_HOURS = "grid_head_hours"
    EXTENDED = "extended_shift"
    STATION_DUTY = "station_duty"
    COMMUNITY_DUTY = "community_duty"
    SUBSTITUTE = "substitute"
    DUTY_PHONE = "duty_phone"
    # left off
    ON_LEAVE = "on_leave"
    NOT_ACTIVE = "not_active"
    OFF_HOURS = "off_hours"
    REST_DAY = "rest_day"


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    phone_masked: str
    worker_id: int | None
    status: str  # the worker's status; "active" for a login with no worker profile

    @property
    def active(self) -> bool:
        return self.status == WorkerStatus.ACTIVE


@dataclass(frozen=True)
class Entry:
    """Someone (or, last of all, a duty phone) to call, and why."""

    role: str  # Reason code of the slot: micro_worker, grid_head_hours, station_duty …
    reason: str  # machine code of why this entry is here (substitute, duty_phone …)
    message: str  # zh-hans
    message_en: str
    person: Person | None = None
    phone_masked: str = ""
    # only for a duty phone: an office line, printed on the grid's public board
    phone: str = ""
    grid_code: str = ""
    shift_id: int | None = None
    station_id: int | None = None
    until: dt.datetime | None = None

    def as_dict(self) -> dict[str, Any]:
        p = self.person
        return {
            "role": self.role,
            "reason": self.reason,
            "message": self.message,
            "message_en": self.message_en,
            "person": None
            if p is None
            else {"id": p.id, "name": p.name, "worker_id": p.worker_id, "status": p.status},
            "phone_masked": self.phone_masked,
            "phone": self.phone,
            "grid": self.grid_code,
            "shift_id": self.shift_id,
            "station_id": self.station_id,
            "until": timezone.localtime(self.until) if self.until else None,
        }


@dataclass
class OnDuty:
    grid: Grid
    at: dt.datetime
    workday: bool
    entries: list[Entry] = field(default_factory=list)
    skipped: list[Entry] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "grid": self.grid.code,
            "grid_name": self.grid.name,
            "at": timezone.localtime(self.at),
            "workday": self.workday,
            "entries": [e.as_dict() for e in self.entries],
            "skipped": [e.as_dict() for e in self.skipped],
        }


def _hhmm(raw: str) -> dt.time:
    hours, minutes = raw.strip().split(":")
    return dt.time(int(hours), int(minutes))


def grid_head_hours() -> tuple[dt.time, dt.time]:
    """Working hours of grid heads on working days (settings ``GRID_HEAD_HOURS``, "09:00-17:30")."""
    start, end = str(getattr(settings, "GRID_HEAD_HOURS", "09:00-17:30")).split("-")
    return _hhmm(start), _hhmm(end)


def _clock(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%H:%M}"


def _span(shift: Shift) -> str:
    start, end = timezone.localtime(shift.starts_at), timezone.localtime(shift.ends_at)
    if start.date() == end.date():
        return f"{start:%H:%M}–{end:%H:%M}"
    return f"{start:%m-%d %H:%M}–{end:%m-%d %H:%M}"


def is_leaf(grid: Grid) -> bool:
    """A micro-grid, or a dedicated grid directly under a community (its own leaf)."""
    if grid.level == Level.MICRO:
        return True
    return grid.kind == Kind.DEDICATED and grid.level == Level.GRID


def leaf_by_code(code: str) -> Grid:
    """The micro-grid (or dedicated leaf) of that code, or a refusal naming ``grid``."""
    grid = Grid.objects.filter(code=code).only(*_GRID_FIELDS).first()
    if grid is None:
        raise InvalidInput([Problem(_("No grid has this code."), field="grid")])
    if not is_leaf(grid):
        raise InvalidInput(
            [
                Problem(
                    _("On duty now answers for a micro-grid or a dedicated grid, not this grid."),
                    field="grid",
                )
            ]
        )
    return grid


_GRID_FIELDS = ("id", "code", "name", "level", "kind", "path", "depth", "phone", "parent_id")


def _person(user: Any) -> Person:
    worker: Worker | None
    try:
        worker = user.worker
    except Worker.DoesNotExist:
        worker = None
    if worker is not None:
        masked = worker.phone_masked or (mask_phone(user.phone) if user.phone else "")
        return Person(user.pk, str(user), masked, worker.pk, worker.status)
    masked = mask_phone(user.phone) if user.phone else ""
    return Person(user.pk, str(user), masked, None, WorkerStatus.ACTIVE)


def _text(message: Promise | str, params: dict[str, Any]) -> tuple[str, str]:
    out = bilingual(message, params)
    return out["message"], out["message_en"]


@dataclass
class _Read:
    """What "on duty now" reads (the six queries), for one leaf grid at one moment."""

    grid: Grid
    at: dt.datetime
    local: dt.datetime
    workday: bool
    chain: dict[int, Grid]  # the grid and its ancestors by id
    by_depth: list[Grid]  # nearest first
    head_grid: Grid | None
    held: list[Responsibility]
    shifts: list[Shift]
    leaves: dict[int, Leave]


def _read(grid: Grid, at: dt.datetime) -> _Read:
    local = timezone.localtime(at)
    day = local.date()

    # 1 — the grid and its ancestors (street, community, grid …), nearest last
    ancestors = sorted(
        Grid.objects.filter(code__in=path_codes(grid.path)).only(*_GRID_FIELDS),
        key=lambda g: g.depth,
    )
    chain = {g.pk: g for g in ancestors}
    head_grid = grid if grid.level != Level.MICRO else chain.get(grid.parent_id or 0)

    # 2 — is it a working day (the cases calendar; read now, never cached)
    from finegrid.cases.models import Holiday

    row = Holiday.objects.filter(date=day).values_list("is_workday", flat=True).first()
    workday = is_workday(day, {} if row is None else {day: row})

    # 3 — the micro-grid workers and the grid head held at that moment
    wanted = Q(grid_id=grid.pk, duty=Duty.MICRO_WORKER)
    if head_grid is not None:
        wanted |= Q(grid_id=head_grid.pk, duty=Duty.GRID_HEAD)
    held = list(
        Responsibility.objects.held_at(at)
        .filter(wanted)
        .select_related("person", "person__worker")
        .order_by("sort", "started_at", "id")
    )

    # 4 — the shifts covering that moment on the leaf or any ancestor
    shifts = list(
        Shift.objects.filter(
            grid_id__in=list(chain),
            kind__in=(ShiftKind.STATION_DUTY, ShiftKind.COMMUNITY_DUTY, ShiftKind.EXTENDED),
            starts_at__lte=at,
            starts_at__gt=at - LONGEST_SHIFT,
            ends_at__gt=at,
        )
        .select_related("person", "person__worker", "station")
        .order_by("starts_at", "id")
    )

    # 5 — leave at that moment of everyone above, and of their substitutes
    people = {r.person_id for r in held} | {s.person_id for s in shifts}
    covering = Q(starts_at__lte=at, ends_at__gt=at, cancelled_at__isnull=True)
    leaves: dict[int, Leave] = {}
    if people:
        substitutes = Leave.objects.filter(covering, person_id__in=people).values("substitute_id")
        for leave in (
            Leave.objects.filter(covering)
            .filter(Q(person_id__in=people) | Q(person_id__in=substitutes))
            .select_related("substitute", "substitute__worker")
            .order_by("starts_at", "id")
        ):
            leaves.setdefault(leave.person_id, leave)
    by_depth = sorted(ancestors, key=lambda g: g.depth, reverse=True)
    return _Read(grid, at, local, workday, chain, by_depth, head_grid, held, shifts, leaves)


class _List:
    """The answer being built: each person once, first come first listed; someone on leave is
    listed as skipped and their substitute (if free) takes their place."""

    def __init__(self, read: _Read) -> None:
        self.read = read
        self.result = OnDuty(grid=read.grid, at=read.at, workday=read.workday)
        self.seen: set[int] = set()

    def skip(
        self,
        role: str,
        code: str,
        message: Promise | str,
        params: dict[str, Any],
        person: Person,
        **extra: Any,
    ) -> None:
        zh, en = _text(message, params)
        self.result.skipped.append(Entry(role, code, zh, en, person, person.phone_masked, **extra))

    def add(
        self, user: Any, role: str, message: Promise | str, params: dict[str, Any], **extra: Any
    ) -> None:
        person = _person(user)
        if person.id in self.seen:
            return
        if not person.active:
            self.skip(
                role,
                Reason.NOT_ACTIVE,
                _("%(name)s is not active (%(status)s): not called."),
                {"name": person.name, "status": person.status},
                person,
                **extra,
            )
            return
        zh, en = _text(message, params)
        leave = self.read.leaves.get(person.id)
        if leave is None:
            self.seen.add(person.id)
            self.result.entries.append(
                Entry(role, role, zh, en, person, person.phone_masked, **extra)
            )
            return
        self.skip(
            role,
            Reason.ON_LEAVE,
            _("%(name)s is on leave until %(until)s."),
            {"name": person.name, "until": f"{timezone.localtime(leave.ends_at):%m-%d %H:%M}"},
            person,
            **extra,
        )
        self.seen.add(person.id)
        self._stand_in(leave, person, role, zh, en, extra)

    def _stand_in(
        self, leave: Leave, person: Person, role: str, zh: str, en: str, extra: dict[str, Any]
    ) -> None:
        if leave.substitute is None:
            return
        stand_in = _person(leave.substitute)
        if stand_in.id in self.seen or not stand_in.active or stand_in.id in self.read.leaves:
            return
        self.seen.add(stand_in.id)
        standing = _("Standing in for %(name)s, on leave: %(duty)s")
        sub_zh = bilingual(standing, {"name": person.name, "duty": zh})["message"]
        sub_en = bilingual(standing, {"name": person.name, "duty": en})["message_en"]
        self.result.entries.append(
            Entry(
                role,
                Reason.SUBSTITUTE,
                sub_zh,
                sub_en,
                stand_in,
                stand_in.phone_masked,
                **{**extra, "until": leave.ends_at},
            )
        )


def _micro_workers(out: _List) -> None:
    """The micro-grid workers: at any hour."""
    grid = out.read.grid
    for r in out.read.held:
        if r.duty == Duty.MICRO_WORKER:
            out.add(
                r.person,
                Reason.MICRO_WORKER,
                _("Micro-grid worker of %(grid)s"),
                {"grid": grid.name},
                grid_code=grid.code,
            )


def _grid_heads(out: _List) -> None:
    """The grid head in working hours; staggered and extended shifts outside them."""
    read = out.read
    head_grid, local = read.head_grid, read.local
    start, end = grid_head_hours()
    in_hours = read.workday and start <= local.time() < end
    extended = [s for s in read.shifts if s.kind == ShiftKind.EXTENDED]
    for r in read.held:
        if r.duty != Duty.GRID_HEAD or head_grid is None:
            continue
        hours = {"grid": head_grid.name, "start": f"{start:%H:%M}", "end": f"{end:%H:%M}"}
        if in_hours:
            out.add(
                r.person,
                Reason.GRID_HEAD_HOURS,
                _("Grid head of %(grid)s, working hours %(start)s–%(end)s"),
                hours,
                grid_code=head_grid.code,
                until=local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0),
            )
        elif not any(s.person_id == r.person_id for s in extended):
            if read.workday:
                msg = _("Grid head of %(grid)s: outside working hours %(start)s–%(end)s.")
                code = Reason.OFF_HOURS
            else:
                msg = _("Grid head of %(grid)s: not a working day.")
                code = Reason.REST_DAY
            out.skip(
                Reason.GRID_HEAD_HOURS,
                code,
                msg,
                hours,
                _person(r.person),
                grid_code=head_grid.code,
            )
    for s in extended:
        target = read.chain.get(s.grid_id) or read.grid
        out.add(
            s.person,
            Reason.EXTENDED,
            _("Staggered or extended hours %(span)s at %(grid)s"),
            {"span": _span(s), "grid": target.name},
            grid_code=target.code,
            shift_id=s.pk,
            until=s.ends_at,
        )


def _stations_and_community(out: _List) -> None:
    """The stations serving the grid, nearest first; then the community duty officer."""
    chain = out.read.chain
    depth = {pk: g.depth for pk, g in chain.items()}
    station_shifts = sorted(
        (s for s in out.read.shifts if s.kind == ShiftKind.STATION_DUTY),
        key=lambda s: (-depth.get(s.grid_id, 0), s.starts_at, s.pk),
    )
    for s in station_shifts:
        station = s.station.name if s.station is not None else chain[s.grid_id].name
        out.add(
            s.person,
            Reason.STATION_DUTY,
            _("Station duty %(span)s at %(station)s"),
            {"span": _span(s), "station": station},
            grid_code=chain[s.grid_id].code,
            shift_id=s.pk,
            station_id=s.station_id,
            until=s.ends_at,
        )
    for s in out.read.shifts:
        if s.kind != ShiftKind.COMMUNITY_DUTY:
            continue
        owner = chain[s.grid_id]
        out.add(
            s.person,
            Reason.COMMUNITY_DUTY,
            _("Community duty officer of %(grid)s, %(span)s"),
            {"grid": owner.name, "span": _span(s)},
            grid_code=owner.code,
            shift_id=s.pk,
            until=s.ends_at,
        )


def _duty_phone(out: _List) -> None:
    """With nobody on duty, the duty phone of the nearest grid that has one."""
    if out.result.entries:
        return
    office = next((g for g in out.read.by_depth if g.phone), None)
    if office is None:
        zh, en = _text(_("Nobody is on duty and no grid above has a duty phone."), {})
        out.result.entries.append(Entry(Reason.DUTY_PHONE, Reason.DUTY_PHONE, zh, en))
        return
    zh, en = _text(_("Nobody is on duty: the duty phone of %(grid)s"), {"grid": office.name})
    out.result.entries.append(
        Entry(
            Reason.DUTY_PHONE,
            Reason.DUTY_PHONE,
            zh,
            en,
            phone_masked=mask_phone(office.phone),
            phone=office.phone,
            grid_code=office.code,
        )
    )


def on_duty(*, grid: Grid, at: dt.datetime | None = None) -> OnDuty:
    """Whom to call for leaf ``grid`` at ``at`` (aware; now when None). Six queries."""
    at = timezone.now() if at is None else at
    if at.tzinfo is None:
        raise InvalidInput([Problem(_("The time needs a time zone."), field="at")])
    out = _List(_read(grid, at))
    _micro_workers(out)
    _grid_heads(out)
    _stations_and_community(out)
    _duty_phone(out)
    return out.result


def on_duty_for_code(*, code: str, at: dt.datetime | None = None) -> OnDuty:
    return on_duty(grid=leaf_by_code(code), at=at)


def parse_at(raw: str | None) -> dt.datetime | None:
    """An ISO 8601 moment with its offset, or a refusal naming ``at``; None when not given."""
    if raw is None or raw == "":
        return None
    try:
        moment = dt.datetime.fromisoformat(raw.strip())
    except ValueError:
        raise InvalidInput(
            [Problem(_("Give the time as ISO 8601, e.g. 2026-12-02T20:30+08:00."), field="at")]
        ) from None
    if moment.tzinfo is None:
        raise InvalidInput([Problem(_("The time needs a time zone, e.g. +08:00."), field="at")])
    return moment
