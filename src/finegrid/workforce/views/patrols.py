"""Pages of patrols and visits: coverage and workload for staff, today's round and the visit
form for the worker on a phone. Thin views: parse with a form, call one service or selector,
render; a refusal is shown beside its field and nothing is written."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from finegrid.accounts.jurisdiction import scope_for
from finegrid.cases import photos as case_photos
from finegrid.core.errors import InvalidInput, NotFound
from finegrid.core.forms import Form
from finegrid.core.pages import service_page
from finegrid.grids.models import Grid, Household
from finegrid.workforce import selectors_patrols as selectors
from finegrid.workforce import services_patrols as services
from finegrid.workforce.api.patrols import span
from finegrid.workforce.models.patrols import Finding, PatrolRound, VisitOutcome
from finegrid.workforce.periods import parse_period
from finegrid.workforce.permissions_patrols import visible_grid


def _put_problems(form: forms.Form, exc: InvalidInput) -> None:
    for problem in exc.problems:
        message = str(problem.message) % problem.params if problem.params else str(problem.message)
        form.add_error(problem.field if problem.field in form.fields else None, message)


def _home_grid(request: HttpRequest) -> Grid:
    """The grid named by ``?grid=``, else the top of the user's jurisdiction."""
    code = request.GET.get("grid", "").strip()
    if not code:
        scope = scope_for(request.user)
        top = Grid.objects.filter(path__in=scope.prefixes).order_by("depth").first()
        if top is None and scope.everything:
            top = Grid.objects.filter(parent__isnull=True).order_by("pk").first()
        if top is None:  # no jurisdiction (a resident): nothing to show, as for a hidden grid
            raise NotFound(_("No such grid."))
        code = top.code
    return visible_grid(request.user, code)


class CoverageForm(Form):
    grid = forms.CharField(label=_("Grid"), required=False)
    period = forms.CharField(
        label=_("Period"), required=False, help_text=_("2026-W49, 2026-12 or 2026-Q4")
    )


@service_page
def coverage_page(request: HttpRequest) -> HttpResponse:
    grid = _home_grid(request)
    form = CoverageForm(request.GET or None)
    period = parse_period("")
    if form.is_bound and form.is_valid():
        try:
            period = parse_period(form.cleaned_data["period"])
        except InvalidInput as exc:
            _put_problems(form, exc)
    found = selectors.coverage_under(grid=grid, period=period)
    return render(
        request,
        "workforce/patrols/coverage.html",
        {"coverage": found, "grid": grid, "form": form or CoverageForm()},
    )


class WorkloadForm(Form):
    grid = forms.CharField(label=_("Grid"), required=False)
    from_ = forms.CharField(label=_("From"), required=False)
    to = forms.CharField(label=_("To"), required=False)


@service_page
def workload_page(request: HttpRequest) -> HttpResponse:
    grid = _home_grid(request)
    data = {
        "grid": grid.code,
        "from_": request.GET.get("from", ""),
        "to": request.GET.get("to", ""),
    }
    form = WorkloadForm(data)
    today = timezone.localdate()
    since, until = today - dt.timedelta(days=29), today
    if form.is_valid():
        try:
            since, until = span(form.cleaned_data["from_"], form.cleaned_data["to"])
        except InvalidInput as exc:
            for problem in exc.problems:
                field = "from_" if problem.field == "from" else problem.field
                form.add_error(field if field in form.fields else None, str(problem.message))
    rows = selectors.workload_under(grid=grid, since=since, until=until)
    rows.sort(key=lambda r: ({"overloaded": 0, "idle": 1}.get(r.status, 2), -r.activity))
    return render(
        request,
        "workforce/patrols/workload.html",
        {"rows": rows, "grid": grid, "since": since, "until": until, "form": form},
    )


class VisitForm(Form):
    household = forms.IntegerField(widget=forms.HiddenInput, required=False)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=VisitOutcome.choices, widget=forms.RadioSelect, required=False
    )
    needs = forms.CharField(label=_("Needs found"), max_length=500, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


@service_page
@require_http_methods(["GET", "POST"])
def visit_page(request: HttpRequest) -> HttpResponse:
    raw = request.POST.get("household") or request.GET.get("household") or ""
    household = None
    if raw.isdigit():
        household = Household.objects.filter(pk=int(raw)).first()
        if household is not None and not scope_for(request.user).covers(household.grid_path):
            household = None
    form = VisitForm(
        request.POST or None, initial={"household": household.pk if household else None}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.household_visit_record(
                actor=request.user,
                household_id=form.cleaned_data["household"],
                outcome=form.cleaned_data["outcome"] or "",
                needs=form.cleaned_data["needs"],
                note=form.cleaned_data["note"],
            )
        except InvalidInput as exc:
            _put_problems(form, exc)
        else:
            messages.success(request, _("Visit recorded."))
            return redirect(reverse("workforce:visit"))
    due = selectors.households_due(user=request.user, now=timezone.now(), limit=30)
    return render(
        request,
        "workforce/patrols/visit.html",
        {"form": form, "household": household, "due": due},
        status=422 if form.errors else 200,
    )


class StartForm(Form):
    plan = forms.IntegerField(widget=forms.HiddenInput)


class FindingForm(Form):
    description = forms.CharField(
        label=_("What did you find?"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    point = forms.IntegerField(label=_("Patrol point"), required=False)
    category = forms.CharField(required=False, widget=forms.HiddenInput)


@service_page
@require_http_methods(["GET", "POST"])
def round_page(request: HttpRequest) -> HttpResponse:
    finding_form = FindingForm()
    failed_round = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "start":
                start = StartForm(request.POST)
                plan_id = start.cleaned_data["plan"] if start.is_valid() else None
                services.patrol_round_start(actor=request.user, plan_id=plan_id)
                return redirect(reverse("workforce:round"))
            round_id = int(request.POST.get("round", "0") or 0)
            if action == "finish":
                services.patrol_round_finish(actor=request.user, round_id=round_id)
                messages.success(request, _("Round finished."))
                return redirect(reverse("workforce:round"))
            if action in ("finding", "finding_case"):
                finding_form = FindingForm(request.POST)
                if finding_form.is_valid():
                    with case_photos.stored_photos(request) as refs:
                        finding = services.finding_report(
                            actor=request.user,
                            round_id=round_id,
                            description=finding_form.cleaned_data["description"],
                            point_id=finding_form.cleaned_data["point"],
                            photos=refs,
                            as_case=action == "finding_case",
                            category=finding_form.cleaned_data["category"],
                        )
                    if finding.case_id:
                        messages.success(request, _("Reported as a case."))
                    return redirect(reverse("workforce:round"))
                failed_round = round_id
            if action == "case":
                services.finding_make_case(
                    actor=request.user, finding_id=int(request.POST.get("finding", "0") or 0)
                )
                messages.success(request, _("Reported as a case."))
                return redirect(reverse("workforce:round"))
        except InvalidInput as exc:
            failed_round = int(request.POST.get("round", "0") or 0) or None
            _put_problems(finding_form, exc)
    today = selectors.todays_round(user=request.user, now=timezone.now())
    open_rounds = [p.open_round for p in (today or {}).get("plans", []) if p.open_round]
    stops = _round_details(open_rounds)
    return render(
        request,
        "workforce/patrols/round.html",
        {
            "today": today,
            "open_rounds": stops,
            "finding_form": finding_form,
            "failed_round": failed_round,
        },
        status=422 if finding_form.errors else 200,
    )


def _round_details(rounds: list[PatrolRound]) -> list[dict[str, Any]]:
    """The points of each open round and its findings: three queries for all of them."""
    if not rounds:
        return []
    from finegrid.workforce.models.patrols import PatrolTarget, RoundStop

    targets: dict[int, list[Any]] = {}
    for t in PatrolTarget.objects.filter(plan__in=[r.plan_id for r in rounds]).select_related(
        "point"
    ):
        targets.setdefault(t.plan_id, []).append(t.point)
    checked: dict[int, set[int]] = {}
    for round_id, point_id in RoundStop.objects.filter(round__in=rounds).values_list(
        "round", "point"
    ):
        checked.setdefault(round_id, set()).add(point_id)
    findings: dict[int, list[Finding]] = {}
    for f in Finding.objects.filter(round__in=rounds).select_related("case"):
        findings.setdefault(f.round_id, []).append(f)
    return [
        {
            "round": r,
            "points": [
                {"point": p, "checked": p.pk in checked.get(r.pk, set())}
                for p in targets.get(r.plan_id, [])
            ],
            "findings": findings.get(r.pk, []),
        }
        for r in rounds
    ]


urlpatterns = [
    path("coverage/", coverage_page, name="coverage"),
    path("workload/", workload_page, name="workload"),
    path("visit/", visit_page, name="visit"),
    path("round/", round_page, name="round"),
]
