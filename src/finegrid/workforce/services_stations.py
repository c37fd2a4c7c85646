"""Service stations (微网之家): the station, its duty roster (驻点值班), visiting services, room
bookings, and the secret of a worker's calendar feed.

The roster rotates among the station's grid heads — the current holders of the grid-head duty
in the grids under the station's grid — one working day each, within opening hours. It is
written through ``shifts_create_many``, so the rules every roster shares apply (nobody on two
shifts at once), plus the rule added here: a station shift lies within the station's hours.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finegrid.cases.clock import LOCAL, holidays, is_workday
from finegrid.core.errors import FinegridError, InvalidInput, Problem
from finegrid.grids.models import Duty, Grid, Responsibility
from finegrid.workforce.models import (
    Booking,
    Room,
    Shift,
    ShiftKind,
    Station,
    StationService,
    VisitingService,
    Worker,
)
from finegrid.workforce.permissions_stations import access_station_book, access_station_edit
from finegrid.workforce.services_shifts import (
    ShiftSpec,
    shift_update,
    shifts_create_many,
)

Interval = tuple[dt.time, dt.time]
STATION_KINDS = frozenset({ShiftKind.STATION_DUTY, ShiftKind.VISITING})


class SlotTaken(FinegridError):
    """The room is booked at that time (409): choose another slot or room."""

    status = 409
    code = "slot_taken"


# --- opening hours --------------------------------------------------------------------------


def _time(value: Any, field: str, row: int) -> dt.time:
    try:
        return dt.time.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput(
            Problem(
                _("Write the time as HH:MM (row %(row)s)."),
                field=field,
                row=row,
                params={"row": row},
            )
        ) from None


def clean_hours(hours: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Opening hours checked and sorted: each row a weekday 0–6 and a start before its end, no
    two rows of one day overlapping. Problems name the row (1-based)."""
    out: list[dict[str, Any]] = []
    for i, item in enumerate(hours, start=1):
        weekday = item.get("weekday") if isinstance(item, dict) else None
        if not isinstance(weekday, int) or not 0 <= weekday <= 6:
            raise InvalidInput(
                Problem(
                    _("The weekday must be 0 (Monday) to 6 (Sunday) (row %(row)s)."),
                    field="hours",
                    row=i,
                    params={"row": i},
                )
            )
        start, end = _time(item.get("start"), "hours", i), _time(item.get("end"), "hours", i)
        if end <= start:
            raise InvalidInput(
                Problem(
                    _("Opening hours must end after they start (row %(row)s)."),
                    field="hours",
                    row=i,
                    params={"row": i},
                )
            )
        out.append(
            {"weekday": weekday, "start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")}
        )
    out.sort(key=lambda h: (h["weekday"], h["start"]))
    for a, b in zip(out, out[1:], strict=False):
        if a["weekday"] == b["weekday"] and b["start"] < a["end"]:
            raise InvalidInput(Problem(_("Two opening hours of one day overlap."), field="hours"))
    return out


def hours_on(
    hours: list[dict[str, Any]], day: dt.date, table: dict[dt.date, bool] | None = None
) -> list[Interval]:
    """The opening intervals of ``day``: none on a holiday; on a working weekend day (调休上班)
    the hours of the first weekday the station opens, as the weekday it stands in for."""
    table = holidays() if table is None else table
    if not is_workday(day, table) and day in table:
        return []
    weekday = day.weekday()
    if weekday >= 5 and table.get(day):
        weekdays = sorted({h["weekday"] for h in hours if h["weekday"] < 5})
        if not weekdays:
            return []
        weekday = weekdays[0]
    return [
        (dt.time.fromisoformat(h["start"]), dt.time.fromisoformat(h["end"]))
        for h in hours
        if h["weekday"] == weekday
    ]


def hours_label(intervals: list[Interval]) -> str:
    return ", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in intervals) or "—"


def _within(hours: list[dict[str, Any]], start: dt.datetime, end: dt.datetime) -> tuple[bool, str]:
    local_start, local_end = timezone.localtime(start, LOCAL), timezone.localtime(end, LOCAL)
    intervals = hours_on(hours, local_start.date())
    if local_end.date() != local_start.date() and local_end.time() != dt.time(0):
        return False, hours_label(intervals)
    ok = any(a <= local_start.time() and local_end.time() <= b for a, b in intervals)
    return ok, hours_label(intervals)


def station_hours_rule(spec: ShiftSpec, row: int | None) -> Problem | None:
    """A station's shift (duty or visiting service) lies within its opening hours that day."""
    if spec.station_id is None or spec.kind not in STATION_KINDS:
        return None
    hours = Station.objects.filter(pk=spec.station_id).values_list("hours", flat=True).first()
    if not hours:
        return None  # hours not given yet: nothing to hold the shift to
    ok, label = _within(hours, spec.starts_at, spec.ends_at)
    if ok:
        return None
    return Problem(
        _("This shift lies outside the station's opening hours that day (%(hours)s)."),
        field="starts_at",
        row=row,
        params={"hours": label},
    )


# --- stations -------------------------------------------------------------------------------

STATION_FIELDS = ("name", "name_en", "address", "lat", "lng", "phone", "hours", "services")


def _clean_station(data: dict[str, Any]) -> dict[str, Any]:
    out = dict(data)
    if "name" in out and not str(out["name"]).strip():
        raise InvalidInput(Problem(_("A station needs a name."), field="name"))
    if "hours" in out:
        out["hours"] = clean_hours(out["hours"] or [])
    if "services" in out:
        known = set(StationService.values)
        for service in out["services"] or []:
            if service not in known:
                raise InvalidInput(
                    Problem(
                        _("Unknown service: %(service)s."),
                        field="services",
                        params={"service": service},
                    )
                )
        out["services"] = [s for s in StationService.values if s in set(out["services"] or [])]
    lat, lng = out.get("lat"), out.get("lng")
    if lat is not None and not -90 <= lat <= 90:
        raise InvalidInput(Problem(_("The latitude must lie between -90 and 90."), field="lat"))
    if lng is not None and not -180 <= lng <= 180:
        raise InvalidInput(Problem(_("The longitude must lie between -180 and 180."), field="lng"))
    return out


def station_create(*, actor: Any, grid: Grid, **data: Any) -> Station:
    access_station_edit(actor, grid.path)
    clean = _clean_station({k: v for k, v in data.items() if k in STATION_FIELDS})
    with transaction.atomic():
        station = Station(grid=grid, **clean)
        station.save()
        Room.objects.create(station=station, name="议事室", name_en="Meeting room")
    return station


def station_update(*, actor: Any, station: Station, **data: Any) -> Station:
    access_station_edit(actor, station.grid_path)
    clean = _clean_station({k: v for k, v in data.items() if k in STATION_FIELDS})
    with transaction.atomic():
        for name, value in clean.items():
            setattr(
                station,
                name,
                "" if value is None and name in ("name_en", "address", "phone") else value,
            )
        station.save()
    return station


def visiting_service_set(
    *,
    actor: Any,
    station: Station,
    service: str,
    weekdays: list[int],
    start: dt.time,
    end: dt.time,
    person: Any,
) -> VisitingService:
    access_station_edit(actor, station.grid_path)
    if service not in StationService.values:
        raise InvalidInput(
            Problem(
                _("Unknown service: %(service)s."), field="service", params={"service": service}
            )
        )
    if not weekdays or any(not 0 <= d <= 6 for d in weekdays):
        raise InvalidInput(Problem(_("Choose the weekdays of the visit."), field="weekdays"))
    if end <= start:
        raise InvalidInput(Problem(_("A visit must end after it starts."), field="end"))
    visit, _created = VisitingService.objects.update_or_create(
        station=station,
        service=service,
        defaults={"weekdays": sorted(set(weekdays)), "start": start, "end": end, "person": person},
    )
    return visit


# --- the roster -----------------------------------------------------------------------------


def station_heads(station: Station, at: dt.datetime | None = None) -> list[Any]:
    """The grid heads who take turns at the station: current holders of the grid-head duty in
    the grids under its grid (its own included), in the order of the grids."""
    qs = Responsibility.objects.filter(
        duty=Duty.GRID_HEAD, grid__isnull=False, grid_path__startswith=station.grid_path
    )
    qs = qs.held_at(at) if at is not None else qs.current()
    seen: dict[int, Any] = {}
    for r in qs.select_related("person").order_by("grid_path", "id"):
        seen.setdefault(r.person_id, r.person)
    return list(seen.values())


def _month_days(year: int, month: int) -> list[dt.date]:
    last = calendar.monthrange(year, month)[1]
    return [dt.date(year, month, d) for d in range(1, last + 1)]


def _local(day: dt.date, at: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, at, tzinfo=LOCAL)


def roster_specs(
    station: Station,
    year: int,
    month: int,
    heads: list[Any],
    visits: list[VisitingService],
    *,
    since: dt.date | None = None,
) -> list[ShiftSpec]:
    """One duty shift per opening interval of each open day, the grid heads taking turns day by
    day (the turn counts every open day of the month, so regenerating keeps past days' order);
    and a visiting shift on each of a visit's weekdays that the station is open."""
    table = holidays()
    today = since or timezone.localdate()
    specs: list[ShiftSpec] = []
    turn = 0
    for day in _month_days(year, month):
        intervals = hours_on(station.hours, day, table)
        if not intervals:
            continue
        person = heads[turn % len(heads)]
        turn += 1
        if day < today:
            continue
        for start, end in intervals:
            specs.append(
                ShiftSpec(
                    person.pk,
                    ShiftKind.STATION_DUTY,
                    station.grid_id,
                    _local(day, start),
                    _local(day, end),
                    station_id=station.pk,
                    service=StationService.RECEPTION,
                )
            )
        for visit in visits:
            if day.weekday() in visit.weekdays:
                specs.append(
                    ShiftSpec(
                        visit.person_id,
                        ShiftKind.VISITING,
                        station.grid_id,
                        _local(day, visit.start),
                        _local(day, visit.end),
                        station_id=station.pk,
                        service=visit.service,
                    )
                )
    return specs


def station_roster_generate(*, actor: Any, station: Station, year: int, month: int) -> list[Shift]:
    """(Re)write the station's roster and visiting services for a month, from today on: the
    month's station shifts from today are replaced; past days stay as they were."""
    access_station_edit(actor, station.grid_path)
    return roster_write(station=station, year=year, month=month)


def roster_write(
    *, station: Station, year: int, month: int, from_day: dt.date | None = None
) -> list[Shift]:
    """The roster of a month from ``from_day`` (today by default), without the permission
    check: for the service above and the demo street."""
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise InvalidInput(Problem(_("Choose a month between 2000 and 2100."), field="month"))
    heads = station_heads(station)
    if not heads:
        raise InvalidInput(
            Problem(_("No grid head serves under this station to take the duty."), field="station")
        )
    visits = list(VisitingService.objects.filter(station=station))
    first = _local(dt.date(year, month, 1), dt.time(0))
    after = _local(_month_days(year, month)[-1], dt.time(0)) + dt.timedelta(days=1)
    since = from_day or timezone.localdate()
    start = max(first, _local(since, dt.time(0)))
    with transaction.atomic():
        Shift.objects.filter(
            station=station, kind__in=STATION_KINDS, starts_at__gte=start, starts_at__lt=after
        ).delete()
        specs = roster_specs(station, year, month, heads, visits, since=since)
        return shifts_create_many(specs=specs)


def station_shift_update(
    *,
    actor: Any,
    shift: Shift,
    person_id: int,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
) -> Shift:
    """Give a station shift to another grid head, or change its times; the shared rules and
    the opening hours apply."""
    station = shift.station
    assert station is not None
    access_station_edit(actor, station.grid_path)
    if shift.kind == ShiftKind.STATION_DUTY and person_id not in {
        p.pk for p in station_heads(station)
    }:
        raise InvalidInput(
            Problem(_("Only a grid head under this station can take its duty."), field="person")
        )
    spec = ShiftSpec(
        person_id,
        shift.kind,
        shift.grid_id,
        starts_at,
        ends_at,
        station_id=station.pk,
        service=shift.service,
        note=shift.note,
    )
    return shift_update(shift=shift, spec=spec)


# --- rooms and bookings ---------------------------------------------------------------------


def booking_create(
    *, actor: Any, room: Room, title: str, starts_at: dt.datetime, ends_at: dt.datetime
) -> Booking:
    """Book a room for a meeting. The room's row is locked for the check and the insert, so of
    two overlapping requests at once the second waits and is then refused."""
    station = room.station
    access_station_book(actor, station)
    title = title.strip()
    if not title:
        raise InvalidInput(Problem(_("Say what the room is booked for."), field="title"))
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise InvalidInput(Problem(_("Booking times need a time zone."), field="starts_at"))
    if ends_at <= starts_at:
        raise InvalidInput(Problem(_("A booking must end after it starts."), field="ends_at"))
    ok, label = _within(station.hours, starts_at, ends_at)
    if not ok:
        raise InvalidInput(
            Problem(
                _("The station is open %(hours)s that day; book within its hours."),
                field="starts_at",
                params={"hours": label},
            )
        )
    with transaction.atomic():
        Room.objects.select_for_update().filter(pk=room.pk).first()
        taken = (
            Booking.objects.filter(room=room, cancelled_at__isnull=True)
            .filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
            .first()
        )
        if taken is not None:
            raise SlotTaken(
                _("%(room)s is already booked from %(start)s to %(end)s."),
                field="starts_at",
                params={
                    "room": room.name,
                    "start": timezone.localtime(taken.starts_at, LOCAL).strftime("%Y-%m-%d %H:%M"),
                    "end": timezone.localtime(taken.ends_at, LOCAL).strftime("%H:%M"),
                },
            )
        return Booking.objects.create(
            room=room,
            station=station,
            grid_path=station.grid_path,
            title=title,
            starts_at=starts_at,
            ends_at=ends_at,
            booked_by=actor,
        )


def booking_cancel(*, actor: Any, booking: Booking) -> Booking:
    access_station_book(actor, booking.station)
    with transaction.atomic():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if locked.cancelled_at is None:
            locked.cancelled_at = timezone.now()
            locked.cancelled_by = actor
            locked.save(update_fields=["cancelled_at", "cancelled_by", "updated_at"])
    return locked


# --- a worker's calendar feed ---------------------------------------------------------------


def worker_calendar_rotate(*, actor: Any, worker: Worker) -> Worker:
    """A new secret for the worker's feed: the old URL stops answering at once."""
    from finegrid.workforce.models.workers import calendar_secret
    from finegrid.workforce.permissions_stations import access_calendar_rotate

    access_calendar_rotate(actor, worker)
    worker.calendar_secret = calendar_secret()
    worker.save(update_fields=["calendar_secret", "updated_at"])
    return worker
