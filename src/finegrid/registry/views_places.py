"""Registering rentals (出租房) and businesses (商户) from the registry pages.

Thin views: parse with a form, call the service, render. A household or grid outside the user's
jurisdiction answers 404 (through the selectors); a service's problems are shown beside the
fields they name and nothing is written. An htmx request gets the form partial, a normal request
the full page that includes it; after a registration htmx is sent on with ``HX-Redirect``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from finegrid.core.errors import InvalidInput, NotFound
from finegrid.core.pages import done_redirect
from finegrid.grids.models import Grid, Kind, Level
from finegrid.grids.selectors import grid_get, grid_list
from finegrid.registry import selectors, services
from finegrid.registry.forms import BusinessCloseForm, BusinessForm, RentalEndForm, RentalForm
from finegrid.registry.views import (
    _grid_choices,
    _paginate,
    _put_problems,
    _reader,
    _render,
    scoped,
)

GRID_SUGGESTIONS = 200  # codes offered in the business form; any other code may still be typed


def _posted(request: HttpRequest) -> Any:
    # an empty POST is still a submission (every rental field is optional)
    return request.POST if request.method == "POST" else None


_done = done_redirect


@scoped
@require_http_methods(["GET", "POST"])
def rental_new(request: HttpRequest, pk: int) -> HttpResponse:
    _reader(request)
    household = selectors.household_get(user=request.user, pk=pk)
    members = (
        selectors.person_queryset(request.user)
        .filter(household=household, deceased_on__isnull=True)
        .order_by("relation", "birth_date", "id")
    )
    form = RentalForm(_posted(request), members=members)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            c = form.cleaned_data
            try:
                services.rental_create(
                    actor=request.user,
                    household=household,
                    landlord=form.chosen_landlord(),
                    tenants=form.chosen_tenants(),
                    registered=c["registered"],
                    lease_start=c["lease_start"],
                    lease_end=c["lease_end"],
                    request=request,
                )
            except InvalidInput as exc:
                _put_problems(form, exc)
            else:
                messages.success(request, _("The rental is registered."))
                return _done(request, reverse("registry:household", args=[household.pk]))
    context = {"household": household, "form": form}
    return _render(
        request, "registry/rental_form.html", "registry/_rental_form.html", context, status
    )


def _place_grids(user: Any) -> list[Grid]:
    """Grids a business may lie in (micro-grids and dedicated grids), as suggestions."""
    micro = grid_list(user=user, level=Level.MICRO).only("code", "name", "path")
    dedicated = grid_list(user=user, kind=Kind.DEDICATED).only("code", "name", "path")
    grids = {g.pk: g for g in [*micro[:GRID_SUGGESTIONS], *dedicated[:GRID_SUGGESTIONS]]}
    return sorted(grids.values(), key=lambda g: g.path)[:GRID_SUGGESTIONS]


@scoped
@require_http_methods(["GET", "POST"])
def business_new(request: HttpRequest) -> HttpResponse:
    _reader(request)
    grids = _place_grids(request.user)
    initial = {"micro_grid": grids[0].code} if len(grids) == 1 else {}
    form = BusinessForm(_posted(request), initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            code = form.cleaned_data["micro_grid"].strip()
            try:
                grid = grid_get(user=request.user, code=code) if code else None
            except NotFound:
                form.add_error("micro_grid", _("No grid with this code in your jurisdiction."))
            else:
                try:
                    services.business_create(
                        actor=request.user, micro_grid=grid, request=request, **form.values()
                    )
                except InvalidInput as exc:
                    _put_problems(form, exc)
                except NotFound:  # the grid it lies in is outside the registry jurisdiction
                    if grid is None:
                        form.add_error("lat", _("The location lies outside your jurisdiction."))
                    else:
                        form.add_error(
                            "micro_grid", _("No grid with this code in your jurisdiction.")
                        )
                else:
                    messages.success(request, _("The business is registered."))
                    return _done(request, reverse("registry:businesses"))
    context = {"form": form, "grids": grids}
    return _render(
        request, "registry/business_form.html", "registry/_business_form.html", context, status
    )


# --- current and past rentals and businesses -------------------------------------------------
# The lists show what is still let / open; ``?show=all`` adds the ended and closed ones.


def _showing_all(request: HttpRequest) -> bool:
    return request.GET.get("show") == "all"


@scoped
@require_http_methods(["GET"])
def rental_list(request: HttpRequest) -> HttpResponse:
    _reader(request)
    grid = request.GET.get("grid", "").strip()
    show_all = _showing_all(request)
    qs = selectors.rental_list(
        user=request.user, grid=grid or None, current=None if show_all else True
    )
    context = {
        "page": _paginate(request, qs),
        "grid": grid,
        "grids": _grid_choices(request.user),
        "show_all": show_all,
    }
    return render(request, "registry/rentals.html", context)


@scoped
@require_http_methods(["GET"])
def business_list(request: HttpRequest) -> HttpResponse:
    _reader(request)
    grid = request.GET.get("grid", "").strip()
    show_all = _showing_all(request)
    qs = selectors.business_list(
        user=request.user, grid=grid or None, current=None if show_all else True
    ).select_related("micro_grid")
    context = {
        "page": _paginate(request, qs),
        "grid": grid,
        "grids": _grid_choices(request.user),
        "show_all": show_all,
    }
    return render(request, "registry/businesses.html", context)


def _back(request: HttpRequest, default: str) -> str:
    """Where to go after ending: the page the form was opened from, if it is ours."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return default


def _end_page(
    request: HttpRequest,
    *,
    form: forms.Form,
    end: Callable[[forms.Form], Any],
    done: Any,
    back: str,
    templates: tuple[str, str],
    context: dict[str, Any],
) -> HttpResponse:
    """Ending a rental and closing a business: one date, then the service, then back."""
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                end(form)
            except InvalidInput as exc:
                _put_problems(form, exc)
                status = exc.status
            else:
                messages.success(request, done)
                return _done(request, back)
    return _render(request, *templates, {**context, "form": form, "next": back}, status)


@scoped
@require_http_methods(["GET", "POST"])
def rental_end(request: HttpRequest, pk: int) -> HttpResponse:
    _reader(request)
    rental = selectors.rental_get(user=request.user, pk=pk)
    return _end_page(
        request,
        form=RentalEndForm(_posted(request)),
        end=lambda form: services.rental_end(
            actor=request.user,
            rental=rental,
            ended_on=form.cleaned_data["ended_on"],
            request=request,
        ),
        done=_("The rental has ended."),
        back=_back(request, reverse("registry:rentals")),
        templates=("registry/rental_end.html", "registry/_rental_end_form.html"),
        context={"rental": rental},
    )


@scoped
@require_http_methods(["GET", "POST"])
def business_close(request: HttpRequest, pk: int) -> HttpResponse:
    _reader(request)
    business = selectors.business_get(user=request.user, pk=pk)
    return _end_page(
        request,
        form=BusinessCloseForm(_posted(request)),
        end=lambda form: services.business_close(
            actor=request.user,
            business=business,
            closed_on=form.cleaned_data["closed_on"],
            request=request,
        ),
        done=_("The business is marked closed."),
        back=_back(request, reverse("registry:businesses")),
        templates=("registry/business_close.html", "registry/_business_close_form.html"),
        context={"business": business},
    )


urlpatterns = [
    path("rentals/", rental_list, name="rentals"),
    path("businesses/", business_list, name="businesses"),
    path("households/<int:pk>/rentals/new/", rental_new, name="rental_new"),
    path("businesses/new/", business_new, name="business_new"),
    path("rentals/<int:pk>/end/", rental_end, name="rental_end"),
    path("businesses/<int:pk>/close/", business_close, name="business_close"),
]
