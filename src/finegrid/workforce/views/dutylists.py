"""/workforce/duties/: the duty lists in force at a grid; the street imports a ledger here."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from finegrid.core.errors import InvalidInput
from finegrid.core.forms import Form
from finegrid.core.pages import service_page
from finegrid.grids.selectors import scope_roots
from finegrid.workforce import ledger_dutylists, selectors_dutylists, services_dutylists

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class LedgerForm(Form):
    file = forms.FileField(label=_("Duty-list ledger (.xlsx)"))


@service_page
@require_http_methods(["GET", "POST"])
def duties(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("grid", "").strip()
    if not code:
        roots = scope_roots(user=request.user)
        if roots:
            return redirect(f"{reverse('workforce:duties')}?grid={roots[0].code}")
    found = selectors_dutylists.duty_lists_for(user=request.user, code=code)
    editable = services_dutylists.may_edit_duty_lists(request.user, found.grid)
    form = LedgerForm()
    problems: list[dict[str, object]] = []
    status = 200
    if request.method == "POST":
        services_dutylists.access_duty_lists_edit(request.user, found.grid)
        form = LedgerForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = services_dutylists.duty_lists_import(
                    actor=request.user,
                    grid=found.grid,
                    data=upload.read(ledger_dutylists.MAX_BYTES + 1),
                )
            except InvalidInput as exc:
                problems = [p.as_dict() for p in exc.problems]
                status = 422
            else:
                messages.success(
                    request,
                    _("Imported %(lists)d lists with %(tasks)d tasks; the old lists are replaced.")
                    % {"lists": result.lists, "tasks": result.tasks},
                )
                return redirect(f"{reverse('workforce:duties')}?grid={found.grid.code}")
        else:
            status = 422
    context = {
        "found": found,
        "grid": found.grid,
        "editable": editable,
        "form": form,
        "problems": problems,
    }
    return render(request, "workforce/dutylists/duties.html", context, status=status)


@service_page
def duties_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(ledger_dutylists.template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="duty-lists-template.xlsx"'
    return response


urlpatterns: list[URLPattern] = [
    path("duties/", duties, name="duties"),
    path("duties/template.xlsx", duties_template, name="duties_template"),
]
