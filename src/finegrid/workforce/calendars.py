"""iCalendar feeds (RFC 5545) made with the ``icalendar`` library: a station's roster, visiting
services and bookings, and one worker's own shifts.

Times are written in Asia/Shanghai with a ``VTIMEZONE`` for it, so a phone shows 9:00 at the
station as 9:00 wherever its owner travels. Each event's UID names the row it comes from
(``shift-12@finegrid``), so a calendar that subscribes updates an event in place when a shift is
reassigned, instead of showing it twice. A cancelled booking stays, marked cancelled, so that a
subscribed calendar drops it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from finegrid.cases.clock import LOCAL
from finegrid.workforce.models import Booking, Shift, Station, StationService

TZID = "Asia/Shanghai"
DOMAIN = "finegrid"
# what a feed carries: a little of the past, a season ahead
PAST = dt.timedelta(days=31)
AHEAD = dt.timedelta(days=92)


def window(now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    now = now or timezone.now()
    return now - PAST, now + AHEAD


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//finegrid//workforce//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", TZID)
    return cal


def _local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(LOCAL)


def _shift_summary(shift: Shift, station: Station | None) -> str:
    where = station.name if station is not None else ""
    if shift.service and shift.service != StationService.RECEPTION:
        what = str(StationService(shift.service).label)
    else:
        what = shift.get_kind_display()
    return " · ".join(
        x for x in (what, shift.person.display_name or shift.person.username, where) if x
    )


def shift_event(shift: Shift) -> Event:
    station = shift.station
    event = Event()
    event.add("uid", f"shift-{shift.pk}@{DOMAIN}")
    event.add("dtstamp", shift.updated_at.astimezone(dt.UTC))
    event.add("last-modified", shift.updated_at.astimezone(dt.UTC))
    event.add("dtstart", _local(shift.starts_at))
    event.add("dtend", _local(shift.ends_at))
    event.add("summary", _shift_summary(shift, station))
    event.add("categories", [shift.kind])
    if station is not None and station.address:
        event.add("location", station.address)
    if station is not None and station.lat is not None and station.lng is not None:
        event.add("geo", (station.lat, station.lng))
    if shift.note:
        event.add("description", shift.note)
    return event


def booking_event(booking: Booking) -> Event:
    event = Event()
    event.add("uid", f"booking-{booking.pk}@{DOMAIN}")
    event.add("dtstamp", booking.updated_at.astimezone(dt.UTC))
    event.add("last-modified", booking.updated_at.astimezone(dt.UTC))
    event.add("dtstart", _local(booking.starts_at))
    event.add("dtend", _local(booking.ends_at))
    event.add("summary", f"{booking.title} · {booking.room.name}")
    event.add("categories", ["booking"])
    event.add("status", "CANCELLED" if booking.cancelled_at else "CONFIRMED")
    if booking.station.address:
        event.add("location", booking.station.address)
    return event


def _finish(cal: Calendar) -> bytes:
    # one VTIMEZONE for every TZID the events use (Asia/Shanghai), from the library's zoneinfo
    cal.add_missing_timezones()
    return bytes(cal.to_ical())


def station_feed(station: Station, shifts: Iterable[Shift], bookings: Iterable[Booking]) -> bytes:
    cal = _calendar(f"{station.name} · {_('Service station')}")
    for shift in shifts:
        shift.station = station
        cal.add_component(shift_event(shift))
    for booking in bookings:
        booking.station = station
        cal.add_component(booking_event(booking))
    return _finish(cal)


def person_feed(name: str, shifts: Iterable[Shift]) -> bytes:
    cal = _calendar(f"{name} · {_('My shifts')}")
    for shift in shifts:
        cal.add_component(shift_event(shift))
    return _finish(cal)
