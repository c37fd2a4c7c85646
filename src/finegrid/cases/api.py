"""/api/v1/cases: create (with Idempotency-Key), read, list with filters, transitions, photos.

Thin: parse, call one selector or service, shape the answer. Times are stored in UTC and
answered in ISO 8601 with the Chengdu offset (+08:00). A case outside the caller's jurisdiction
answers 404 as if it did not exist; a role that may not take an action answers 403; an action
the case's status does not allow answers 409. The reporter follows a case with no login under
``/track/{follow_code}``, which shows neither names nor phone numbers.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, File, Header, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic_core import to_json

from finegrid.accounts.actors import signed_in, signed_in_or_none
from finegrid.accounts.api import API_AUTH
from finegrid.accounts.jurisdiction import scope_for
from finegrid.accounts.models import User
from finegrid.cases import photos, selectors, services
from finegrid.cases.models import (
    Case,
    CaseEvent,
    Colour,
    Department,
    Source,
    Status,
    Track,
    Urgency,
)
from finegrid.cases.permissions import CASE_READERS, FIELD, OFFICIALS, feedback_by
from finegrid.cases.workflow import PUBLIC_ACTIONS, event_label
from finegrid.core.errors import InvalidInput, NotFound, Problem
from finegrid.core.openapi import download
from finegrid.core.schemas import Input, LongText
from finegrid.grids.geo import METRES_PER_DEGREE

router = Router(tags=["cases"], auth=API_AUTH)

MAX_LIMIT = 200
MAX_PHOTOS = 9
MAX_KEY = 100  # the stored key is "<caller>:<key>" in 120 characters


# --- schemas --------------------------------------------------------------------------------


class Ref(Schema):
    code: str
    name: str


class LabelRef(Ref):
    """A category or department: its name in both languages and in the request's."""

    name_en: str
    label: str


class PersonRef(Schema):
    id: int
    name: str


class PhotoOut(Schema):
    id: str
    url: str
    width: int
    height: int


class CaseItem(Schema):
    id: int
    number: str
    category: LabelRef
    description: str
    status: str
    status_label: str
    colour: str
    colour_label: str
    track: str
    source: str
    urgency: str
    micro_grid: Ref
    handling_grid: Ref
    address: str
    lat: float | None
    lng: float | None
    assignee: PersonRef | None
    department: LabelRef | None
    escalation_level: int
    reported_at: dt.datetime
    accept_due: dt.datetime
    resolve_due: dt.datetime


class CasePage(Schema):
    count: int
    items: list[CaseItem]


class DuplicateOut(Schema):
    id: int
    number: str
    description: str
    distance: float = Field(description="metres from the new case")


class CaseCreated(CaseItem):
    follow_code: str
    photos: list[PhotoOut]
    duplicates: list[DuplicateOut] = Field(
        description="open cases of the same category nearby, offered for merging"
    )


class EventOut(Schema):
    id: int
    action: str
    label: str
    actor: PersonRef | None
    from_status: str
    to_status: str
    note: str
    photos: list[PhotoOut]
    data: dict[str, Any]
    at: dt.datetime


class WhistleOut(Schema):
    department: LabelRef
    status: str
    whistled_at: dt.datetime
    report_in_due: dt.datetime
    reported_in_at: dt.datetime | None
    resolve_due: dt.datetime
    resolved_at: dt.datetime | None


class CaseDetail(CaseItem):
    follow_code: str
    reporter_name: str
    reporter_phone_masked: str
    household_id: int | None
    accepted_at: dt.datetime | None
    resolved_at: dt.datetime | None
    closed_at: dt.datetime | None
    satisfaction: str
    supervisor: PersonRef | None
    merged_into: str | None
    photos: list[PhotoOut]
    whistles: list[WhistleOut]
    events: list[EventOut]


class CaseIn(Input):
    category: str = Field(description="code from the managed taxonomy, e.g. sanitation")
    description: LongText = Field(max_length=2000)
    lat: float | None = None
    lng: float | None = None
    household_id: int | None = None
    address: str = Field("", max_length=200)
    urgency: Urgency = Urgency.NORMAL
    source: Source | None = Field(
        None, description="patrol for staff, resident for everyone else, unless given"
    )
    reporter_name: str = Field("", max_length=64)
    reporter_phone: str = ""
    photos: list[str] = Field([], description="ids from POST /api/v1/cases/photos")


class CaseQuery(Input):
    status: Status | None = None
    open: bool = Field(False, description="only open cases")
    colour: Colour | None = None
    grid: str | None = Field(None, description="code of a grid: only cases under it")
    category: str | None = None
    track: Track | None = None
    source: Source | None = None
    since: dt.date | None = Field(None, description="reported on or after (Chengdu date)")
    until: dt.date | None = Field(None, description="reported on or before (Chengdu date)")
    assignee: str | None = Field(None, description="me, or a user id")
    department: str | None = Field(None, description="code of a whistled department")
    limit: int = 50
    offset: int = 0


class PageQuery(Input):
    limit: int = 50
    offset: int = 0


class NoteIn(Input):
    note: LongText = ""


class AcceptIn(NoteIn):
    track: Track | None = None


class AssignIn(NoteIn):
    assignee: str = Field(description="username or user id of the handler")


class PhotoNoteIn(Input):
    note: LongText = ""
    photos: list[str] = []


class ReasonIn(Input):
    reason: LongText


class EscalateIn(Input):
    to: str = Field(description="community (上报社区) or street (上报街道): the level right above")
    reason: LongText = Field("", max_length=1000)


class AssigneeGroup(Schema):
    grid: Ref
    role: str
    role_label: str
    people: list[PersonRef]


class AssigneesOut(Schema):
    groups: list[AssigneeGroup]


class MergeIn(Input):
    into: str = Field(description="number of the case this one duplicates")


class DepartmentIn(NoteIn):
    department: str = Field(description="department code, e.g. chengguan")


class DepartmentResolveIn(PhotoNoteIn):
    department: str


class VisitBackIn(Input):
    note: LongText
    close: bool = True


class SuperviseIn(Input):
    supervisor: str = Field(description="username or user id of the supervisor (监督员)")


class FeedbackIn(Input):
    satisfaction: str = Field(description="satisfied, basically_satisfied or dissatisfied")
    comment: LongText = Field("", max_length=1000)


class PublicEvent(Schema):
    action: str
    label: str
    from_status: str
    to_status: str
    at: dt.datetime


class PublicCase(Schema):
    number: str
    category: str
    category_en: str
    status: str
    status_label: str
    reported_at: dt.datetime
    resolved_at: dt.datetime | None
    closed_at: dt.datetime | None
    satisfaction: str
    awaiting_feedback: bool
    events: list[PublicEvent]


class FeedbackAnswer(PublicCase):
    recorded_as: str = Field(
        description="reporter (signed in as the case's reporter) or code_holder (anyone else)"
    )
    counted: bool = Field(
        description="whether the answer was taken as the reporter's: it set the satisfaction "
        "and closed or reopened the case (decision 0007); otherwise it is in the trace only"
    )


# --- shaping --------------------------------------------------------------------------------


def _local(value: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(value) if value is not None else None


def _person(user: Any) -> dict[str, Any] | None:
    return {"id": user.pk, "name": str(user)} if user is not None else None


def _ref(obj: Any) -> dict[str, str] | None:
    return {"code": obj.code, "name": obj.name} if obj is not None else None


def _labelled(obj: Any) -> dict[str, str] | None:
    if obj is None:
        return None
    return {"code": obj.code, "name": obj.name, "name_en": obj.name_en, "label": obj.label}


def _item(c: Case) -> dict[str, Any]:
    return {
        "id": c.pk,
        "number": c.number,
        "category": _labelled(c.category),
        "description": c.description,
        "status": c.status,
        "status_label": str(c.get_status_display()),
        "colour": c.colour,
        "colour_label": str(c.get_colour_display()),
        "track": c.track,
        "source": c.source,
        "urgency": c.urgency,
        "micro_grid": _ref(c.micro_grid),
        "handling_grid": _ref(c.handling_grid),
        "address": c.address,
        "lat": c.lat,
        "lng": c.lng,
        "assignee": _person(c.assignee) if c.assignee_id else None,
        "department": _labelled(c.department) if c.department_id else None,
        "escalation_level": c.escalation_level,
        "reported_at": _local(c.reported_at),
        "accept_due": _local(c.accept_due),
        "resolve_due": _local(c.resolve_due),
    }


def _event(e: CaseEvent) -> dict[str, Any]:
    return {
        "id": e.pk,
        "action": e.action,
        "label": str(event_label(e.action, e.data)),
        "actor": _person(e.actor) if e.actor_id else None,
        "from_status": e.from_status,
        "to_status": e.to_status,
        "note": e.note,
        "photos": e.photos,
        "data": e.data,
        "at": _local(e.at),
    }


def _detail(c: Case) -> dict[str, Any]:
    whistles = c.whistles.select_related("department").order_by("whistled_at", "id")
    return {
        **_item(c),
        "follow_code": c.follow_code,
        "reporter_name": c.reporter_name,
        "reporter_phone_masked": c.reporter_phone_masked,
        "household_id": c.household_id,
        "accepted_at": _local(c.accepted_at),
        "resolved_at": _local(c.resolved_at),
        "closed_at": _local(c.closed_at),
        "satisfaction": c.satisfaction,
        "supervisor": _person(c.supervisor) if c.supervisor_id else None,
        "merged_into": c.merged_into.number if c.merged_into_id and c.merged_into else None,
        "photos": c.photos,
        "whistles": [
            {
                "department": _labelled(w.department),
                "status": w.status,
                "whistled_at": _local(w.whistled_at),
                "report_in_due": _local(w.report_in_due),
                "reported_in_at": _local(w.reported_in_at),
                "resolve_due": _local(w.resolve_due),
                "resolved_at": _local(w.resolved_at),
            }
            for w in whistles
        ],
        "events": [_event(e) for e in selectors.case_trace(c)],
    }


def _distance(case: selectors.Nearby, lat: float, lng: float) -> float:
    dy = case.lat - lat
    dx = (case.lng - lng) * math.cos(math.radians(lat))
    return round(math.hypot(dx, dy) * METRES_PER_DEGREE, 1)


def _duplicates(user: Any, case: Case) -> list[dict[str, Any]]:
    """Earlier open cases nearby that the reporter may see; computed as of the case's report, so
    a replayed request answers the same list."""
    if case.lat is None or case.lng is None:
        return []
    scope = scope_for(user, roles=CASE_READERS)
    found = selectors.duplicate_candidates(
        category_id=case.category_id,
        lat=case.lat,
        lng=case.lng,
        now=case.reported_at,
        exclude=case.pk,
    )
    return [
        {
            "id": d.pk,
            "number": d.number,
            "description": d.description,
            "distance": _distance(d, case.lat, case.lng),
        }
        for d in found
        if d.pk < case.pk and scope.covers(d.grid_path)
    ]


# --- helpers --------------------------------------------------------------------------------


def _page(filters: PageQuery | CaseQuery) -> tuple[int, int]:
    if not 1 <= filters.limit <= MAX_LIMIT:
        raise InvalidInput(Problem(_("limit must be between 1 and 200."), field="limit"))
    if filters.offset < 0:
        raise InvalidInput(Problem(_("offset must not be negative."), field="offset"))
    return filters.offset, filters.offset + filters.limit


def _paged(qs: QuerySet[Case], page: tuple[int, int]) -> dict[str, Any]:
    start, stop = page
    count = qs.count()
    # a page past the end is empty: no need to ask, and an offset past 63 bits would fail in SQL
    items = [_item(c) for c in qs[start:stop]] if start < count else []
    return {"count": count, "items": items}


def _user(value: str, field: str) -> User:
    value = (value or "").strip()
    pk = selectors.parse_id(value)
    found = (
        User.objects.filter(pk=pk) if pk is not None else User.objects.filter(username=value)
    ).first()
    if found is None or not found.is_active:
        raise InvalidInput(Problem(_("No such user."), field=field))
    return found


def _department(code: str) -> Department:
    found = Department.objects.filter(code=(code or "").strip()).first()
    if found is None:
        raise InvalidInput(Problem(_("No such department."), field="department"))
    return found


def _photos(ids: list[str]) -> list[dict[str, Any]]:
    if len(ids) > MAX_PHOTOS:
        raise InvalidInput(Problem(_("Attach at most 9 photos."), field="photos"))
    return photos.photo_refs(ids)


def _case(request: HttpRequest, case_id: int) -> Case:
    return selectors.case_get(user=request.user, pk=case_id)


def _answer(request: HttpRequest, case_id: int) -> dict[str, Any]:
    return _detail(_case(request, case_id))


def _default_source(user: Any) -> str:
    return (
        Source.RESIDENT
        if scope_for(user, roles=frozenset(FIELD | OFFICIALS)).empty
        else Source.PATROL
    )


# --- create, list, read ---------------------------------------------------------------------


@router.post(
    "",
    response={201: CaseCreated},
    summary="Report a case (上报事件)",
    description=(
        "Send an `Idempotency-Key` header from a mobile client: a retry with the same key and "
        "body answers the first case again (201, header `Idempotent-Replayed: true`); the same "
        "key with another body is refused with 422 naming `Idempotency-Key`."
    ),
)
def case_create(
    request: HttpRequest,
    payload: CaseIn,
    idempotency_key: str = Header("", alias="Idempotency-Key"),
) -> HttpResponse:
    user = request.user if isinstance(request.user, User) else None
    key = (idempotency_key or "").strip()
    if len(key) > MAX_KEY:
        raise InvalidInput(
            Problem(
                _("The Idempotency-Key is longer than 100 characters."), field="Idempotency-Key"
            )
        )
    report = services.CaseReport(
        category=payload.category,
        description=payload.description,
        source=str(payload.source or _default_source(user)),
        lat=payload.lat,
        lng=payload.lng,
        household_id=payload.household_id,
        address=payload.address,
        urgency=str(payload.urgency),
        reporter_name=payload.reporter_name,
        reporter_phone=payload.reporter_phone,
        photos=_photos(payload.photos),
    )
    case, created = services.case_report(
        actor=user, report=report, idempotency_key=key, caller=f"u{request.user.pk}"
    )
    if not created:
        case = Case.objects.select_related(
            "category", "micro_grid", "handling_grid", "assignee", "department"
        ).get(pk=case.pk)
    body = {
        **_item(case),
        "follow_code": case.follow_code,
        "photos": case.photos,
        "duplicates": _duplicates(user, case),
    }
    # Written out directly, not validated again against CaseCreated: that second pass over a body
    # built here from typed rows cost a fifth of a report's time. tests/cases/test_api_shape.py
    # holds every answer to the schema instead.
    answer = HttpResponse(to_json(body), status=201, content_type="application/json")
    if not created:
        answer["Idempotent-Replayed"] = "true"
    return answer


@router.get(
    "",
    response=CasePage,
    summary="List cases in your jurisdiction",
    description=(
        "The cases under the grids where you hold a role that reads cases (field, official, "
        "department staff or auditor), newest report first; cases elsewhere are simply not "
        "listed. Filters combine; `assignee` is `me` or a user id, `since`/`until` are "
        "Chengdu dates. `limit` 1-200 and `offset` >= 0, otherwise 422 naming the parameter; "
        "`count` is the total before paging."
    ),
)
def case_list(request: HttpRequest, filters: Query[CaseQuery]) -> dict[str, Any]:
    page = _page(filters)
    assignee_id = None
    if filters.assignee:
        assignee_id = (
            request.user.pk if filters.assignee == "me" else selectors.parse_id(filters.assignee)
        )
        if assignee_id is None:
            raise InvalidInput(Problem(_("assignee must be me or a user id."), field="assignee"))
    qs = selectors.case_list(
        user=request.user,
        filters=selectors.CaseFilters(
            status=filters.status,
            open_only=filters.open,
            colour=filters.colour,
            grid=filters.grid,
            category=filters.category,
            track=filters.track,
            source=filters.source,
            since=filters.since,
            until=filters.until,
            assignee_id=assignee_id,
            department=filters.department,
        ),
    )
    return _paged(qs, page)


@router.get(
    "/mine",
    response=CasePage,
    summary="My tasks: most urgent colour first",
    description=(
        "The worker app's task list: open cases in your jurisdiction that are assigned to you"
        " or not yet taken by anyone, the most urgent warning colour first (red, orange, "
        "yellow, blue), then the nearest resolve deadline. Paged like the case list (`limit` "
        "1-200, else 422); a user with no case-reading role gets an empty page."
    ),
)
def case_mine(request: HttpRequest, filters: Query[PageQuery]) -> dict[str, Any]:
    page = _page(filters)
    qs = selectors.my_tasks(user=request.user).select_related(
        "handling_grid", "assignee", "department"
    )
    return _paged(qs, page)


@router.post(
    "/photos",
    response={201: PhotoOut},
    summary="Upload a photo (JPEG, PNG, WebP)",
    description=(
        "Any signed-in user uploads one image as the multipart field `file`, before citing "
        "its `id` in a report, a progress update or a resolution (at most 9 per request). The"
        " photo is stored as a clean, upright JPEG at most 2560 px on its longest side with "
        "its metadata dropped. A missing file, an empty or damaged one, one over 8 MB or too "
        "many pixels, or anything but JPEG, PNG or WebP answers 422 naming `file`."
    ),
)
def photo_upload(
    request: HttpRequest, file: File[UploadedFile | None] = None
) -> tuple[int, dict[str, Any]]:
    if file is None:
        raise InvalidInput(
            Problem(_("Attach the photo as the multipart field file."), field="file")
        )
    photo = photos.photo_store(upload=file, size=file.size or 0, uploader_id=request.user.pk)
    return 201, photo.ref()


@router.get(
    "/photos/{photo_id}",
    summary="A photo of a case you may see",
    response={200: None},
    openapi_extra=download(
        "image/jpeg", description="The photo, a JPEG shown inline. 事件照片（JPEG）。"
    ),
    description=(
        "The stored JPEG of a photo, shown inline (no attachment) and cacheable privately for"
        " a day. Its uploader may fetch it, and anyone who may see a case (or a step of its "
        "trace) the photo is attached to; any other photo, or an unknown id, answers 404 "
        "naming `photo_id`, so a photo outside your jurisdiction is indistinguishable from "
        "none."
    ),
)
def photo_read(request: HttpRequest, photo_id: str) -> FileResponse:
    photo = photos.photo_get(photo_id)
    if photo is None or not _may_see_photo(request.user, photo):
        raise NotFound(_("No such photo."), field="photo_id")
    path = photos.path_of(photo.id)
    assert path is not None
    response = FileResponse(path.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response


def _may_see_photo(user: Any, photo: photos.Photo) -> bool:
    if photo.uploader_id is not None and photo.uploader_id == user.pk:
        return True
    cases = selectors.case_queryset(user)
    return (
        cases.filter(photos__icontains=photo.id).exists()
        or cases.filter(events__photos__icontains=photo.id).exists()
    )


@router.get(
    "/{int:case_id}",
    response=CaseDetail,
    summary="One case with its full trace",
    description=(
        "One case with its reporter's name and masked phone, its whistles and its full trace "
        "(internal steps included), for anyone holding a case-reading role (field, official, "
        "department staff, auditor) over its micro-grid. A case outside your jurisdiction "
        "answers 404 as if it did not exist."
    ),
)
def case_read(request: HttpRequest, case_id: int) -> dict[str, Any]:
    return _answer(request, case_id)


# --- transitions ----------------------------------------------------------------------------


@router.post(
    "/{int:case_id}/accept",
    response=CaseDetail,
    summary="Accept (受理), maybe re-track",
    description=(
        "受理: take in a reported, returned or reopened case. For a handler: the case's "
        "assignee, or a grid head, grid worker or micro-grid worker, or a community or street"
        " official, street leader or system administrator, over the case's micro-grid. "
        "`track` (now, coordinate, follow_up) may re-track the case, which recomputes its "
        "resolve deadline; an unknown track answers 422 naming `track`. A case outside your "
        "jurisdiction answers 404; a role that may not take the move answers 403; any other "
        "status answers 409 naming `status`. Answers the case with its full trace."
    ),
)
def case_accept(request: HttpRequest, case_id: int, payload: AcceptIn) -> dict[str, Any]:
    case = _case(request, case_id)
    services.case_accept(
        actor=signed_in(request), case=case, track=payload.track, note=payload.note
    )
    return _answer(request, case_id)


@router.post(
    "/{int:case_id}/dispatch",
    response=CaseDetail,
    summary="Dispatch to a handler",
    description=(
        "派遣: hand an accepted, returned or reopened case to a handler, who is notified. For a"
        " dispatcher: a grid head or grid worker, or a community or street official, street "
        "leader or system administrator, over the case's micro-grid (being the assignee is "
        "not enough). `assignee` (username or id) must be offered by GET "
        "/{case_id}/assignees: someone working between the handling grid and the case's "
        "micro-grid within your jurisdiction, otherwise 422 naming `assignee`. A case outside"
        " your jurisdiction answers 404; a role that may not take the move answers 403; any "
        "other status answers 409 naming `status`. Answers the case with its full trace."
    ),
)
def case_dispatch(request: HttpRequest, case_id: int, payload: AssignIn) -> dict[str, Any]:
    case = _case(request, case_id)
    services.case_dispatch(
        actor=signed_in(request),
        case=case,
        assignee=_user(payload.assignee, "assignee"),
        note=payload.note,
    )
    return _answer(request, case_id)


@router.post(
    "/{int:case_id}/reassign",
    response=CaseDetail,
    summary="Reassign to another handler",
    description=(
        "Hand a dispatched or in-progress case to another handler, who is notified. For a "
        "dispatcher: a grid head or grid worker, or a community or street official, street "
        "leader or system administrator, over the case's micro-grid (being the assignee is "
        "not enough). The new `assignee` must be one GET /{case_id}/assignees offers, "
        "otherwise 422 naming `assignee`. A case outside your jurisdiction answers 404; a "
        "role that may not take the move answers 403; any other status answers 409 naming "
        "`status`. Answers the case with its full trace."
    ),
)
def case_reassign(request: HttpRequest, case_id: int, payload: AssignIn) -> dict[str, Any]:
    case = _case(request, case_id)
    services.case_reassign(
        actor=signed_in(request),
        case=case,
        assignee=_user(payload.assignee, "assignee"),
        note=payload.note,
    )
    return _answer(request, case_id)


@router.post(
    "/{int:case_id}/start",
    response=CaseDetail,
    summary="Start handling",
    description=(
        "The handler starts work on a dispatched case (it becomes in progress). For a "
        "handler: the case's assignee, or a grid head, grid worker or micro-grid worker, or a"
        " community or street official, street leader or system administrator, over the "
        "case's micro-grid. A case outside your jurisdiction answers 404; a role that may not"
        " take the move answers 403; a case not dispatched answers 409 naming `status`. "
        "Answers the case with its full trace."
    ),
)
def case_start(request: HttpRequest, case_id: int, payload: NoteIn) -> dict[str, Any]:
    case = _case(request, case_id)
    services.case_start(actor=signed_in(request), case=case, note=payload.note)
    return _answer(request, case_id)


@router.post(
    "/{int:case_id}/progress",
    response=CaseDetail,
    summary="Progress update with photos",
    description=(
        "Add a progress note and/or photos (ids from POST /photos, at most 9) to an open "
        "case; its status stays. For a handler: the case's assignee, or a grid head, grid "
        "worker or micro-grid worker, or a community or street official, street leader or "
        "system administrator, over the case's micro-grid. Neither a note nor a photo answers"
        " 422 naming `note`; an unknown photo id 422 naming `photos`. A case outside your "
        "jurisdiction answers 404; a role that may not take the move answers 403; a case that"
        " is no longer open answers 409 naming `status`. Answers the case with its full "
        "trace."
    ),
)
def case_progress(request: HttpRequest, case_id: int, payload: PhotoNoteIn) -> dict[str, Any]:
    case = _case(request, case_id)
    services.case_progress(
        actor=signed_in(request), case=case, photos=_photos(payload.photos), note=payload.note
    )
    return _answer(request, case_id)


@router.post(
    "/{int:case_id}/return",
    response=CaseDetail,
    summary="Return the case (退回)",
    description=(
        "退回: the handler gives a dispatched or in-progress case back, unassigned, for the "
        "grid to dispatch again. For a handler: the case's assignee, or a grid head, grid "
        "worker or micro-grid worker, or a community or street official, street leader or "
        "system administrator, over the case's micro-grid. `reason` is required (422 naming "
        "`reason`). A case outside your jurisdiction answers 404; a role that may not take "
        "the move answers 403; any other status answers 409 naming `status`. Answers the case"
        " with its full trace."
    ),
)
def case_return(request: HttpRequest, case_id: int, payload: ReasonIn) -> dict[str, Any]:
    case = _case(request, case_id)
    services.case_return(actor=signed_in(request), case=case, reason=payload.reason)
    return _answer(request, case_id)


@router.post(
    "/{int:case_id}/resolve",
    response=CaseDetail,
    summary="Resolve (办结) with photos",
    description=(
        "办结: record the work done on an accepted or in-progress case, with photos. For a "
        "handler: the case's assignee, or a grid head, grid worker or micro-grid worker, or a"
        " community or street official, street leader or system administrator, over the "
        "case's micro-grid. `note` is required (422 naming `note`). When the case has a "
        "reporter (an account or a phone) it then waits for their feedback and a signed-in "
        "reporter is notified. A case outside your jurisdiction answers 404; a role that may "
        "not take the move answers 403; any other status answers 409 naming `status`. Answers"
        " the case with its full trace."
    ),
)
def case_resolve(request: HttpRequest, case_id: int, payload: PhotoNoteIn) -> dict[str, Any]:
    case = _case(request, case_id)
    services.case_resolve(
        actor=signed_in(request), case=case, photos=_photos(payload.photos), note=payload.note
    )
    return _answer(request, case_id)


@router.post(
    "/{int:case_id}/close",
    response=CaseDetail,
    summary="Close a resolved case",
    description=(
        "Close a resolved case, or one awaiting the reporter's feedback, without waiting "
        "further. For a dispatcher: a grid head or grid worker, or a community or street "
        "official, street leader or system administrator, over the case's micro-grid (being "
        "the assignee is not enough). A case outside your jurisdiction answers 404; a role "
        "that may not take the move answers 403; any other status answers 409 naming "
        "`status`. Answers the case with its full trace."
    ),
)
def case_close(request: HttpRequest, case_id: int, payload: NoteIn) -> dict[str, Any]:
    case = _case(request, case_id)
    services.case_close(actor=signed_in(request), case=case, note=payload.note)
    return _answer(request, case_id)


@router.post(
    "/{int:case_id}/reject",
    response=CaseDetail,
    summary="Reject as out of scope",
    description=(
        "Reject a reported or accepted case as outside the grid's scope; it ends there. For a"
        " dispatcher: a grid head or grid worker, or a community or street official, street "
        "leader or system administrator, over the case's micro-grid (being the assignee is "
        "not enough). `reason` is required (422 naming `reason`). A case outside your "
        "jurisdiction answers 404; a role that may not take the move answers 403; any other "
        "status answers 409 naming `status`. Answers the case with its full trace."
    ),
)
def case_reject(request: HttpRequest, case_id: int, payload: ReasonIn) -> dict[str, Any]:
    case = _case(request, case_id)
    services.case_reject(actor=signed_in(request), case=case, reason=payload.reason)
    return _answer(request, case_id)


@router.post(
    "/{int:case_id}/merge",
    response=CaseDetail,
    summary="Merge into an open duplicate",
    description=(
        "Close a reported or accepted case as a duplicate of another open case you may see "
        "(`into`, its number); the other case's trace notes the merge. For a dispatcher: a "
        "grid head or grid worker, or a community or street official, street leader or system"
        " administrator, over the case's micro-grid (being the assignee is not enough). An "
        "unknown or invisible number, the case itself, or a target that is not open or is "
        "itself merged answers 422 naming `into`. A case outside your jurisdiction answers "
        "404; a role that may not take the move answers 403; any other status answers 409 "
        "naming `status`. Answers the case with its full trace."
    ),
)
def case_merge(request: HttpRequest, case_id: int, payload: MergeIn) -> dict[str, Any]:
    case = _case(request, case_id)
    services.case_merge(
        actor=signed_in(request),
        case=case,
        into=selectors.merge_target(user=request.user, number=payload.into),
    )
    return _answer(request, case_id)


@router.post(
    "/{int:case_id}/reopen",
    response=CaseDetail,
    summary="Reopen a resolved case",
    description=(
        "Reopen a resolved, awaiting-feedback or closed case: its accept and resolve clocks "
        "start again from now and the grid's people are notified. For a dispatcher: a grid "
        "head or grid worker, or a community or street official, street leader or system "
        "administrator, over the case's micro-grid (being the assignee is not enough). "
        "`reason` is required (422 naming `reason`). A case outside your jurisdiction answers"
        " 404; a role that may not take the move answers 403; any other status answers 409 "
        "naming `status`. Answers the case with its full trace."
    ),
)
def case_reopen(request: HttpRequest, case_id: int, payload: ReasonIn) -> dict[str, Any]:
    case = _case(request, case_id)
    services.case_reopen(actor=signed_in(request), case=case, reason=payload.reason)
    return _answer(request, case_id)


@router.post(
    "/{int:case_id}/escalate",
    response=CaseDetail,
    summary="Carry the case up by hand (上报社区 / 上报街道)",
    description=(
        "For whoever may dispatch over the grid now handling the case; `to` is the level right "
        "above it (community from a grid, street from a community) and `reason` is required "
        "(422 naming `reason`). Another level, or a case already at the street, answers 409 "
        "naming `to`; a case that is not open answers 409 naming `status`. The deadlines stay."
    ),
)
def case_escalate(request: HttpRequest, case_id: int, payload: EscalateIn) -> dict[str, Any]:
    case = _case(request, case_id)
    services.case_carry_up(
        actor=signed_in(request), case=case, to=payload.to.strip(), reason=payload.reason
    )
    return _answer(request, case_id)


@router.get(
    "/{int:case_id}/assignees",
    response=AssigneesOut,
    summary="Who you may dispatch or reassign the case to, by grid and role",
    description=(
        "People holding a field or official role between the grid handling the case and its "
        "micro-grid, within your jurisdiction; `q` filters by name, username, grid or role."
    ),
)
def case_assignees(request: HttpRequest, case_id: int, q: str = "") -> dict[str, Any]:
    case = _case(request, case_id)
    found = selectors.assignable_users(case=case, actor=request.user, search=q)
    return {
        "groups": [
            {
                "grid": _ref(g.grid),
                "role": g.role,
                "role_label": g.role_label,
                "people": [_person(u) for u in g.people],
            }
            for g in selectors.assignable_groups(found)
        ]
    }


@router.post(
    "/{int:case_id}/whistle",
    response=CaseDetail,
    summary="Whistle a department (吹哨)",
    description=(
        "吹哨: call a department in on an accepted, dispatched, in-progress, returned or "
        "reopened case; its staff are notified, the case becomes dispatched on the follow-up "
        "track and its resolve deadline stretches to the department's. For a dispatcher: a "
        "grid head or grid worker, or a community or street official, street leader or system"
        " administrator, over the case's micro-grid (being the assignee is not enough). An "
        "unknown or deactivated department, or one already whistled and still open on the "
        "case, answers 422 naming `department`. A case outside your jurisdiction answers 404;"
        " a role that may not take the move answers 403; any other status answers 409 naming "
        "`status`. Answers the case with its full trace."
    ),
)
def case_whistle(request: HttpRequest, case_id: int, payload: DepartmentIn) -> dict[str, Any]:
    case = _case(request, case_id)
    services.case_whistle(
        actor=signed_in(request),
        case=case,
        department=_department(payload.department),
        note=payload.note,
    )
    return _answer(request, case_id)


@router.post(
    "/{int:case_id}/report-in",
    response=CaseDetail,
    summary="The department reports in (报到)",
    description=(
        "报到: the whistled department acknowledges its whistle on a dispatched or in-progress "
        "case, which becomes in progress. For the staff of the whistled department (or a "
        "superuser) who can see the case; anyone else answers 403, a case outside their "
        "jurisdiction 404. `department` is the department's code (422 naming it if unknown); "
        "a department with no open whistle on the case answers 404 naming `department`, a "
        "withdrawn whistle or one already reported in 409. Answers the case with its full "
        "trace."
    ),
)
def case_report_in(request: HttpRequest, case_id: int, payload: DepartmentIn) -> dict[str, Any]:
    case = _case(request, case_id)
    services.whistle_report_in(
        actor=signed_in(request),
        case=case,
        department=_department(payload.department),
        note=payload.note,
    )
    return _answer(request, case_id)


@router.post(
    "/{int:case_id}/department-resolve",
    response=CaseDetail,
    summary="The whistled department resolves its part",
    description=(
        "The whistled department records its part done, with a `note` (required, 422) and "
        "photos. When it was the case's last open whistle the case is resolved; otherwise the"
        " step is a progress update. For the staff of the whistled department (or a "
        "superuser) who can see the case; anyone else answers 403, a case outside their "
        "jurisdiction 404. `department` is the department's code (422 naming it if unknown); "
        "a department with no open whistle answers 404 naming `department`; a withdrawn "
        "whistle, or one not yet reported in, answers 409. Answers the case with its full "
        "trace."
    ),
)
def case_department_resolve(
    request: HttpRequest, case_id: int, payload: DepartmentResolveIn
) -> dict[str, Any]:
    case = _case(request, case_id)
    services.whistle_resolve(
        actor=signed_in(request),
        case=case,
        department=_department(payload.department),
        photos=_photos(payload.photos),
        note=payload.note,
    )
    return _answer(request, case_id)


@router.post(
    "/{int:case_id}/visit-back",
    response=CaseDetail,
    summary="Record a visit-back (回访)",
    description=(
        "回访: record what the reporter said when called or visited after resolution, on a "
        "resolved, awaiting-feedback or closed case; with `close` (the default) an open one "
        "is closed as well. For a handler: a grid head, grid worker or micro-grid worker, or "
        "a community or street official, street leader or system administrator, over the "
        "case's micro-grid. `note` is required (422 naming `note`). A case outside your "
        "jurisdiction answers 404; a role that may not take the move answers 403; a case not "
        "yet resolved answers 409 naming `status`. Answers the case with its full trace."
    ),
)
def case_visit_back(request: HttpRequest, case_id: int, payload: VisitBackIn) -> dict[str, Any]:
    case = _case(request, case_id)
    services.case_visit_back(
        actor=signed_in(request), case=case, note=payload.note, close=payload.close
    )
    return _answer(request, case_id)


@router.post(
    "/{int:case_id}/supervise",
    response=CaseDetail,
    summary="Assign a supervisor (盯办)",
    description=(
        "全程盯办: name a supervisor (username or id) who follows the case to its end. For a "
        "community or street official, street leader or system administrator over the case's "
        "micro-grid. An unknown or inactive user answers 422 naming `supervisor`. A case "
        "outside your jurisdiction answers 404; a role that may not take the move answers "
        "403; a case that has ended (closed, rejected, merged) answers 409 naming `status`. "
        "Answers the case with its full trace."
    ),
)
def case_supervise(request: HttpRequest, case_id: int, payload: SuperviseIn) -> dict[str, Any]:
    case = _case(request, case_id)
    services.case_supervise(
        actor=signed_in(request), case=case, supervisor=_user(payload.supervisor, "supervisor")
    )
    return _answer(request, case_id)


# --- the reporter, by follow-up code ---------------------------------------------------------


def _public(c: Case) -> dict[str, Any]:
    events = CaseEvent.objects.filter(case=c, action__in=PUBLIC_ACTIONS).order_by("at", "id")
    return {
        "number": c.number,
        "category": c.category.name,
        "category_en": c.category.name_en,
        "status": c.status,
        "status_label": str(c.get_status_display()),
        "reported_at": _local(c.reported_at),
        "resolved_at": _local(c.resolved_at),
        "closed_at": _local(c.closed_at),
        "satisfaction": c.satisfaction,
        "awaiting_feedback": c.status == Status.AWAITING_FEEDBACK,
        "events": [
            {
                "action": e.action,
                "label": str(event_label(e.action, e.data)),
                "from_status": e.from_status,
                "to_status": e.to_status,
                "at": _local(e.at),
            }
            for e in events
        ],
    }


@router.get(
    "/track/{follow_code}",
    response=PublicCase,
    auth=None,
    summary="Follow a case by its code (no login; no names or phones)",
    description=(
        "For the reporter, with no login: the case named by its 8-character follow-up code "
        "(case-insensitive), with its status, dates, satisfaction and the public steps of its"
        " trace (no names, phones, notes, colour changes or supervisors). An unknown code "
        "answers 404 naming `code`."
    ),
)
def case_track(request: HttpRequest, follow_code: str) -> dict[str, Any]:
    return _public(selectors.case_by_follow_code(code=follow_code))


@router.post(
    "/track/{follow_code}/feedback",
    response=FeedbackAnswer,
    auth=None,
    summary="Satisfaction by follow-up code (满意 / 基本满意 / 不满意)",
    description=(
        "Whoever holds the code may answer; the trace records who did (`recorded_as`, and the "
        "signed-in user if any). Only the reporter's answer counts (`counted`): the signed-in "
        "reporter, or a holder of the code who cannot be told from the reporter (not signed "
        "in, or signed in without a role over the case when it was reported with no account). "
        "See decision 0007."
    ),
)
def case_track_feedback(
    request: HttpRequest, follow_code: str, payload: FeedbackIn
) -> dict[str, Any]:
    case = selectors.case_by_follow_code(code=follow_code)
    actor = signed_in_or_none(request)
    case = services.case_feedback(
        case=case, satisfaction=payload.satisfaction, comment=payload.comment, actor=actor
    )
    return {
        **_public(selectors.case_by_follow_code(code=follow_code)),
        "recorded_as": feedback_by(actor, case),
        "counted": case.status != Status.AWAITING_FEEDBACK,
    }


# --- withdrawing a whistle (撤回吹哨) -----------------------------------------------------------


@router.post(
    "/{int:case_id}/whistles/{department_code}/withdraw",
    response=CaseDetail,
    summary="Withdraw a whistle the department has not resolved (撤回吹哨)",
    description=(
        "For whoever may whistle on the case; a `reason` is required. The whistle's clocks stop "
        "and the department is told. A resolved or already withdrawn whistle answers 409 naming "
        "`status`; a department never whistled on the case answers 404 naming `department`."
    ),
)
def case_whistle_withdraw(
    request: HttpRequest, case_id: int, department_code: str, payload: ReasonIn
) -> dict[str, Any]:
    case = _case(request, case_id)
    services.whistle_withdraw(
        actor=signed_in(request),
        case=case,
        department=_department(department_code),
        reason=payload.reason,
    )
    return _answer(request, case_id)
