"""/care/alerts/: the worker's phone page that holds the alert WebSocket open (/ws/alerts/).

The page itself is a shell: what it shows comes over the socket (``care.hello`` on every
connection, then each alert and update) and from the emergency-call API its buttons call. Its
texts are rendered here, in the page's language, for care/static/care/alerts.js.

``register_home_card()`` (to be called from ``CareConfig.ready()``) links the page from the
worker's home (workforce home cards), with the number of open calls the worker was alerted to.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from finegrid.care.models import CallStatus, Outcome
from finegrid.core.pages import service_page

WS_PATH = "/ws/alerts/"
API_BASE = "/api/v1/care/emergency-calls"


def _texts() -> dict[str, str]:
    return {
        "connecting": _("Connecting…"),
        "connected": _("Connected: alerts arrive here."),
        "reconnecting": _("Connection lost. Reconnecting…"),
        "offline": _("No network. Alerts will arrive again when you are back online."),
        "login": _("You are logged out: log in again to receive alerts."),
        "emergency": _("Emergency call"),
        "raised_at": _("Pressed at"),
        "as_role": _("You are alerted as"),
        "acknowledge": _("I'll take it"),
        "on_way": _("On my way"),
        "arrive": _("I have arrived"),
        "close": _("Close the call"),
        "mute": _("Mute"),
        "ok": _("OK"),
        "map": _("Map"),
        "taken_by": _("Taken by %(name)s."),
        "taken": _("Someone else has taken this call."),
        "mine": _("You have taken this call."),
        "locating": _("Finding your position…"),
        "no_gps": _(
            "Your position is needed to record the arrival. Allow location for this site and "
            "try again."
        ),
        "network": _("The request did not reach the server. Try again."),
        "outcome": _("Outcome"),
        "note": _("Note (optional)"),
        "confirm_close": _("Close with this outcome"),
        "cancel": _("Cancel"),
        "status": _("Status"),
        "title_alert": _("Emergency call!"),
    }


@service_page
@require_GET
def alerts(request: HttpRequest) -> HttpResponse:
    context = {
        "config": {
            "ws": WS_PATH,
            "api": API_BASE,
            "user": request.user.pk,
            "login": f"{reverse('accounts:login')}?next={reverse('care:alerts')}",
            "texts": _texts(),
            # the alerts carry both languages; the page shows the one it speaks
            "lang": "en" if (get_language() or "").startswith("en") else "zh-hans",
            "outcomes": [[value, str(label)] for value, label in Outcome.choices],
            "statuses": {value: str(label) for value, label in CallStatus.choices},
        },
    }
    return render(request, "care/alerts.html", context)


urlpatterns: list[URLPattern] = [
    path("alerts/", alerts, name="alerts"),
]
