"""The header's inbox badge, on every page of a logged-in user (base.html)."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from finegrid.notifications import selectors

register = template.Library()


@register.inclusion_tag("notifications/_badge.html", takes_context=True)
def notifications_badge(context: template.Context) -> dict[str, Any]:
    user = context.get("user")
    if not getattr(user, "is_authenticated", False):
        return {"hidden": True}
    # the inbox page counted already; any other page asks once
    unread = context.get("unread_count")
    if unread is None:
        unread = selectors.unread_count(user=user)
    return badge_context(unread)


def badge_context(unread: int, *, oob: bool = False) -> dict[str, Any]:
    """What _badge.html needs, here and in the poll's answer (views.badge)."""
    return {"unread": unread, "poll": settings.INBOX_POLL_SECONDS, "oob": oob}
