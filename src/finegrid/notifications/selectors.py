"""Reads of notifications. Each user reads only their own: there is no jurisdiction to widen it,
so another user's notification answers NotFound exactly like one that does not exist."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from finegrid.core.errors import NotFound
from finegrid.notifications.models import Notification

MAX_ID = 2**63 - 1


def notification_list(*, user: Any, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first (the two inbox indexes serve both tabs)."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    qs = Notification.objects.filter(user_id=user.pk)
    return qs.filter(read_at__isnull=True) if unread_only else qs


def unread_count(*, user: Any) -> int:
    """The header badge's number: an index-only count on (user, read_at)."""
    return notification_list(user=user, unread_only=True).count()


def notification_get(*, user: Any, pk: object) -> Notification:
    number = _id(pk)
    found = notification_list(user=user).filter(pk=number).first() if number else None
    if found is None:
        raise NotFound(_("You have no such notification."))
    return found


def _id(value: object) -> int | None:
    # an id past 63 bits would fail in SQL rather than match nothing
    try:
        number = int(str(value))
    except ValueError:
        return None
    return number if 0 < number <= MAX_ID else None
