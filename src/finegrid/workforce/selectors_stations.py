"""Reads for service stations: which stations serve a grid, one station, its month."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from finegrid.accounts.jurisdiction import STAFF_ROLES, scope_for
from finegrid.core.errors import NotFound
from finegrid.core.paths import under
from finegrid.grids.selectors import grid_get
from finegrid.workforce.models import Booking, Room, Shift, Station, Worker
from finegrid.workforce.permissions_stations import access_station_see
from finegrid.workforce.services_stations import STATION_KINDS


def _ancestors(path: str) -> list[str]:
    codes = [c for c in path.split("/") if c]
    return ["/" + "/".join(codes[: i + 1]) + "/" for i in range(len(codes))]


def _serving(path: str) -> Q:
    """Stations serving the grid at ``path``: at it or above it, or under it."""
    return Q(grid_path__in=_ancestors(path)) | under("grid_path", path)


def stations_for_grid(*, user: Any, code: str) -> QuerySet[Station]:
    grid = grid_get(user=user, code=code)
    return (
        Station.objects.filter(_serving(grid.path))
        .select_related("grid")
        .order_by("grid_path", "id")
    )


def stations_visible(*, user: Any) -> QuerySet[Station]:
    scope = scope_for(user, roles=STAFF_ROLES)
    qs = Station.objects.select_related("grid").order_by("grid_path", "id")
    if scope.everything:
        return qs
    if not scope.prefixes:
        return qs.none()
    q = Q()
    for prefix in scope.prefixes:
        q |= _serving(prefix)
    return qs.filter(q)


def station_get(*, user: Any, pk: int) -> Station:
    station = Station.objects.select_related("grid").filter(pk=pk).first()
    if station is None:
        raise NotFound(_("No station with this number in your jurisdiction."))
    access_station_see(user, station.grid_path)
    return station


def station_shifts(station: Station, start: dt.datetime, end: dt.datetime) -> list[Shift]:
    return list(
        Shift.objects.filter(station=station, kind__in=STATION_KINDS)
        .filter(starts_at__lt=end, ends_at__gt=start)
        .select_related("person")
        .order_by("starts_at", "id")
    )


def station_bookings(
    station: Station, start: dt.datetime, end: dt.datetime, *, cancelled: bool = False
) -> list[Booking]:
    qs = Booking.objects.filter(station=station, starts_at__lt=end, ends_at__gt=start)
    if not cancelled:
        qs = qs.filter(cancelled_at__isnull=True)
    return list(qs.select_related("room", "booked_by").order_by("starts_at", "id"))


def station_rooms(station: Station) -> list[Room]:
    return list(Room.objects.filter(station=station).order_by("name", "id"))


def room_get(*, station: Station, pk: int) -> Room:
    room = Room.objects.filter(station=station, pk=pk).first()
    if room is None:
        raise NotFound(_("No room with this number at the station."), field="room")
    room.station = station
    return room


def booking_get(*, station: Station, pk: int) -> Booking:
    booking = Booking.objects.select_related("room").filter(station=station, pk=pk).first()
    if booking is None:
        raise NotFound(_("No booking with this number at the station."), field="booking")
    booking.station = station
    return booking


def shift_get(*, station: Station, pk: int) -> Shift:
    shift = Shift.objects.filter(station=station, pk=pk).select_related("person").first()
    if shift is None:
        raise NotFound(_("No shift with this number at the station."), field="shift")
    shift.station = station
    return shift


def worker_by_secret(secret: str) -> Worker | None:
    if not secret or len(secret) > 64:
        return None
    return Worker.objects.select_related("user").filter(calendar_secret=secret).first()


def person_shifts(person_id: int, start: dt.datetime, end: dt.datetime) -> list[Shift]:
    return list(
        Shift.objects.filter(person_id=person_id, starts_at__lt=end, ends_at__gt=start)
        .select_related("person", "station")
        .order_by("starts_at", "id")
    )
