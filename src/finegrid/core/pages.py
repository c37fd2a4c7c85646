"""What every page view shares: a service's refusals as HTTP answers, and telling htmx apart."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django_htmx.http import HttpResponseClientRedirect

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
    """Whether to answer a fragment (django-htmx's ``request.htmx``). A history restore asks for
    the whole page, not the fragment that was swapped in."""
    details = getattr(request, "htmx", None)
    return details is not None and bool(details) and not details.history_restore_request


def done_redirect(request: HttpRequest, url: str) -> HttpResponse:
    """After a form succeeds: htmx is told to load ``url`` as a whole page; a browser without
    htmx is redirected."""
    if is_htmx(request):
        return HttpResponseClientRedirect(url)
    return redirect(url)
