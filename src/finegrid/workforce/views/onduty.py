"""Pages: on duty now for a micro-grid, leave, and a community's duty roster. Thin views."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from finegrid.accounts.models import User
from finegrid.core.errors import FinegridError, InvalidInput, Problem
from finegrid.core.labels import in_language
from finegrid.core.pages import service_page
from finegrid.workforce import onduty, services_leave, services_roster
from finegrid.workforce.forms_onduty import LeaveForm, ReassignForm, RosterGenerateForm
from finegrid.workforce.models import Leave, Shift, ShiftKind
from finegrid.workforce.permissions_onduty import access_on_duty, may_edit_roster


def _words(exc: FinegridError) -> list[str]:
    problems = (
        exc.problems if isinstance(exc, InvalidInput) else [Problem(exc.message, params=exc.params)]
    )
    return [str(p.message) % p.params if p.params else str(p.message) for p in problems]


def _shown(entry: onduty.Entry) -> dict[str, Any]:
    return {"e": entry, "text": in_language(entry.message, entry.message_en)}


@service_page
@require_GET
def on_duty_page(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("grid", "").strip()
    raw_at = request.GET.get("at", "").strip()
    context: dict[str, Any] = {"code": code, "raw_at": raw_at, "errors": []}
    if code:
        try:
            # a page's datetime-local field has no offset: it means Chengdu time
            moment = onduty.parse_at(raw_at + "+08:00" if _bare(raw_at) else raw_at)
            grid = onduty.leaf_by_code(code)
            access_on_duty(request.user, grid.path)
            result = onduty.on_duty(grid=grid, at=moment)
            context.update(
                result=result,
                entries=[_shown(e) for e in result.entries],
                skipped=[_shown(e) for e in result.skipped],
            )
        except InvalidInput as exc:
            context["errors"] = _words(exc)
    status = 422 if context["errors"] else 200
    return render(request, "workforce/onduty/page.html", context, status=status)


def _bare(raw: str) -> bool:
    return len(raw) == 16 and raw[10] == "T"  # 2027-03-08T10:00 from <input type=datetime-local>


def _aware(value: dt.datetime) -> dt.datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _user_named(name: str, field: str) -> User | None:
    if not name.strip():
        return None
    found = User.objects.filter(username=name.strip(), is_active=True).first()
    if found is None:
        raise InvalidInput([Problem(_("No such person."), field=field)])
    return found


@service_page
def leave_page(request: HttpRequest) -> HttpResponse:
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = _user_named(data["person"], "person") or request.user
            leave = services_leave.leave_create(
                actor=request.user,
                person=person,  # type: ignore[arg-type]
                starts_at=_aware(data["starts_at"]),
                ends_at=_aware(data["ends_at"]),
                reason=data["reason"],
                substitute=_user_named(data["substitute"], "substitute"),
            )
        except InvalidInput as exc:
            for problem in exc.problems:
                text = (
                    str(problem.message) % problem.params
                    if problem.params
                    else str(problem.message)
                )
                form.add_error(problem.field if problem.field in form.fields else None, text)
        else:
            messages.success(request, _("Leave recorded."))
            return redirect(reverse("workforce:leave") + f"#leave-{leave.pk}")
    me = request.user.pk
    mine = (
        Leave.objects.filter(person_id=me).select_related("substitute").order_by("-starts_at")[:50]
    )
    recorded = (
        Leave.objects.filter(approved_by_id=me)
        .exclude(person_id=me)
        .select_related("person", "substitute")
        .order_by("-starts_at")[:50]
    )
    status = 422 if form.errors else 200
    return render(
        request,
        "workforce/onduty/leave.html",
        {"form": form, "mine": mine, "recorded": recorded, "now": timezone.now()},
        status=status,
    )


@service_page
@require_POST
def leave_cancel(request: HttpRequest, leave_id: int) -> HttpResponse:
    try:
        leave = services_leave.leave_get(actor=request.user, leave_id=leave_id)
        services_leave.leave_cancel(actor=request.user, leave=leave)
    except services_leave.LeaveCancelled as exc:
        for text in _words(exc):
            messages.error(request, text)
    else:
        messages.success(request, _("Leave cancelled."))
    return redirect("workforce:leave")


def _month(raw: str) -> dt.date:
    try:
        return dt.datetime.strptime(raw.strip(), "%Y-%m").date()
    except ValueError:
        raise InvalidInput([Problem(_("Give the month as YYYY-MM."), field="month")]) from None


@service_page
def roster_page(request: HttpRequest, code: str) -> HttpResponse:
    community = services_roster.community_by_code(actor=request.user, code=code)
    month_raw = request.GET.get("month") or f"{timezone.localdate():%Y-%m}"
    errors: list[str] = []
    try:
        month = _month(month_raw)
    except InvalidInput as exc:
        errors, month = _words(exc), timezone.localdate().replace(day=1)
    form = RosterGenerateForm(request.POST or None, initial={"month": f"{month:%Y-%m}"})
    editable = may_edit_roster(request.user, community.path)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(
                str(_("Only community and street officials set the duty roster."))
            )
        if form.is_valid():
            try:
                roster = services_roster.community_roster_generate(
                    actor=request.user,
                    community=community,
                    month=_month(form.cleaned_data["month"]),
                    replace=form.cleaned_data["replace"],
                )
            except InvalidInput as exc:
                errors = _words(exc)
            else:
                messages.success(
                    request,
                    _("%(n)s shifts written.") % {"n": len(roster.shifts)},
                )
                target = reverse("workforce:roster", args=[community.code])
                return redirect(f"{target}?month={roster.month:%Y-%m}")
    shifts = services_roster.roster_shifts(community=community, month=month)
    days: dict[dt.date, list[Shift]] = {}
    for s in shifts:
        days.setdefault(timezone.localtime(s.starts_at).date(), []).append(s)
    status = 422 if errors or form.errors else 200
    return render(
        request,
        "workforce/onduty/roster.html",
        {
            "community": community,
            "month": month,
            "days": sorted(days.items()),
            "form": form,
            "editable": editable,
            "errors": errors,
            "reassign": ReassignForm(),
            "community_kind": ShiftKind.COMMUNITY_DUTY,
        },
        status=status,
    )


@service_page
@require_POST
def roster_reassign(request: HttpRequest, code: str, shift_id: int) -> HttpResponse:
    community = services_roster.community_by_code(actor=request.user, code=code)
    shift = (
        Shift.objects.select_related("grid", "grid__parent")
        .filter(pk=shift_id, kind__in=services_roster.ROSTER_KINDS)
        .first()
    )
    if shift is None or not shift.grid_path.startswith(community.path):
        from django.http import Http404

        raise Http404
    form = ReassignForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput([Problem(_("Name the person who takes the shift."), field="person")])
        person = _user_named(form.cleaned_data["person"], "person")
        assert person is not None
        services_roster.roster_shift_reassign(actor=request.user, shift=shift, person=person)
    except InvalidInput as exc:
        for text in _words(exc):
            messages.error(request, text)
    else:
        messages.success(request, _("Shift reassigned."))
    month = f"{timezone.localtime(shift.starts_at):%Y-%m}"
    return redirect(reverse("workforce:roster", args=[community.code]) + f"?month={month}")


urlpatterns = [
    path("on-duty/", on_duty_page, name="on_duty"),
    path("leave/", leave_page, name="leave"),
    path("leave/<int:leave_id>/cancel/", leave_cancel, name="leave_cancel"),
    path("duty/<str:code>/", roster_page, name="roster"),
    path("duty/<str:code>/shifts/<int:shift_id>/", roster_reassign, name="roster_reassign"),
]
