"""The community duty officer's roster (社区值班), with staggered and extended hours (错时延时).

A month is generated in one go: outside the grid heads' working hours somebody of the community
is always on call — on a working day from the end of working hours to the next morning, on a rest
day (weekend, holiday of the cases calendar) from the morning round the clock — rotating among the
community's officials (``Role.COMMUNITY_OFFICIAL`` on the community). Each grid head of the
community also gets staggered and extended hours (``ShiftKind.EXTENDED``) on their grid: one
working-day evening a week, and rest-day mornings in turn. Somebody already on a shift or on
leave is passed over for the next in turn. Everything goes through the shared shift rules
(``services_shifts``): one bad shift and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from finegrid.accounts.models import Role, RoleAssignment, User
from finegrid.cases.clock import is_workday
from finegrid.cases.models import Holiday
from finegrid.core.errors import InvalidInput, NotFound, Problem
from finegrid.grids.models import Duty, Grid, Level, Responsibility
from finegrid.workforce.models import Leave, Shift, ShiftKind
from finegrid.workforce.onduty import grid_head_hours
from finegrid.workforce.permissions_onduty import access_roster_edit, access_roster_view
from finegrid.workforce.services_shifts import ShiftSpec, shift_update, shifts_create_many

LOCAL = ZoneInfo("Asia/Shanghai")
# the evening of 错时延时 for a grid head, after working hours
EXTENDED_EVENING = dt.timedelta(hours=2, minutes=30)
# a rest-day morning of 错时延时
REST_MORNING = dt.timedelta(hours=3)
ROSTER_KINDS = (ShiftKind.COMMUNITY_DUTY, ShiftKind.EXTENDED)


@dataclass
class Roster:
    community: Grid
    month: dt.date
    shifts: list[Shift] = field(default_factory=list)
    gaps: list[dt.date] = field(default_factory=list)  # days nobody was free to take


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return (
        dt.datetime.combine(first, dt.time(0), tzinfo=LOCAL),
        dt.datetime.combine(following, dt.time(0), tzinfo=LOCAL),
    )


def community_by_code(*, actor: Any, code: str) -> Grid:
    grid = Grid.objects.filter(code=code, level=Level.COMMUNITY).first()
    if grid is None:
        raise NotFound(_("No community has this code."))
    access_roster_view(actor, grid.path)
    return grid


def officials_of(community: Grid) -> list[User]:
    ids = RoleAssignment.objects.filter(
        role=Role.COMMUNITY_OFFICIAL, grid=community, user__is_active=True
    ).values("user_id")
    return list(User.objects.filter(pk__in=ids).order_by("pk"))


def _grid_heads(community: Grid, at: dt.datetime) -> list[tuple[Grid, int]]:
    rows = (
        Responsibility.objects.held_at(at)
        .filter(duty=Duty.GRID_HEAD, grid__parent=community)
        .select_related("grid")
        .order_by("grid__path")
    )
    return [(r.grid, r.person_id) for r in rows if r.grid is not None]


class _Busy:
    """Who is on a shift or on leave when: what is stored, and what this batch adds."""

    def __init__(self, people: set[int], start: dt.datetime, end: dt.datetime) -> None:
        self.spans: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
        stored = Shift.objects.filter(
            person_id__in=people, starts_at__lt=end, ends_at__gt=start
        ).values_list("person_id", "starts_at", "ends_at")
        away = Leave.objects.filter(
            person_id__in=people, starts_at__lt=end, ends_at__gt=start, cancelled_at__isnull=True
        ).values_list("person_id", "starts_at", "ends_at")
        for pid, s, e in [*stored, *away]:
            self.spans.setdefault(pid, []).append((s, e))

    def free(self, pid: int, s: dt.datetime, e: dt.datetime) -> bool:
        return not any(a < e and b > s for a, b in self.spans.get(pid, []))

    def take(self, pid: int, s: dt.datetime, e: dt.datetime) -> None:
        self.spans.setdefault(pid, []).append((s, e))


def community_roster_generate(
    *, actor: Any, community: Grid, month: dt.date, replace: bool = False
) -> Roster:
    """Write a month of community duty and extended shifts for ``community``."""
    access_roster_edit(actor, community.path)
    if community.level != Level.COMMUNITY:
        raise InvalidInput([Problem(_("A duty roster is made for a community."), field="grid")])
    officials = officials_of(community)
    if not officials:
        raise InvalidInput(
            [Problem(_("This community has no officials to take the duty in turn."), field="grid")]
        )
    start, end = month_bounds(month)
    work_start, work_end = grid_head_hours()
    days = [(start + dt.timedelta(days=i)).date() for i in range((end - start).days)]
    holidays = dict(
        Holiday.objects.filter(date__gte=days[0], date__lte=days[-1]).values_list(
            "date", "is_workday"
        )
    )
    heads = _grid_heads(community, start)
    with transaction.atomic():
        existing = Shift.objects.filter(
            Q(grid=community) | Q(grid__parent=community),
            kind__in=ROSTER_KINDS,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        if existing.exists():
            if not replace:
                raise InvalidInput(
                    [
                        Problem(
                            _("This month has a roster already: edit its shifts, or replace it."),
                            field="month",
                        )
                    ]
                )
            existing.delete()
        people = {u.pk for u in officials} | {pid for _g, pid in heads}
        busy = _Busy(people, start - dt.timedelta(days=1), end + dt.timedelta(days=1))
        specs: list[ShiftSpec] = []
        roster = Roster(community=community, month=start.date())
        turn = 0
        rest_turn = 0

        def at(day: dt.date, t: dt.time) -> dt.datetime:
            return dt.datetime.combine(day, t, tzinfo=LOCAL)

        for day in days:
            working = is_workday(day, holidays)
            nxt = day + dt.timedelta(days=1)
            s = at(day, work_end) if working else at(day, work_start)
            e = at(nxt, work_start)
            note = "evening" if working else "rest_day"
            for k in range(len(officials)):
                who = officials[(turn + k) % len(officials)]
                if busy.free(who.pk, s, e):
                    specs.append(
                        ShiftSpec(who.pk, ShiftKind.COMMUNITY_DUTY, community.pk, s, e, note=note)
                    )
                    busy.take(who.pk, s, e)
                    turn = (turn + k + 1) % len(officials)
                    break
            else:
                roster.gaps.append(day)
            # 错时延时 of the grid heads: one evening a week each, rest-day mornings in turn
            if working:
                for i, (grid, pid) in enumerate(heads):
                    if day.weekday() != i % 5:
                        continue
                    es, ee = at(day, work_end), at(day, work_end) + EXTENDED_EVENING
                    if busy.free(pid, es, ee):
                        specs.append(
                            ShiftSpec(pid, ShiftKind.EXTENDED, grid.pk, es, ee, note="evening")
                        )
                        busy.take(pid, es, ee)
            elif heads:
                grid, pid = heads[rest_turn % len(heads)]
                rest_turn += 1
                ms, me = at(day, work_start), at(day, work_start) + REST_MORNING
                if busy.free(pid, ms, me):
                    specs.append(
                        ShiftSpec(pid, ShiftKind.EXTENDED, grid.pk, ms, me, note="rest_morning")
                    )
                    busy.take(pid, ms, me)
        roster.shifts = shifts_create_many(specs=specs)
    return roster


def roster_shifts(*, community: Grid, month: dt.date) -> list[Shift]:
    start, end = month_bounds(month)
    return list(
        Shift.objects.filter(
            Q(grid=community) | Q(grid__parent=community),
            kind__in=ROSTER_KINDS,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .select_related("person", "grid")
        .order_by("starts_at", "kind", "id")
    )


def roster_shift_reassign(*, actor: Any, shift: Shift, person: User) -> Shift:
    """Give one shift of the roster to somebody else (the shared rules apply)."""
    community = shift.grid if shift.grid.level == Level.COMMUNITY else shift.grid.parent
    if community is None or shift.kind not in ROSTER_KINDS:
        raise NotFound(_("No such shift in a duty roster."))
    access_roster_edit(actor, community.path)
    spec = ShiftSpec(
        person.pk,
        shift.kind,
        shift.grid_id,
        shift.starts_at,
        shift.ends_at,
        station_id=shift.station_id,
        service=shift.service,
        note=shift.note,
    )
    return shift_update(shift=shift, spec=spec)
