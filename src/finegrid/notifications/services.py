"""notify(): the one way any app tells people something; and the reader marking notices read.
Calls no domain app."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise

from finegrid.notifications import selectors
from finegrid.notifications.models import Notification

# (kind, id) of what a notice is about; see notifications.subjects
Subject = tuple[str, str | int]


def _title(title: str | Promise, params: dict[str, Any] | None, language: str) -> str:
    # params are applied after translating: formatting a lazy title early would freeze one language
    with translation.override(language):
        text = str(title) % params if params else str(title)
    return text[:200]


def notification_rows(
    *,
    users: Iterable[Any],
    kind: str,
    title: str | Promise,
    params: dict[str, Any] | None = None,
    subject: Subject | None = None,
    url: str = "",
) -> list[Notification]:
    """Unsaved rows, one per distinct user (a user or a user id); the title in zh-hans, the
    readers' language, with the English copy for those who chose English."""
    zh, en = _title(title, params, "zh-hans"), _title(title, params, "en")
    subject_kind, subject_id = (subject[0], str(subject[1])) if subject else ("", "")
    seen: set[int] = set()
    rows = []
    for user in users:
        pk = user if isinstance(user, int) or user is None else user.pk
        if pk is None or pk in seen:
            continue
        seen.add(pk)
        rows.append(
            Notification(
                user_id=pk,
                kind=kind,
                title=zh,
                title_en=en,
                subject_kind=subject_kind,
                subject_id=subject_id,
                url=url,
            )
        )
    return rows


def notify_rows(rows: list[Notification]) -> int:
    """Write rows made by notification_rows in one statement, in the caller's transaction."""
    Notification.objects.bulk_create(rows)
    return len(rows)


def notify(
    *,
    users: Iterable[Any],
    kind: str,
    title: str | Promise,
    params: dict[str, Any] | None = None,
    subject: Subject | None = None,
    url: str = "",
) -> int:
    """Notify in the caller's transaction, so the notice survives whatever the change survives."""
    return notify_rows(
        notification_rows(
            users=users, kind=kind, title=title, params=params, subject=subject, url=url
        )
    )


@transaction.atomic
def notification_read(
    *, user: Any, notification_id: object, now: dt.datetime | None = None
) -> Notification:
    """Mark one of the user's notifications read; another user's answers NotFound, like a
    missing one. Reading it again keeps the first time it was read."""
    found = selectors.notification_get(user=user, pk=notification_id)
    if found.read_at is None:
        found.read_at = now or timezone.now()
        # the filter on read_at makes a double click (or two tabs) keep the first time
        Notification.objects.filter(pk=found.pk, read_at__isnull=True).update(read_at=found.read_at)
    return found


@transaction.atomic
def notification_read_all(*, user: Any, now: dt.datetime | None = None) -> int:
    """Mark every unread notification of the user read, in one statement; how many it marked."""
    return selectors.notification_list(user=user, unread_only=True).update(
        read_at=now or timezone.now()
    )
