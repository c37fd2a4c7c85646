"""The party page of a grid (党建): its organisations (网格党组织, 党小组, 党员中心户), the party
members registered to it (双报到) and the 1+1+N links, with forms for the grid's officials."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from finegrid.accounts.models import User
from finegrid.core.errors import InvalidInput, NotFound, Problem
from finegrid.core.forms import Form
from finegrid.core.pages import service_page as scoped
from finegrid.grids.models import Grid, Household
from finegrid.workforce import selectors_workers as selectors
from finegrid.workforce import services_party as services
from finegrid.workforce.forms_workers import MemberForm, OrganisationForm
from finegrid.workforce.models import PartyLinkHousehold, WorkerStatus
from finegrid.workforce.permissions_workers import access_worker_manage, may_manage_workers
from finegrid.workforce.views.workers import put_problems

MAX_CHOICES = 300  # households offered to a new link; a grid has about 200


class LinkForm(Form):
    member = forms.TypedChoiceField(label=_("Party member"), coerce=int)
    worker = forms.TypedChoiceField(label=_("Worker"), coerce=int)
    households = forms.TypedMultipleChoiceField(
        label=_("Households"), coerce=int, widget=forms.SelectMultiple(attrs={"size": 8})
    )

    def __init__(self, *args: Any, grid: Grid, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields  # choice fields, whose choices django-stubs hides
        members = selectors.party_members(grid=grid)
        fields["member"].choices = [(m.pk, m.name) for m in members[:MAX_CHOICES]]
        workers = selectors.worker_list(user=user, grid=grid).exclude(status=WorkerStatus.EXITED)
        fields["worker"].choices = [(w.pk, str(w.user)) for w in workers[:MAX_CHOICES]]
        linked = PartyLinkHousehold.objects.values("household_id")
        free = (
            Household.objects.filter(grid_path__startswith=grid.path)
            .exclude(pk__in=linked)
            .order_by("name")[:MAX_CHOICES]
        )
        fields["households"].choices = [(h.pk, h.name) for h in free]


def _page(request: HttpRequest, code: str, bound: dict[str, Any] | None = None) -> HttpResponse:
    grid = selectors.grid_for(user=request.user, code=code)
    may = may_manage_workers(request.user, grid.path)
    bound = bound or {}
    context = {
        "grid": grid,
        "organisations": list(selectors.party_organisations(grid=grid)[:500]),
        "members": list(selectors.party_members(grid=grid)[:500]),
        "links": list(selectors.party_links(grid=grid)[:500]),
        "may_manage": may,
        "org_form": bound.get("org") or (OrganisationForm() if may else None),
        "member_form": bound.get("member") or (MemberForm() if may else None),
        "link_form": bound.get("link") or (LinkForm(grid=grid, user=request.user) if may else None),
    }
    return render(request, "workforce/party/grid.html", context, status=422 if bound else 200)


@scoped
@require_GET
def party_grid(request: HttpRequest, code: str) -> HttpResponse:
    return _page(request, code)


def _grid_managed(request: HttpRequest, code: str) -> Grid:
    grid = selectors.grid_for(user=request.user, code=code)
    access_worker_manage(request.user, grid.path)
    return grid


@scoped
@require_POST
def party_organisation_add(request: HttpRequest, code: str) -> HttpResponse:
    grid = _grid_managed(request, code)
    form = OrganisationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            household = None
            if data["household"]:
                household = Household.objects.filter(pk=data["household"]).first()
                if household is None:
                    raise InvalidInput(Problem(_("No such household."), field="household"))
            top = selectors.party_organisations(grid=grid).filter(grid=grid, parent=None).first()
            services.party_organisation_create(
                actor=request.user,
                grid=grid,
                kind=data["kind"],
                name=data["name"],
                parent=top if data["kind"] != "grid_organisation" else None,
                household=household,
                request=request,
            )
        except InvalidInput as exc:
            put_problems(form, exc)
        else:
            messages.success(request, _("The organisation is recorded."))
            return redirect("workforce:party", code=code)
    return _page(request, code, {"org": form})


@scoped
@require_POST
def party_member_add(request: HttpRequest, code: str) -> HttpResponse:
    grid = _grid_managed(request, code)
    form = MemberForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            user = None
            if data["username"]:
                user = User.objects.filter(username=data["username"], is_active=True).first()
                if user is None:
                    raise InvalidInput(
                        Problem(_("No active login has this username."), field="username")
                    )
            services.party_member_register(
                actor=request.user,
                grid=grid,
                name=data["name"],
                work_unit=data["work_unit"],
                user=user,
                request=request,
            )
        except InvalidInput as exc:
            put_problems(form, exc)
        else:
            messages.success(request, _("The party member is registered to the grid."))
            return redirect("workforce:party", code=code)
    return _page(request, code, {"member": form})


@scoped
@require_POST
def party_link_add(request: HttpRequest, code: str) -> HttpResponse:
    grid = _grid_managed(request, code)
    form = LinkForm(request.POST, grid=grid, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            member = selectors.party_members(grid=grid).get(pk=data["member"])
            worker = selectors.worker_list(user=request.user).get(pk=data["worker"])
            households = list(Household.objects.filter(pk__in=data["households"]))
            services.party_link_create(
                actor=request.user,
                member=member,
                worker=worker,
                households=households,
                request=request,
            )
        except InvalidInput as exc:
            put_problems(form, exc)
        else:
            messages.success(request, _("The 1+1+N link is made."))
            return redirect("workforce:party", code=code)
    return _page(request, code, {"link": form})


@scoped
@require_POST
def party_link_remove(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    grid = _grid_managed(request, code)
    link = selectors.party_link_get(user=request.user, pk=pk)
    if not link.grid_path.startswith(grid.path):
        raise NotFound(_("No such link in your jurisdiction."))
    services.party_link_delete(actor=request.user, link=link, request=request)
    messages.success(request, _("The link is removed."))
    return redirect("workforce:party", code=code)


urlpatterns = [
    path("party/<str:code>/", party_grid, name="party"),
    path("party/<str:code>/organisations", party_organisation_add, name="party_org_add"),
    path("party/<str:code>/members", party_member_add, name="party_member_add"),
    path("party/<str:code>/links", party_link_add, name="party_link_add"),
    path("party/<str:code>/links/<int:pk>/remove", party_link_remove, name="party_link_remove"),
]
