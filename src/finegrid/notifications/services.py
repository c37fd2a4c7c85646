"""notify(): the one way any app tells people something. Calls no domain app."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import translation
from django.utils.functional import Promise

from finegrid.notifications.models import Notification


def notification_rows(
    *,
    users: Iterable[Any],
    kind: str,
    title: str | Promise,
    params: dict[str, Any] | None = None,
    url: str = "",
) -> list[Notification]:
    """Unsaved rows, one per distinct user (a user or a user id); the title in zh-hans, the
    readers' language."""
    with translation.override("zh-hans"):
        text = str(title) % params if params else str(title)
    seen: set[int] = set()
    rows = []
    for user in users:
        pk = user if isinstance(user, int) or user is None else user.pk
        if pk is None or pk in seen:
            continue
        seen.add(pk)
        rows.append(Notification(user_id=pk, kind=kind, title=text[:200], url=url))
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
    url: str = "",
) -> int:
    """Notify in the caller's transaction, so the notice survives whatever the change survives."""
    return notify_rows(
        notification_rows(users=users, kind=kind, title=title, params=params, url=url)
    )
