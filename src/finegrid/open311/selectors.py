"""Public reads for Open311: service requests as anyone may see them.

GET requests needs no key (the spec), so what it shows is what a public notice board would:
the category, the place, the description and how far the case has got — never the reporter's
name or phone, nor the follow-up code (it lets the reporter answer for the case). Cases raised
by other modules (an unanswered emergency call, a missed welfare visit) concern the people
with care tags and are not shown at all. Mobile numbers and ID numbers typed into free text are
masked.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Max, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from finegrid.cases import clock
from finegrid.cases.models import OPEN_STATUSES, Case, CaseEvent, Category, Source, Status
from finegrid.cases.workflow import INTERNAL_ACTIONS, Action
from finegrid.open311 import catalogue

LIMIT = 1000  # the spec's default volume: 90 days or the first 1000 requests
# Paging is an extension the spec leaves open (page / page_size, as several cities' servers
# have it): a page of 100 keeps a browser client's first answer small; page_size goes to LIMIT.
PAGE_SIZE = 100
WINDOW = dt.timedelta(days=90)
CLOSED_STATUSES = frozenset(set(Status.values) - set(OPEN_STATUSES))
# steps a public client does not see (the clock's colours, who supervises): they do not make a
# request "updated" either (cases.workflow decides the set for every public trace)
QUIET_ACTIONS = tuple(sorted(INTERNAL_ACTIONS))
MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{3})\d{14}([\dXx])(?![0-9A-Za-z])")


def public_text(text: str) -> str:
    return ID_NUMBER.sub(r"\1**************\2", MOBILE.sub(r"\1****\2", text))


def open311_status(status: str) -> str:
    return "open" if status in OPEN_STATUSES else "closed"


@dataclass
class RequestQuery:
    ids: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)  # open / closed
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    page: int = 1
    page_size: int = PAGE_SIZE


@dataclass
class RequestPage:
    cases: list[Case]
    has_next: bool


def public_cases() -> QuerySet[Case]:
    last_event = (
        CaseEvent.objects.filter(case=OuterRef("pk"))
        .exclude(action__in=QUIET_ACTIONS)
        .order_by("-at", "-id")
        .values("at")[:1]
    )
    return (
        Case.objects.exclude(source=Source.MODULE)
        .select_related("category", "department", "handling_grid")
        .annotate(last_event_at=Subquery(last_event))
    )


def request_list(query: RequestQuery, *, now: dt.datetime) -> RequestPage:
    """Newest first, one page. ``ids`` overrides every other filter (the spec); otherwise the
    window is the 90 days before ``end`` (or after ``start``), as the spec's defaults have it."""
    qs = public_cases()
    if query.ids:
        return _page(qs.filter(number__in=query.ids[:LIMIT]), query)
    start, end = query.start, query.end
    if start is None and end is None:
        end = now
    if start is None:
        assert end is not None
        start = end - WINDOW
    if end is None:
        end = start + WINDOW
    qs = qs.filter(reported_at__gte=start, reported_at__lte=end)
    if query.codes:
        qs = qs.filter(category__code__in=query.codes)
    wanted = set(query.statuses)
    if wanted == {"open"}:
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif wanted == {"closed"}:
        qs = qs.filter(status__in=CLOSED_STATUSES)
    return _page(qs, query)


def _page(qs: QuerySet[Case], query: RequestQuery) -> RequestPage:
    first = (query.page - 1) * query.page_size
    # one row past the page says whether there is a next one, without a COUNT
    rows = list(qs.order_by("-reported_at", "-id")[first : first + query.page_size + 1])
    return RequestPage(rows[: query.page_size], len(rows) > query.page_size)


def request_get(number: str) -> Case | None:
    return public_cases().filter(number=number).first()


def request_by_token(token: str) -> Case | None:
    """tokens/{token}: the token is the follow-up code a reporter holds."""
    return Case.objects.exclude(source=Source.MODULE).filter(follow_code=token.upper()).first()


def _status_notes(cases: list[Case]) -> dict[int, str | None]:
    """Why each case is in its status: the note of the move that put it there (a rejection's
    reason, a reopening's cause), or the case it was merged into. One query for the page."""
    moves = (
        CaseEvent.objects.filter(case_id__in=[c.pk for c in cases])
        .exclude(action__in=(Action.REPORT, *QUIET_ACTIONS))
        .exclude(from_status=F("to_status"))
        .order_by("case_id", "at", "id")
        .values_list("case_id", "action", "note", "data")
    )
    notes: dict[int, str | None] = {}
    for case_id, action, note, data in moves:
        if action == Action.MERGE:
            notes[case_id] = str(_("Merged into %(number)s.")) % {"number": data.get("into", "")}
        else:
            notes[case_id] = public_text(note) if note else None
    return notes


def _iso(when: dt.datetime | None) -> str | None:
    return when.astimezone(clock.LOCAL).isoformat(timespec="seconds") if when else None


def _media_url(case: Case, absolute: Callable[[str], str]) -> str | None:
    for photo in case.photos or []:
        url = photo.get("url") if isinstance(photo, dict) else None
        if url:
            return absolute(url) if url.startswith("/") else url
    return None


def _agency(case: Case) -> str:
    if case.department is not None:
        return case.department.label
    return case.handling_grid.name


def request_rows(cases: list[Case], *, absolute: Callable[[str], str]) -> list[dict[str, Any]]:
    """The spec's request fields, in the active language, identifiers as strings."""
    notes = _status_notes(cases)
    return [
        {
            "service_request_id": case.number,
            "status": open311_status(case.status),
            "status_notes": notes.get(case.pk),
            "service_name": catalogue.name_of(case.category),
            "service_code": case.category.code,
            "description": public_text(case.description),
            "agency_responsible": _agency(case),
            "service_notice": str(case.get_track_display()),
            "requested_datetime": _iso(case.reported_at),
            "updated_datetime": _iso(getattr(case, "last_event_at", None) or case.reported_at),
            "expected_datetime": _iso(case.resolve_due),
            "address": public_text(case.address) or None,
            "address_id": str(case.household_id) if case.household_id else None,
            "lat": case.lat,
            "long": case.lng,
            "media_url": _media_url(case, absolute),
        }
        for case in cases
    ]


def changeset() -> str:
    """When the services or their definitions last changed (discovery's ``changeset``)."""
    latest = Category.objects.aggregate(at=Max("updated_at"))["at"]
    return _iso(latest) or ""
