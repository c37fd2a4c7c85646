"""Pages of the emergency call: the resident's big button, the list of calls, and one call's
trace (every step, who was alerted through what, who answered, arrival and outcome)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from finegrid.accounts.models import User
from finegrid.care import selectors, services, services_enrolment
from finegrid.care.models import OPEN_STATUSES, EmergencyCall
from finegrid.core.audit import client_ip
from finegrid.core.errors import FinegridError


@login_required
def button(request: HttpRequest) -> HttpResponse:
    """One press, a confirmation, then who is coming. Readable with poor sight; plain JS."""
    try:
        enrolment = services_enrolment.enrolment_for_user(request.user)
    except FinegridError:
        enrolment = None
    open_call = None
    if enrolment is not None:
        open_call = (
            EmergencyCall.objects.filter(enrolment=enrolment, status__in=OPEN_STATUSES)
            .order_by("-created_at")
            .values_list("pk", flat=True)
            .first()
        )
    return render(
        request,
        "care/button.html",
        {"enrolment": enrolment, "open_call": open_call},
    )


@login_required
def calls(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    if status not in ("open", "all", "closed", "unanswered"):
        status = "open"
    user = request.user
    assert isinstance(user, User)  # login_required
    rows = [selectors.call_summary(c) for c in selectors.calls_list(user, status=status)]
    return render(request, "care/calls.html", {"rows": rows, "status": status})


@login_required
def call(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        found = selectors.call_get(request.user, pk)
    except FinegridError:
        raise Http404 from None
    detail = selectors.call_detail(found)
    return render(
        request,
        "care/call.html",
        {
            "call": detail,
            "owner": found.acknowledged_by_id == request.user.pk,
            "in_chain": services.in_chain(found, request.user),
            "is_open": found.is_open,
        },
    )


@login_required
@require_POST
def knock(request: HttpRequest, pk: int) -> HttpResponse:
    """A worker at a door nobody opens starts the chain in one tap; they are not alerted about
    their own knock, their colleagues and the grid head are."""
    from finegrid.care.models import CallSource

    user = request.user
    assert isinstance(user, User)
    try:
        enrolment = services_enrolment.enrolment_for_knock(user, pk)
    except FinegridError:
        raise Http404 from None
    made, _created = services.call_raise(
        enrolment=enrolment,
        source=CallSource.KNOCK,
        raised_by=user,
        # one knock a minute is one call: a second tap on a slow phone is the same call
        idempotency_key=f"knock-{pk}-{timezone.now():%Y%m%d%H%M}",
        caller=f"u{user.pk}",
        ip=client_ip(request),
    )
    messages.success(request, _("The emergency chain has started."))
    return redirect("care:call", pk=made.pk)


urlpatterns: list[URLPattern] = [
    path("button/", button, name="button"),
    path("calls/", calls, name="calls"),
    path("calls/<int:pk>/", call, name="call"),
    path("knock/<int:pk>/", knock, name="knock"),
]
