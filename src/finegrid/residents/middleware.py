"""Residents are routed to their home: the staff screens are not for them, and a resident
should never meet a bare "403 Forbidden"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from finegrid.accounts.jurisdiction import is_resident

# The staff screens, by URL namespace or view name; a resident asking for one goes home.
STAFF_NAMESPACES = frozenset({"cases", "registry", "admin"})
STAFF_VIEWS = frozenset({"grids:map"})
# Where a resident's own version of a staff screen lives.
RESIDENT_VERSION = {"cases:new": "residents:report"}


class ResidentHomeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is None:
            return None
        name = match.view_name
        staff = name in STAFF_VIEWS or bool(set(match.namespaces) & STAFF_NAMESPACES)
        if not staff or not is_resident(request.user):
            return None
        if name in RESIDENT_VERSION:
            return redirect(RESIDENT_VERSION[name])
        return self._home(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, PermissionDenied) and is_resident(request.user):
            return self._home(request)
        return None

    def _home(self, request: HttpRequest) -> HttpResponse:
        messages.info(request, _("That page is for grid staff. Here is your home."))
        return redirect("residents:home")
