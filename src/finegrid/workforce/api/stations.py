"""/api/v1/workforce/stations: service stations, their roster, visiting services and bookings;
and renewing the secret of one's calendar feed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema

from finegrid.cases.clock import LOCAL
from finegrid.core.errors import InvalidInput, NotFound, Problem
from finegrid.core.openapi import refuses
from finegrid.core.schemas import Input
from finegrid.grids.selectors import grid_get
from finegrid.workforce import selectors_stations as sel
from finegrid.workforce import services_stations as svc
from finegrid.workforce.models import Booking, Shift, Station, StationService, Worker
from finegrid.workforce.permissions_stations import may_edit_station

router = Router()


def _labels(value: str) -> dict[str, str]:
    out = {}
    for key, lang in (("label", "zh-hans"), ("label_en", "en")):
        with translation.override(lang):
            out[key] = str(StationService(value).label)
    return out


class HoursIn(Input):
    weekday: int
    start: str
    end: str


class ServiceOut(Schema):
    code: str
    label: str
    label_en: str


class RoomOut(Schema):
    id: int
    name: str
    name_en: str
    capacity: int


class StationOut(Schema):
    id: int
    name: str
    name_en: str
    grid: str
    address: str
    lat: float | None
    lng: float | None
    phone: str
    hours: list[dict[str, Any]]
    services: list[ServiceOut]
    calendar_url: str
    can_edit: bool


class StationDetail(StationOut):
    rooms: list[RoomOut]


class StationIn(Input):
    grid: str
    name: str
    name_en: str = ""
    address: str = ""
    lat: float | None = None
    lng: float | None = None
    phone: str = ""
    hours: list[HoursIn] = []
    services: list[str] = []


class StationPatch(Input):
    name: str | None = None
    name_en: str | None = None
    address: str | None = None
    lat: float | None = None
    lng: float | None = None
    phone: str | None = None
    hours: list[HoursIn] | None = None
    services: list[str] | None = None


def _station_out(request: HttpRequest, s: Station, *, rooms: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": s.pk,
        "name": s.name,
        "name_en": s.name_en,
        "grid": s.grid.code,
        "address": s.address,
        "lat": s.lat,
        "lng": s.lng,
        "phone": s.phone,
        "hours": s.hours,
        "services": [{"code": c, **_labels(c)} for c in s.services if c in StationService.values],
        "calendar_url": request.build_absolute_uri(reverse("workforce:station_ics", args=[s.pk])),
        "can_edit": may_edit_station(request.user, s.grid_path),
    }
    if rooms:
        out["rooms"] = [
            {"id": r.pk, "name": r.name, "name_en": r.name_en, "capacity": r.capacity}
            for r in sel.station_rooms(s)
        ]
    return out


def _data(payload: Input, *, exclude_unset: bool) -> dict[str, Any]:
    data = payload.model_dump(exclude_unset=exclude_unset)
    data.pop("grid", None)
    return data


@router.get(
    "/stations",
    response=list[StationOut],
    summary="Service stations serving a grid, or under it",
    description=(
        "The service stations (党群服务站) at `grid` or above it, which serve it, and those under "
        "it: address, opening hours, services, the URL of its calendar of shifts (iCalendar) and "
        "`can_edit`. Any role whose jurisdiction covers the grid; a grid outside it answers 404."
    ),
)
def stations(request: HttpRequest, grid: str) -> list[dict[str, Any]]:
    return [_station_out(request, s) for s in sel.stations_for_grid(user=request.user, code=grid)]


@router.post(
    "/stations",
    response={201: StationDetail},
    summary="Open a service station at a grid",
    description=(
        "Opens a station at a grid of your jurisdiction, with its address, position, phone, weekly "
        "opening hours (weekday 0 = Monday, HH:MM) and services. Street and community officials "
        "over the grid (403 otherwise); a grid outside your jurisdiction answers 404. 422 for a "
        "missing name, an unknown service, a position out of range, or opening hours that are "
        "malformed, end before they start or overlap."
    ),
)
def station_create(request: HttpRequest, payload: StationIn) -> tuple[int, dict[str, Any]]:
    grid = grid_get(user=request.user, code=payload.grid)
    station = svc.station_create(
        actor=request.user, grid=grid, **_data(payload, exclude_unset=False)
    )
    return 201, _station_out(request, station, rooms=True)


@router.get(
    "/stations/{station_id}",
    response=StationDetail,
    summary="One service station, with its rooms",
    description=(
        "A station's details, opening hours, services, calendar URL and rooms with their capacity. "
        "Staff whose jurisdiction covers its grid, and the staff of the grids it serves; any other "
        "station answers 404 like a missing one."
    ),
)
def station_detail(request: HttpRequest, station_id: int) -> dict[str, Any]:
    return _station_out(request, sel.station_get(user=request.user, pk=station_id), rooms=True)


@router.patch(
    "/stations/{station_id}",
    response=StationDetail,
    summary="Change a station's details, hours or services",
    description=(
        "Changes the fields sent (a list sent replaces the whole list) and leaves the others. "
        "Street and community officials over the station's grid; 403 for those who only see it, "
        "404 for a station out of sight. The same 422s as opening one."
    ),
)
def station_patch(request: HttpRequest, station_id: int, payload: StationPatch) -> dict[str, Any]:
    station = sel.station_get(user=request.user, pk=station_id)
    svc.station_update(actor=request.user, station=station, **_data(payload, exclude_unset=True))
    return _station_out(request, station, rooms=True)


# --- roster ---------------------------------------------------------------------------------


class ShiftOut(Schema):
    id: int
    kind: str
    service: str
    person: str
    person_name: str
    starts_at: dt.datetime
    ends_at: dt.datetime


class RosterIn(Input):
    month: str  # YYYY-MM


class ShiftPatch(Input):
    person: str | None = None  # username
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None


def _shift_out(s: Shift) -> dict[str, Any]:
    return {
        "id": s.pk,
        "kind": s.kind,
        "service": s.service,
        "person": s.person.username,
        "person_name": s.person.display_name,
        "starts_at": s.starts_at.astimezone(LOCAL),
        "ends_at": s.ends_at.astimezone(LOCAL),
    }


def parse_month(value: str | None) -> tuple[int, int]:
    if not value:
        today = timezone.localdate()
        return today.year, today.month
    try:
        year, month = (int(x) for x in value.split("-"))
        dt.date(year, month, 1)
    except ValueError:
        raise InvalidInput(Problem(_("Write the month as YYYY-MM."), field="month")) from None
    return year, month


def month_span(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime(year, month, 1, tzinfo=LOCAL)
    nxt = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=LOCAL)
    return start, nxt


@router.get(
    "/stations/{station_id}/shifts",
    response=list[ShiftOut],
    summary="A station's shifts in a month",
    description=(
        "The duty and visiting-service shifts of the station in `month` (YYYY-MM, this month by "
        "default), in start order, times in Chengdu's offset. Whoever sees the station; another "
        "station answers 404. A malformed month answers 422."
    ),
)
def station_shifts(
    request: HttpRequest, station_id: int, month: str | None = None
) -> list[dict[str, Any]]:
    station = sel.station_get(user=request.user, pk=station_id)
    return [_shift_out(s) for s in sel.station_shifts(station, *month_span(*parse_month(month)))]


@router.post(
    "/stations/{station_id}/roster",
    response={201: list[ShiftOut]},
    summary="(Re)write a station's roster for a month",
    description=(
        "Writes the month's duty shifts — one per opening interval of each open day, the grid "
        "heads under the station taking turns day by day, holidays skipped — and the visiting "
        "services' shifts, from today on: the month's shifts from today are replaced, past days "
        "stay. Answers the month's shifts. Street and community officials over the station (403 "
        "otherwise, 404 out of sight). 422 for a malformed month, one outside 2000–2100, no grid "
        "head under the station, or shifts that overlap a person's others."
    ),
)
def roster_generate(
    request: HttpRequest, station_id: int, payload: RosterIn
) -> tuple[int, list[dict[str, Any]]]:
    station = sel.station_get(user=request.user, pk=station_id)
    year, month = parse_month(payload.month)
    svc.station_roster_generate(actor=request.user, station=station, year=year, month=month)
    return 201, [_shift_out(s) for s in sel.station_shifts(station, *month_span(year, month))]


@router.patch(
    "/stations/{station_id}/shifts/{shift_id}",
    response=ShiftOut,
    summary="Give a station shift to another grid head, or change its times",
    description=(
        "Changes the `person` (a username) or the times of one shift of the station; a duty shift "
        "goes only to a grid head under the station. Street and community officials over the "
        "station (403 otherwise); a station out of sight or a shift of another station answers "
        "404. 422 for anyone else on a duty shift, times without an offset, an end before the "
        "start, a shift over 24 hours or outside the opening hours, or one that overlaps the "
        "person's other shifts."
    ),
)
def shift_patch(
    request: HttpRequest, station_id: int, shift_id: int, payload: ShiftPatch
) -> dict[str, Any]:
    from finegrid.accounts.models import User

    station = sel.station_get(user=request.user, pk=station_id)
    shift = sel.shift_get(station=station, pk=shift_id)
    person_id = shift.person_id
    if payload.person is not None:
        found = User.objects.filter(username=payload.person).values_list("pk", flat=True).first()
        if found is None:
            raise InvalidInput(
                Problem(_("Only a grid head under this station can take its duty."), field="person")
            )
        person_id = found
    svc.station_shift_update(
        actor=request.user,
        shift=shift,
        person_id=person_id,
        starts_at=payload.starts_at or shift.starts_at,
        ends_at=payload.ends_at or shift.ends_at,
    )
    return _shift_out(sel.shift_get(station=station, pk=shift_id))


# --- bookings -------------------------------------------------------------------------------


class BookingOut(Schema):
    id: int
    room: int
    room_name: str
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    booked_by: str
    cancelled: bool


class BookingIn(Input):
    room: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime


def _booking_out(b: Booking) -> dict[str, Any]:
    return {
        "id": b.pk,
        "room": b.room_id,
        "room_name": b.room.name,
        "title": b.title,
        "starts_at": b.starts_at.astimezone(LOCAL),
        "ends_at": b.ends_at.astimezone(LOCAL),
        "booked_by": b.booked_by.display_name or b.booked_by.username,
        "cancelled": b.cancelled_at is not None,
    }


@router.get(
    "/stations/{station_id}/bookings",
    response=list[BookingOut],
    summary="Room bookings of a station in a month",
    description=(
        "The bookings of the station's rooms in `month` (YYYY-MM, this month by default), "
        "cancelled ones included and marked. Whoever sees the station; another station answers "
        "404. A malformed month answers 422."
    ),
)
def bookings(
    request: HttpRequest, station_id: int, month: str | None = None
) -> list[dict[str, Any]]:
    station = sel.station_get(user=request.user, pk=station_id)
    return [
        _booking_out(b) for b in sel.station_bookings(station, *month_span(*parse_month(month)))
    ]


@router.post(
    "/stations/{station_id}/bookings",
    response={201: BookingOut},
    summary="Book a room of a station",
    description=(
        "Books one of the station's rooms for a meeting, within its opening hours. Anyone who sees "
        "the station; another station or a room of another station answers 404. A room already "
        "booked at that time answers 409 naming `starts_at` (of two requests at once, the second); "
        "no title, times without an offset, an end before the start or a time outside the opening "
        "hours answers 422."
    ),
    openapi_extra=refuses(409, "The room is booked at that time. 该时段已被预约。"),
)
def booking_create(
    request: HttpRequest, station_id: int, payload: BookingIn
) -> tuple[int, dict[str, Any]]:
    station = sel.station_get(user=request.user, pk=station_id)
    room = sel.room_get(station=station, pk=payload.room)
    booking = svc.booking_create(
        actor=request.user,
        room=room,
        title=payload.title,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
    )
    booking.booked_by = request.user  # type: ignore[assignment]
    return 201, _booking_out(booking)


@router.post(
    "/stations/{station_id}/bookings/{booking_id}/cancel",
    response=BookingOut,
    summary="Cancel a room booking",
    description=(
        "Cancels a booking of the station and frees its slot; cancelling again is not refused and "
        "keeps the first cancellation. Anyone who sees the station; another station or a booking "
        "of another station answers 404."
    ),
)
def booking_cancel(request: HttpRequest, station_id: int, booking_id: int) -> dict[str, Any]:
    station = sel.station_get(user=request.user, pk=station_id)
    booking = svc.booking_cancel(
        actor=request.user, booking=sel.booking_get(station=station, pk=booking_id)
    )
    return _booking_out(sel.booking_get(station=station, pk=booking.pk))


# --- calendar secret ------------------------------------------------------------------------


class CalendarOut(Schema):
    url: str


@router.post(
    "/calendar/rotate",
    response=CalendarOut,
    summary="Renew the secret URL of my calendar of shifts",
    description=(
        "A new secret URL for the caller's own calendar feed (iCalendar, for a phone's calendar "
        "app); the old URL stops answering at once. For workers only: a login without a worker "
        "profile answers 404."
    ),
)
def calendar_rotate(request: HttpRequest) -> dict[str, str]:
    worker = Worker.objects.filter(user_id=request.user.pk or 0).first()
    if worker is None:
        raise NotFound(_("You have no worker profile, so no calendar of shifts."))
    svc.worker_calendar_rotate(actor=request.user, worker=worker)
    url = reverse("workforce:worker_ics", args=[worker.calendar_secret])
    return {"url": request.build_absolute_uri(url)}
