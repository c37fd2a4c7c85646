"""The inbox: the user's notifications, the header badge it polls, and marking notices read.

The badge is polled with htmx rather than pushed: one index-only count every poll, answered 304
when the number has not changed, and no poll at all from a hidden tab (docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import trigger_client_event

from finegrid.core.errors import NotFound
from finegrid.core.pages import is_htmx as _is_htmx
from finegrid.notifications import selectors, services
from finegrid.notifications.templatetags.notifications_badge import badge_context

PER_PAGE = 30
# htmx stops polling when a poll answers 286: a tab left open after logging out goes quiet
STOP_POLLING = 286
# the event a changed count raises on the page, for whatever shows notices to listen to
CHANGED = "fg-unread-changed"


def _own(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Login required; another user's notification is a 404 like a missing one."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None

    return wrapper


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("notifications:inbox")


@_own
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    unread = selectors.unread_count(user=request.user)
    qs = selectors.notification_list(user=request.user, unread_only=unread_only)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "unread_only": unread_only,
        "unread_count": unread,
        "here": request.get_full_path(),
    }
    return render(request, "notifications/inbox.html", context)


@require_GET
def badge(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return HttpResponse(status=STOP_POLLING)
    unread = selectors.unread_count(user=request.user)
    # the fragment is the count in the user's language: same pair, same bytes
    etag = f'"{request.user.pk}-{unread}-{request.LANGUAGE_CODE}"'  # type: ignore[attr-defined]
    if etag in request.headers.get("If-None-Match", ""):
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = render(request, "notifications/_badge.html", badge_context(unread))
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    if request.GET.get("seen") != str(unread):
        # the count moved since the page drew it: an open inbox reloads its list (inbox.html)
        trigger_client_event(response, CHANGED)
    return response


@_own
@require_GET
def notification_open(request: HttpRequest, pk: str) -> HttpResponse:
    """Follow a notice to what it is about, marking it read on the way (as a mail client does:
    opening is reading; the mark is the user's own and harmless to repeat)."""
    n = services.notification_read(user=request.user, notification_id=pk)
    return redirect(n.link or reverse("notifications:inbox"))


@_own
@require_POST
def notification_read(request: HttpRequest, pk: str) -> HttpResponse:
    n = services.notification_read(user=request.user, notification_id=pk)
    if not _is_htmx(request):
        return redirect(_back(request))
    unread = selectors.unread_count(user=request.user)
    context = {"n": n, **badge_context(unread, oob=True)}
    return render(request, "notifications/_read.html", context)


@_own
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    services.notification_read_all(user=request.user)
    return redirect(_back(request))


urlpatterns = [
    path("", inbox, name="inbox"),
    path("badge/", badge, name="badge"),
    path("read-all/", notification_read_all, name="read_all"),
    path("<str:pk>/open/", notification_open, name="open"),
    path("<str:pk>/read/", notification_read, name="read"),
]
