"""What every page view shares: a service's refusals as HTTP answers, and telling htmx apart."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase

from finegrid.core.errors import Forbidden, NotFound

R = TypeVar("R", bound=HttpResponseBase)


def service_page(view: Callable[..., R]) -> Callable[..., R]:
    """Login required; a service's NotFound / Forbidden become the site's 404 / 403 pages."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> R:
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None
        except Forbidden as exc:
            raise PermissionDenied(str(exc)) from None

    return wrapper


def is_htmx(request: HttpRequest) -> bool:
    # A history restore asks for the whole page, not the fragment that was swapped in.
    return bool(request.headers.get("HX-Request")) and not request.headers.get(
        "HX-History-Restore-Request"
    )
