"""/api/v1/notifications: the caller's own notifications, newest first, and marking them read.

Every notice belongs to one user; another user's id answers 404 like a missing one. Times are
ISO 8601 with the Chengdu offset, as in the rest of the API.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from finegrid.accounts.api import API_AUTH
from finegrid.core.errors import InvalidInput, Problem
from finegrid.core.schemas import Input
from finegrid.notifications import selectors, services
from finegrid.notifications.models import Notification

router = Router(tags=["notifications"], auth=API_AUTH)

MAX_LIMIT = 100


class SubjectOut(Schema):
    kind: str
    id: str


class NotificationOut(Schema):
    id: int
    kind: str
    title: str = Field(description="in zh-hans")
    title_en: str
    link: str = Field(description="the page of what it is about; empty if none")
    subject: SubjectOut | None
    created_at: dt.datetime
    read_at: dt.datetime | None
    read: bool


class NotificationPage(Schema):
    count: int
    unread: int = Field(description="the caller's unread notifications, whatever the filter")
    items: list[NotificationOut]


class ReadAllOut(Schema):
    marked: int = Field(description="how many were unread and are now read")
    unread: int


class InboxQuery(Input):
    unread: bool = Field(False, description="only unread notifications")
    limit: int = 20
    offset: int = 0


def _local(value: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(value) if value is not None else None


def _item(n: Notification) -> dict[str, Any]:
    return {
        "id": n.pk,
        "kind": n.kind,
        "title": n.title,
        "title_en": n.title_en or n.title,
        "link": n.link,
        "subject": {"kind": n.subject_kind, "id": n.subject_id} if n.subject_kind else None,
        "created_at": _local(n.created_at),
        "read_at": _local(n.read_at),
        "read": n.read_at is not None,
    }


def _page(filters: InboxQuery) -> tuple[int, int]:
    if not 1 <= filters.limit <= MAX_LIMIT:
        raise InvalidInput(Problem(_("limit must be between 1 and 100."), field="limit"))
    if filters.offset < 0:
        raise InvalidInput(Problem(_("offset must not be negative."), field="offset"))
    return filters.offset, filters.offset + filters.limit


@router.get(
    "",
    response=NotificationPage,
    summary="My notifications, newest first",
    description=(
        "The caller's own notifications of every kind (a case dispatched to you, a deadline, a "
        "check-in flagged in your grid, …), newest first: `limit` 1–100 (20 by default) from "
        "`offset`, and with `unread=true` the unread ones only. `unread` in the answer counts all "
        "your unread notifications whatever the filter, for a badge. Any logged-in user; nobody "
        "reads another's. A limit outside 1–100 or a negative offset answers 422."
    ),
)
def notification_list(request: HttpRequest, filters: Query[InboxQuery]) -> dict[str, Any]:
    start, stop = _page(filters)
    qs = selectors.notification_list(user=request.user, unread_only=filters.unread)
    count = qs.count()
    unread = count if filters.unread else selectors.unread_count(user=request.user)
    # a page past the end is empty: no need to ask, and an offset past 63 bits would fail in SQL
    items = [_item(n) for n in qs[start:stop]] if start < count else []
    return {"count": count, "unread": unread, "items": items}


@router.post(
    "/read-all",
    response=ReadAllOut,
    summary="Mark all my notifications read",
    description=(
        "Marks every unread notification of the caller read in one go and answers how many it "
        "marked and how many are unread now (0, unless one arrived meanwhile). Only your own; "
        "calling it again marks none and is not refused."
    ),
)
def notification_read_all(request: HttpRequest) -> dict[str, int]:
    marked = services.notification_read_all(user=request.user)
    return {"marked": marked, "unread": selectors.unread_count(user=request.user)}


@router.post(
    "/{notification_id}/read",
    response=NotificationOut,
    summary="Mark one read",
    description=(
        "Marks one of the caller's notifications read and answers it. Marking it again is not "
        "refused and keeps the first `read_at`. Another user's notification (or an id that is not "
        "a number) answers 404, like a missing one."
    ),
)
def notification_read(request: HttpRequest, notification_id: str) -> dict[str, Any]:
    return _item(services.notification_read(user=request.user, notification_id=notification_id))
