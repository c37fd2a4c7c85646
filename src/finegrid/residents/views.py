"""A resident's home (我的家): my grid's board, report a problem, my reports, and the places the
later capabilities (the emergency button, votes, points) will fill."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from finegrid.cases import forms as case_forms
from finegrid.cases import selectors as case_selectors
from finegrid.cases import services as case_services
from finegrid.cases.models import Source
from finegrid.cases.photos import stored_photos
from finegrid.cases.workflow import ACTION_LABELS
from finegrid.core.errors import FinegridError, InvalidInput
from finegrid.grids.views import picker_config
from finegrid.residents.selectors import Home, resident_home

# Cards of what is coming, in the order a resident would look for them.
COMING = [
    ("votes", _("Deliberation and votes"), _("Talk things over with neighbours and vote.")),
    ("points", _("Points"), _("Earn points by volunteering and spend them at local shops.")),
]


def _picker(home: Home) -> dict[str, Any]:
    """The map starts at the resident's home (or their micro-grid) and outlines the micro-grid."""
    grid, household = home.micro_grid, home.household
    start = None
    if household is not None and household.lat is not None and household.lng is not None:
        start = (household.lat, household.lng)
    elif grid is not None and grid.center_lat is not None and grid.center_lng is not None:
        start = (grid.center_lat, grid.center_lng)
    return picker_config(outline=[grid] if grid is not None else [], start=start)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    here = resident_home(user=request.user)
    reports = []
    for case in case_selectors.cases_reported_by(user=request.user):
        steps = case.steps  # type: ignore[attr-defined]
        last = steps[-1] if steps else None
        reports.append(
            {
                "case": case,
                "steps": len(steps),
                "last": ACTION_LABELS.get(last.action, last.action) if last else None,
                "last_at": last.at if last else None,
            }
        )
    from finegrid.care.services_enrolment import enrolment_for_user

    try:
        enrolled = enrolment_for_user(request.user) is not None
    except FinegridError:
        enrolled = False
    context = {"home": here, "reports": reports, "coming": COMING, "sos": enrolled}
    return render(request, "residents/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    here = resident_home(user=request.user)
    households = here.households
    if request.method == "GET":
        form = case_forms.ResidentReportForm(households=households)
        return render(request, "residents/report.html", {"form": form, "picker": _picker(here)})
    form = case_forms.ResidentReportForm(request.POST, households=households)
    status = 422
    if form.is_valid():
        d = form.cleaned_data
        user: Any = request.user
        report = case_services.CaseReport(
            category=d["category"],
            description=d["description"] or "",
            source=Source.RESIDENT,  # whatever the request says: a resident reports as one
            lat=d["lat"],
            lng=d["lng"],
            household_id=d.get("household"),
            address=d["address"],
            reporter_phone=user.phone,
        )
        try:
            with stored_photos(request) as report.photos:  # removed again if refused
                case, _created = case_services.case_report(
                    actor=user, report=report, idempotency_key=d["idempotency_key"]
                )
        except case_services.IdempotencyMismatch:
            form.add_error(None, _("This report was already sent; find it in My reports."))
            status = 409
        except InvalidInput as exc:
            case_forms.put_problems(
                form, exc, rename={"household_id": "household", "file": "photos"}
            )
            status = exc.status
        else:
            messages.success(
                request,
                _("Reported: case %(number)s, follow-up code %(code)s.")
                % {"number": case.number, "code": case.follow_code},
            )
            return redirect("residents:home")
    context = {"form": form, "picker": _picker(here)}
    return render(request, "residents/report.html", context, status=status)
