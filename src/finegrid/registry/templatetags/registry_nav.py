"""What the main menu offers a user: the registry to its readers, the audit log to auditors."""

from __future__ import annotations

from typing import Any

from django import template

from finegrid.accounts.jurisdiction import scope_for
from finegrid.registry.permissions import AUDIT_READERS, REGISTRY_READERS

register = template.Library()


@register.simple_tag
def registry_menu(user: Any) -> dict[str, bool]:
    if not getattr(user, "is_authenticated", False):
        return {"registry": False, "audit": False}
    # scope_for caches per user object, so the page's own checks cost nothing more
    return {
        "registry": not scope_for(user, roles=REGISTRY_READERS).empty,
        "audit": bool(getattr(user, "is_superuser", False))
        or not scope_for(user, roles=AUDIT_READERS).empty,
    }
