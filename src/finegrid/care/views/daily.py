"""Pages of daily care (关爱): who has gone quiet under a grid (the grid head's list, with a
contact logged in one tap), and the contact plans of a community. Thin views: parse with a form,
call one service or selector, render; an htmx request gets the fragment."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from finegrid.accounts.jurisdiction import scope_for
from finegrid.care import daily_plans
from finegrid.care import selectors_daily as selectors
from finegrid.care import services_daily as services
from finegrid.care.models import ContactKind
from finegrid.care.roles import CHAIN_KEEPERS
from finegrid.core.errors import InvalidInput
from finegrid.core.forms import Form
from finegrid.core.pages import is_htmx, service_page
from finegrid.registry.models import CareKind


def _problem_text(exc: InvalidInput) -> list[tuple[str | None, Any, str]]:
    out = []
    for p in exc.problems:
        text = str(p.message) % p.params if p.params else str(p.message)
        out.append((p.field, p.row, text))
    return out


@service_page
def quiet_page(request: HttpRequest) -> HttpResponse:
    grid = selectors.visible_grid(request.user, request.GET.get("grid"))
    rows = selectors.quiet_under(user=request.user, grid=grid, now=timezone.now())
    return render(
        request,
        "care/daily/quiet.html",
        {"grid": grid, "rows": rows, "kinds": ContactKind.choices},
    )


class ContactForm(Form):
    person = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label=_("How"), choices=ContactKind.choices, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


@service_page
@require_POST
def contact_new(request: HttpRequest) -> HttpResponse:
    form = ContactForm(request.POST)
    errors: list[str] = []
    if form.is_valid():
        try:
            services.contact_record(
                actor=request.user,
                person_id=form.cleaned_data["person"],
                kind=form.cleaned_data["kind"] or "",
                reached=bool(request.POST.get("reached", "1") not in ("0", "")),
                note=form.cleaned_data["note"],
            )
        except InvalidInput as exc:
            errors = [text for _f, _r, text in _problem_text(exc)]
    else:
        errors = [str(e) for field in form.errors.values() for e in field]
    back = request.POST.get("grid", "")
    if is_htmx(request):
        status = 422 if errors else 200
        return render(request, "care/daily/_contact_done.html", {"errors": errors}, status=status)
    if errors:
        for e in errors:
            messages.error(request, e)
    else:
        messages.success(request, _("Contact logged."))
    return redirect(reverse("care:quiet") + (f"?grid={back}" if back else ""))


def _plan_rows(request: HttpRequest, kinds: list[str]) -> list[dict[str, Any]]:
    rows = []
    for kind in kinds:
        every = request.POST.get(f"{kind}-every_days", "").strip()
        hours = request.POST.get(f"{kind}-escalate_hours", "").strip()
        if not every and not hours:
            continue  # left empty: the default plan, if the kind has one
        rows.append(
            {
                "tag_kind": kind,
                "every_days": every,
                "visit_only": request.POST.get(f"{kind}-visit_only") == "on",
                "escalate_hours": hours,
                "active": request.POST.get(f"{kind}-active") == "on",
            }
        )
    return rows


@service_page
@require_http_methods(["GET", "POST"])
def contact_plans_page(request: HttpRequest) -> HttpResponse:
    code = request.POST.get("community") or request.GET.get("community") or None
    communities = selectors.communities_for(request.user, code)
    errors: list[tuple[str | None, Any, str]] = []
    posted: dict[str, dict[str, Any]] = {}
    if request.method == "POST" and communities:
        community = communities[0]
        rows = _plan_rows(request, list(CareKind.values))
        posted = {r["tag_kind"]: r for r in rows}
        try:
            services.contact_plans_set(actor=request.user, community=community, rows=rows)
        except InvalidInput as exc:
            errors = [
                (f, rows[r - 1]["tag_kind"] if isinstance(r, int) else None, t)
                for f, r, t in _problem_text(exc)
            ]
        else:
            messages.success(request, _("Contact plans saved."))
            return redirect(reverse("care:contact_plans") + f"?community={community.code}")
    keepers = scope_for(request.user, roles=CHAIN_KEEPERS)
    table = daily_plans.plans_by_community([c.pk for c in communities])
    shown = []
    for c in communities:
        plans = daily_plans.plans_of(table, c.pk)
        shown.append(
            {
                "community": c,
                "editable": keepers.covers(c.path),
                "rows": [
                    {
                        "kind": kind,
                        "label": label,
                        "plan": plans.get(kind),
                        "posted": posted.get(kind) if c == communities[0] else None,
                        "errors": [t for _f, k, t in errors if k == kind],
                    }
                    for kind, label in CareKind.choices
                ],
            }
        )
    return render(
        request,
        "care/daily/plans.html",
        {"communities": shown, "errors": [t for _f, k, t in errors if k is None]},
        status=422 if errors else 200,
    )


urlpatterns: list[URLPattern] = [
    path("quiet/", quiet_page, name="quiet"),
    path("contacts/new/", contact_new, name="contact_new"),
    path("contact-plans/", contact_plans_page, name="contact_plans"),
]
