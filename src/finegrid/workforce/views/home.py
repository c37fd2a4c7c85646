"""/workforce/home/: the worker's home on a phone — today's work first, the map one tap away."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_GET

from finegrid.accounts.jurisdiction import is_resident
from finegrid.core.pages import service_page
from finegrid.workforce.selectors_home import worker_home

# built by another part of the workforce (一码报到): linked, not imported
SCAN_URL = "/workforce/scan/"


@service_page
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if is_resident(request.user):
        return redirect("residents:home")
    now = timezone.now()
    context = {"home": worker_home(user=request.user, now=now), "now": now, "scan_url": SCAN_URL}
    return render(request, "workforce/home/home.html", context)


urlpatterns: list[URLPattern] = [
    path("home/", home, name="home"),
]
