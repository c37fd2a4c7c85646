"""The taxonomy pages: the street's administrators keep case categories and departments here.

Thin views: parse with a form, call one service or selector, render. Anyone else is refused
(403) by the selectors. A refused change shows each problem beside its field and writes nothing;
after a change htmx is sent on to the list with ``HX-Redirect``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from finegrid.accounts.actors import signed_in
from finegrid.cases import selectors_taxonomy as selectors
from finegrid.cases import services_taxonomy as services
from finegrid.cases.forms import put_problems
from finegrid.cases.forms_taxonomy import CategoryForm, DepartmentForm
from finegrid.cases.permissions import access_taxonomy_manage
from finegrid.cases.views import _problem_text, _render, cased
from finegrid.core.audit import Origin
from finegrid.core.errors import InvalidInput
from finegrid.core.pages import done_redirect

FORM_PAGE = "cases/taxonomy_form.html"
FORM_PARTIAL = "cases/_taxonomy_form.html"


_done = done_redirect


def _saved(
    request: HttpRequest, form: Any, save: Callable[[], object], done: str, message: Any
) -> HttpResponse | None:
    """Run the service for a valid form; None (and the problems on the form) if refused."""
    if not form.is_valid():
        return None
    try:
        save()
    except InvalidInput as exc:
        put_problems(form, exc)
        return None
    messages.success(request, message)
    return _done(request, reverse(done))


def _form_page(request: HttpRequest, context: dict[str, Any], status: int) -> HttpResponse:
    return _render(request, FORM_PAGE, FORM_PARTIAL, context, status)


@cased
def categories(request: HttpRequest) -> HttpResponse:
    found = list(selectors.category_list(user=request.user, include_inactive=True))
    return _render(
        request,
        "cases/taxonomy_categories.html",
        "cases/taxonomy_categories.html",
        {"categories": found},
    )


@cased
@require_http_methods(["GET", "POST"])
def category_new(request: HttpRequest) -> HttpResponse:
    access_taxonomy_manage(request.user)
    form = CategoryForm(request.POST or None, initial=dataclasses.asdict(_blank_category()))
    if request.method == "POST":

        def save() -> object:
            return services.category_create(
                actor=signed_in(request),
                code=form.cleaned_data["code"],
                spec=form.spec(),
                origin=Origin.of(request),
            )

        done = _saved(request, form, save, "cases:categories", _("The category is added."))
        if done is not None:
            return done
    context = {"form": form, "title": _("New category"), "action": reverse("cases:category_new")}
    return _form_page(request, {**context, "back": reverse("cases:categories")}, _status(request))


def _blank_category() -> services.CategorySpec:
    return services.CategorySpec(name="", name_en="")


def _status(request: HttpRequest) -> int:
    return 422 if request.method == "POST" else 200


@cased
@require_http_methods(["GET", "POST"])
def category_edit(request: HttpRequest, code: str) -> HttpResponse:
    category = selectors.category_get(user=request.user, code=code, manage=True)
    initial = dataclasses.asdict(services.category_spec(category))
    form = CategoryForm(request.POST or None, initial=initial, category=category)
    if request.method == "POST":

        def save() -> object:
            return services.category_update(
                actor=signed_in(request),
                category=category,
                spec=form.spec(),
                origin=Origin.of(request),
            )

        done = _saved(request, form, save, "cases:categories", _("The category is saved."))
        if done is not None:
            return done
    context = {
        "form": form,
        "title": category.label,
        "code": category.code,
        "action": reverse("cases:category_edit", args=[category.code]),
        "back": reverse("cases:categories"),
    }
    return _form_page(request, context, _status(request))


def _acted(
    request: HttpRequest, act: Callable[[], object], done: str, message: Any
) -> HttpResponse:
    try:
        act()
    except InvalidInput as exc:
        messages.error(request, _problem_text(exc))
    else:
        messages.success(request, message)
    return _done(request, reverse(done))


@cased
@require_POST
def category_deactivate(request: HttpRequest, code: str) -> HttpResponse:
    category = selectors.category_get(user=request.user, code=code, manage=True)
    return _acted(
        request,
        lambda: services.category_deactivate(
            actor=signed_in(request), category=category, origin=Origin.of(request)
        ),
        "cases:categories",
        _("The category is deactivated: no new case can be reported under it."),
    )


@cased
@require_POST
def category_delete(request: HttpRequest, code: str) -> HttpResponse:
    category = selectors.category_get(user=request.user, code=code, manage=True)
    return _acted(
        request,
        lambda: services.category_delete(
            actor=signed_in(request), category=category, origin=Origin.of(request)
        ),
        "cases:categories",
        _("The category is deleted."),
    )


@cased
def departments(request: HttpRequest) -> HttpResponse:
    found = list(selectors.department_list(user=request.user, include_inactive=True))
    return _render(
        request,
        "cases/taxonomy_departments.html",
        "cases/taxonomy_departments.html",
        {"departments": found},
    )


@cased
@require_http_methods(["GET", "POST"])
def department_new(request: HttpRequest) -> HttpResponse:
    candidates = selectors.staff_candidates(user=request.user)
    initial = dataclasses.asdict(services.DepartmentSpec(name="", name_en=""))
    form = DepartmentForm(request.POST or None, initial=initial, candidates=candidates)
    if request.method == "POST":

        def save() -> object:
            return services.department_create(
                actor=signed_in(request),
                code=form.cleaned_data["code"],
                spec=form.spec(),
                origin=Origin.of(request),
            )

        done = _saved(request, form, save, "cases:departments", _("The department is added."))
        if done is not None:
            return done
    context = {
        "form": form,
        "title": _("New department"),
        "action": reverse("cases:department_new"),
        "back": reverse("cases:departments"),
    }
    return _form_page(request, context, _status(request))


@cased
@require_http_methods(["GET", "POST"])
def department_edit(request: HttpRequest, code: str) -> HttpResponse:
    department = selectors.department_get(user=request.user, code=code, manage=True)
    candidates = selectors.staff_candidates(user=request.user)
    initial = dataclasses.asdict(services.department_spec(department))
    form = DepartmentForm(
        request.POST or None, initial=initial, department=department, candidates=candidates
    )
    if request.method == "POST":

        def save() -> object:
            return services.department_update(
                actor=signed_in(request),
                department=department,
                spec=form.spec(),
                origin=Origin.of(request),
            )

        done = _saved(request, form, save, "cases:departments", _("The department is saved."))
        if done is not None:
            return done
    context = {
        "form": form,
        "title": department.label,
        "code": department.code,
        "action": reverse("cases:department_edit", args=[department.code]),
        "back": reverse("cases:departments"),
    }
    return _form_page(request, context, _status(request))


@cased
@require_POST
def department_deactivate(request: HttpRequest, code: str) -> HttpResponse:
    department = selectors.department_get(user=request.user, code=code, manage=True)
    return _acted(
        request,
        lambda: services.department_deactivate(
            actor=signed_in(request), department=department, origin=Origin.of(request)
        ),
        "cases:departments",
        _("The department is deactivated: it can no longer be whistled."),
    )


urlpatterns = [
    path("categories/", categories, name="categories"),
    path("categories/new/", category_new, name="category_new"),
    path("categories/<slug:code>/", category_edit, name="category_edit"),
    path("categories/<slug:code>/deactivate/", category_deactivate, name="category_deactivate"),
    path("categories/<slug:code>/delete/", category_delete, name="category_delete"),
    path("departments/", departments, name="departments"),
    path("departments/new/", department_new, name="department_new"),
    path("departments/<slug:code>/", department_edit, name="department_edit"),
    path(
        "departments/<slug:code>/deactivate/", department_deactivate, name="department_deactivate"
    ),
]
