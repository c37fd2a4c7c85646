"""Pages of service stations (微网之家): the list, a station with its rooms and bookings, its
month's roster (edited shift by shift), the iCalendar feeds, and one's own calendar link.

Thin views: a form parses, one service acts, the page is drawn again. A station out of the
user's sight answers 404; one they see but may not run answers 403 to a change.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from finegrid.cases.clock import LOCAL, holidays
from finegrid.core.errors import FinegridError, InvalidInput, Problem
from finegrid.core.pages import is_htmx
from finegrid.core.pages import service_page as scoped
from finegrid.grids.selectors import grid_get
from finegrid.workforce import calendars
from finegrid.workforce import selectors_stations as sel
from finegrid.workforce import services_stations as svc
from finegrid.workforce.api.stations import month_span, parse_month
from finegrid.workforce.forms_stations import (
    BookingForm,
    RosterForm,
    ShiftForm,
    StationForm,
    format_hours,
)
from finegrid.workforce.models import Shift, Station, StationService, VisitingService, Worker
from finegrid.workforce.permissions_stations import may_edit_station

WEEKDAYS = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]


def _problems(exc: FinegridError) -> list[Problem]:
    if isinstance(exc, InvalidInput):
        return exc.problems
    return [Problem(exc.message, field=exc.field, params=exc.params)]


def _put(form: forms.Form, exc: FinegridError) -> None:
    for p in _problems(exc):
        message = str(p.message) % p.params if p.params else str(p.message)
        field = p.field if p.field in form.fields else None
        if field is None and p.field in ("starts_at", "ends_at"):
            field = "start" if "start" in form.fields else None
        form.add_error(field, message)


def _local(day: dt.date, at: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, at, tzinfo=LOCAL)


def _hours_rows(station: Station) -> list[dict[str, Any]]:
    return [
        {"day": WEEKDAYS[h["weekday"]], "start": h["start"], "end": h["end"]} for h in station.hours
    ]


# --- list, create, edit ---------------------------------------------------------------------


@require_GET
@scoped
def station_list(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("grid", "").strip()
    if code:
        stations = list(sel.stations_for_grid(user=request.user, code=code))
    else:
        stations = list(sel.stations_visible(user=request.user)[:200])
    return render(
        request,
        "workforce/stations/list.html",
        {"stations": stations, "grid_code": code, "labels": dict(StationService.choices)},
    )


def _station_initial(station: Station) -> dict[str, Any]:
    return {
        "grid": station.grid.code,
        "name": station.name,
        "name_en": station.name_en,
        "address": station.address,
        "lat": station.lat,
        "lng": station.lng,
        "phone": station.phone,
        "hours": format_hours(station.hours),
        "services": station.services,
    }


def _station_data(form: StationForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.pop("grid", None)
    return data


@scoped
def station_new(request: HttpRequest) -> HttpResponse:
    form = StationForm(request.POST or None, initial={"hours": "1-5 09:00-17:00"})
    if request.method == "POST" and form.is_valid():
        try:
            grid = grid_get(user=request.user, code=form.cleaned_data["grid"])
            station = svc.station_create(actor=request.user, grid=grid, **_station_data(form))
        except FinegridError as exc:
            if exc.status == 404:
                form.add_error("grid", str(exc.message))
            elif exc.status == 403:
                raise
            else:
                _put(form, exc)
        else:
            messages.success(request, _("Station saved."))
            return redirect("workforce:station", station.pk)
    return render(request, "workforce/stations/form.html", {"form": form, "station": None})


@scoped
def station_edit(request: HttpRequest, station_id: int) -> HttpResponse:
    station = sel.station_get(user=request.user, pk=station_id)
    form = StationForm(request.POST or None, initial=_station_initial(station))
    form.fields["grid"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            svc.station_update(actor=request.user, station=station, **_station_data(form))
        except InvalidInput as exc:
            _put(form, exc)
        else:
            messages.success(request, _("Station saved."))
            return redirect("workforce:station", station.pk)
    elif request.method != "POST":
        svc.access_station_edit(request.user, station.grid_path)
    return render(request, "workforce/stations/form.html", {"form": form, "station": station})


# --- one station: services, visiting services, rooms, bookings ------------------------------


def _booking_form(station: Station, data: Any = None) -> BookingForm:
    rooms = [(r.pk, r.label) for r in sel.station_rooms(station)]
    return BookingForm(data, rooms=rooms, initial={"day": timezone.localdate()})


def _station_page(
    request: HttpRequest, station: Station, form: BookingForm | None = None, status: int = 200
) -> HttpResponse:
    now = timezone.now()
    visits = list(VisitingService.objects.filter(station=station).select_related("person"))
    context = {
        "station": station,
        "hours": _hours_rows(station),
        "services": [
            StationService(s).label for s in station.services if s in StationService.values
        ],
        "visits": [
            {"v": v, "days": [WEEKDAYS[d] for d in v.weekdays], "label": v.get_service_display()}
            for v in visits
        ],
        "bookings": sel.station_bookings(
            station, now - dt.timedelta(hours=12), now + dt.timedelta(days=60)
        ),
        "form": form or _booking_form(station),
        "may_edit": may_edit_station(request.user, station.grid_path),
    }
    template = (
        "workforce/stations/_bookings.html"
        if is_htmx(request)
        else "workforce/stations/detail.html"
    )
    return render(request, template, context, status=status)


@require_GET
@scoped
def station_detail(request: HttpRequest, station_id: int) -> HttpResponse:
    return _station_page(request, sel.station_get(user=request.user, pk=station_id))


@require_POST
@scoped
def booking_new(request: HttpRequest, station_id: int) -> HttpResponse:
    station = sel.station_get(user=request.user, pk=station_id)
    form = _booking_form(station, request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            svc.booking_create(
                actor=request.user,
                room=sel.room_get(station=station, pk=d["room"]),
                title=d["title"],
                starts_at=_local(d["day"], d["start"]),
                ends_at=_local(d["day"], d["end"]),
            )
        except FinegridError as exc:
            if exc.status in (403, 404):
                raise
            _put(form, exc)
        else:
            messages.success(request, _("Room booked."))
            if is_htmx(request):
                return _station_page(request, station)
            return redirect("workforce:station", station.pk)
    return _station_page(request, station, form, status=422 if not is_htmx(request) else 200)


@require_POST
@scoped
def booking_cancel(request: HttpRequest, station_id: int, booking_id: int) -> HttpResponse:
    station = sel.station_get(user=request.user, pk=station_id)
    svc.booking_cancel(actor=request.user, booking=sel.booking_get(station=station, pk=booking_id))
    messages.success(request, _("Booking cancelled."))
    if is_htmx(request):
        return _station_page(request, station)
    return redirect("workforce:station", station.pk)


# --- the roster -----------------------------------------------------------------------------


def _people(station: Station) -> list[tuple[int, str]]:
    return [(p.pk, p.display_name or p.username) for p in svc.station_heads(station)]


def _shift_form(shift: Shift, people: list[tuple[int, str]], data: Any = None) -> ShiftForm:
    start, end = shift.starts_at.astimezone(LOCAL), shift.ends_at.astimezone(LOCAL)
    if shift.person_id not in {pk for pk, _n in people}:
        people = [*people, (shift.person_id, shift.person.display_name or shift.person.username)]
    return ShiftForm(
        data,
        people=people,
        auto_id=f"id_shift{shift.pk}_%s",
        initial={
            "person": shift.person_id,
            "day": start.date(),
            "start": start.time(),
            "end": end.time(),
        },
    )


def _roster_rows(
    station: Station, shifts: list[Shift], may: bool, failed: tuple[int, ShiftForm] | None = None
) -> list[dict[str, Any]]:
    people = _people(station) if may else []
    table = holidays()
    rows = []
    for s in shifts:
        local = s.starts_at.astimezone(LOCAL)
        form = None
        if may:
            form = failed[1] if failed and failed[0] == s.pk else _shift_form(s, people)
        rows.append(
            {
                "shift": s,
                "day": local.date(),
                "weekday": WEEKDAYS[local.weekday()],
                "holiday_work": local.weekday() >= 5 and table.get(local.date()) is True,
                "start": local,
                "end": s.ends_at.astimezone(LOCAL),
                "label": (
                    StationService(s.service).label if s.service in StationService.values else ""
                ),
                "visiting": s.kind == "visiting",
                "form": form,
            }
        )
    return rows


def _roster_page(
    request: HttpRequest,
    station: Station,
    year: int,
    month: int,
    failed: tuple[int, ShiftForm] | None = None,
    roster_form: RosterForm | None = None,
    status: int = 200,
) -> HttpResponse:
    may = may_edit_station(request.user, station.grid_path)
    shifts = sel.station_shifts(station, *month_span(year, month))
    first = dt.date(year, month, 1)
    prev = (first - dt.timedelta(days=1)).strftime("%Y-%m")
    nxt = (first + dt.timedelta(days=32)).strftime("%Y-%m")
    context = {
        "station": station,
        "month": first,
        "month_value": first.strftime("%Y-%m"),
        "prev": prev,
        "next": nxt,
        "rows": _roster_rows(station, shifts, may, failed),
        "may_edit": may,
        "roster_form": roster_form or RosterForm(initial={"month": first.strftime("%Y-%m")}),
        "heads": _people(station),
        "hours": _hours_rows(station),
    }
    return render(request, "workforce/stations/roster.html", context, status=status)


@require_GET
@scoped
def roster(request: HttpRequest, station_id: int) -> HttpResponse:
    station = sel.station_get(user=request.user, pk=station_id)
    try:
        year, month = parse_month(request.GET.get("month"))
    except InvalidInput:
        raise Http404 from None
    return _roster_page(request, station, year, month)


@require_POST
@scoped
def roster_generate(request: HttpRequest, station_id: int) -> HttpResponse:
    station = sel.station_get(user=request.user, pk=station_id)
    form = RosterForm(request.POST)
    year, month = timezone.localdate().year, timezone.localdate().month
    if form.is_valid():
        try:
            year, month = parse_month(form.cleaned_data["month"])
            made = svc.station_roster_generate(
                actor=request.user, station=station, year=year, month=month
            )
        except FinegridError as exc:
            if exc.status in (403, 404):
                raise
            form.add_error("month" if exc.field == "month" else None, _problem_text(exc))
        else:
            messages.success(request, _("Roster written: %(n)s shifts.") % {"n": len(made)})
            url = reverse("workforce:roster", args=[station.pk])
            return redirect(f"{url}?month={year:04d}-{month:02d}")
    return _roster_page(request, station, year, month, roster_form=form, status=422)


def _problem_text(exc: FinegridError) -> str:
    parts = []
    for p in _problems(exc):
        text = str(p.message) % p.params if p.params else str(p.message)
        row = getattr(p, "row", None)
        parts.append(f"{row}: {text}" if row else text)
    return "; ".join(parts)


@require_POST
@scoped
def shift_edit(request: HttpRequest, station_id: int, shift_id: int) -> HttpResponse:
    station = sel.station_get(user=request.user, pk=station_id)
    shift = sel.shift_get(station=station, pk=shift_id)
    svc.access_station_edit(request.user, station.grid_path)
    form = _shift_form(shift, _people(station), request.POST)
    local = shift.starts_at.astimezone(LOCAL)
    ok = False
    if form.is_valid():
        d = form.cleaned_data
        try:
            shift = svc.station_shift_update(
                actor=request.user,
                shift=shift,
                person_id=d["person"],
                starts_at=_local(d["day"], d["start"]),
                ends_at=_local(d["day"], d["end"]),
            )
        except InvalidInput as exc:
            _put(form, exc)
        else:
            ok = True
    if is_htmx(request):
        shift = sel.shift_get(station=station, pk=shift_id)
        rows = _roster_rows(station, [shift], True, None if ok else (shift.pk, form))
        return render(
            request,
            "workforce/stations/_roster_row.html",
            {"row": rows[0], "station": station, "may_edit": True, "saved": ok},
        )  # 200 either way: htmx swaps only successful answers, and the refusal is the row
    if ok:
        messages.success(request, _("Shift saved."))
        url = reverse("workforce:roster", args=[station.pk])
        return redirect(f"{url}?month={local:%Y-%m}")
    return _roster_page(
        request, station, local.year, local.month, failed=(shift.pk, form), status=422
    )


# --- calendars ------------------------------------------------------------------------------


def _ics(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_GET
@scoped
def station_ics(request: HttpRequest, station_id: int) -> HttpResponse:
    station = sel.station_get(user=request.user, pk=station_id)
    start, end = calendars.window()
    body = calendars.station_feed(
        station,
        sel.station_shifts(station, start, end),
        sel.station_bookings(station, start, end, cancelled=True),
    )
    return _ics(body, f"station-{station.pk}")


@require_GET
def worker_ics(request: HttpRequest, secret: str) -> HttpResponse:
    """The worker's own shifts, for a phone's calendar to subscribe to: the secret in the URL is
    the only key, so it answers 404 to any other (a rotated one included)."""
    worker = sel.worker_by_secret(secret)
    if worker is None:
        raise Http404
    start, end = calendars.window()
    name = worker.user.display_name or worker.user.username
    return _ics(
        calendars.person_feed(name, sel.person_shifts(worker.user_id, start, end)), "shifts"
    )


@scoped
def my_calendar(request: HttpRequest) -> HttpResponse:
    worker = Worker.objects.filter(user_id=request.user.pk or 0).first()
    if worker is None:
        raise Http404
    if request.method == "POST":
        svc.worker_calendar_rotate(actor=request.user, worker=worker)
        messages.success(request, _("A new calendar link is ready; the old one no longer works."))
        return redirect("workforce:my_calendar")
    url = request.build_absolute_uri(reverse("workforce:worker_ics", args=[worker.calendar_secret]))
    return render(
        request,
        "workforce/stations/my_calendar.html",
        {"url": url, "webcal": "webcal://" + url.split("://", 1)[1]},
    )


urlpatterns = [
    path("stations/", station_list, name="stations"),
    path("stations/new/", station_new, name="station_new"),
    path("stations/<int:station_id>/", station_detail, name="station"),
    path("stations/<int:station_id>/edit/", station_edit, name="station_edit"),
    path("stations/<int:station_id>/bookings/", booking_new, name="booking_new"),
    path(
        "stations/<int:station_id>/bookings/<int:booking_id>/cancel/",
        booking_cancel,
        name="booking_cancel",
    ),
    path("stations/<int:station_id>/roster/", roster, name="roster"),
    path("stations/<int:station_id>/roster/generate/", roster_generate, name="roster_generate"),
    path("stations/<int:station_id>/shifts/<int:shift_id>/", shift_edit, name="shift_edit"),
    path("stations/<int:station_id>/calendar.ics", station_ics, name="station_ics"),
    path("calendar/", my_calendar, name="my_calendar"),
    path("calendar/<str:secret>.ics", worker_ics, name="worker_ics"),
]
