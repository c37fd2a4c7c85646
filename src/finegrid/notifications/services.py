"""notify(): the one way any app tells people something. Calls no domain app."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import translation
from django.utils.functional import Promise

from finegrid.notifications.models import Notification


def notify(
    *,
    users: Iterable[Any],
    kind: str,
    title: str | Promise,
    params: dict[str, Any] | None = None,
    url: str = "",
) -> int:
    """Write one notification per distinct user, in the caller's transaction. The title is
    stored in zh-hans, the language of the people who read it."""
    with translation.override("zh-hans"):
        text = str(title) % params if params else str(title)
    seen: set[int] = set()
    rows = []
    for user in users:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        rows.append(Notification(user=user, kind=kind, title=text[:200], url=url))
    Notification.objects.bulk_create(rows)
    return len(rows)
