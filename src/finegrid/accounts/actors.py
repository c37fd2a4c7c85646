"""The user a page or an API call acts for, typed: services take a ``User``, not ``Any``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from finegrid.accounts.models import User


def signed_in(request: HttpRequest) -> User:
    """``request.user`` as the signed-in :class:`User`. Pages behind ``login_required`` and the
    API behind its auth let no one else through, so the refusal is a guard, not a path."""
    user = getattr(request, "user", None)
    if isinstance(user, User) and user.is_authenticated:
        return user
    raise PermissionDenied


def signed_in_or_none(request: HttpRequest) -> User | None:
    """The signed-in user, or None for a visitor (a public page that anyone may use)."""
    user = getattr(request, "user", None)
    return user if isinstance(user, User) and user.is_authenticated else None
