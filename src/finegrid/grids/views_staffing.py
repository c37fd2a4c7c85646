"""The staffing page (人员配置): who holds each duty of a grid, since when, who held it before,
and forms to assign, replace and end.

Thin views: parse with a form, call one service, render. A grid outside the user's jurisdiction
answers 404 (through the selectors); one they can see but may not staff answers 403 to a change.
An htmx request gets the staffing partial back, re-rendered from the database, with a refused
form open and its errors beside the fields; a normal request is redirected back to the page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from finegrid.core.errors import Forbidden, InvalidInput, NotFound
from finegrid.grids import selectors, services
from finegrid.grids.forms import AssignForm, EndForm, ReplaceForm
from finegrid.grids.models import SINGLE_HOLDER_DUTIES, Duty, Grid, Responsibility
from finegrid.grids.permissions import access_staffing, may_staff

R = TypeVar("R", bound=HttpResponseBase)

Failed = tuple[str, Any, forms.Form]  # (kind, key, bound form): the form a refusal reopens


def scoped(view: Callable[..., R]) -> Callable[..., R]:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> R:
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None
        except Forbidden as exc:
            raise PermissionDenied(str(exc)) from None

    return wrapper


def _is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request")) and not request.headers.get(
        "HX-History-Restore-Request"
    )


def _put_problems(form: forms.Form, exc: InvalidInput) -> None:
    for problem in exc.problems:
        message = str(problem.message) % problem.params if problem.params else str(problem.message)
        form.add_error(problem.field if problem.field in form.fields else None, message)


def _sections(
    grid: Grid, rows: list[Responsibility], picker: str, may: bool, failed: Failed | None
) -> list[dict[str, Any]]:
    def form(kind: str, key: Any, cls: type[forms.Form], **initial: Any) -> forms.Form | None:
        if not may:
            return None
        if failed is not None and failed[0] == kind and failed[1] == key:
            return failed[2]
        extra: dict[str, Any] = {} if cls is EndForm else {"picker_url": picker}
        return cls(initial=initial, auto_id=f"id_{kind}_{key}_%s", **extra)

    labels = dict(Duty.choices)
    duties = list(services.duties_for(grid))
    # a duty held here that the level no longer carries (older data) is still shown, to be ended
    duties += sorted({r.duty for r in rows} - set(duties))
    sections = []
    for duty in duties:
        held = [r for r in rows if r.duty == duty]
        current = [r for r in held if r.ended_at is None]
        single = duty in SINGLE_HOLDER_DUTIES
        sections.append(
            {
                "duty": duty,
                "label": labels.get(duty, duty),
                "single": single,
                "holders": [
                    {
                        "r": r,
                        "replace": form("replace", r.pk, ReplaceForm),
                        "end": form("end", r.pk, EndForm),
                    }
                    for r in current
                ],
                "history": [r for r in held if r.ended_at is not None],
                "assign": form("assign", duty, AssignForm, duty=duty)
                if not (single and current) and duty in services.duties_for(grid)
                else None,
                "open": failed is not None and failed[0] == "assign" and failed[1] == duty,
            }
        )
    return sections


def _stray(sections: list[dict[str, Any]], failed: Failed | None) -> list[str]:
    """A refusal whose form is no longer on the page (the duty ended meanwhile): its words go
    on top."""
    if failed is None:
        return []
    placed = {("assign", s["duty"]) for s in sections if s["assign"]}
    placed |= {(k, h["r"].pk) for s in sections for h in s["holders"] for k in ("replace", "end")}
    if (failed[0], failed[1]) in placed:
        return []
    return [str(e) for errors in failed[2].errors.values() for e in errors]


def _page(
    request: HttpRequest,
    code: str,
    failed: Failed | None = None,
    status: int = 200,
    notice: Any = None,
) -> HttpResponse:
    grid, rows = selectors.staffing_of(user=request.user, code=code)
    may = may_staff(request.user, grid.path)
    picker = _picker(grid.code)
    context = {
        "grid": grid,
        "ancestors": selectors.grid_ancestors(grid),
        "may_staff": may,
        "sections": _sections(grid, rows, picker, may, failed),
        "failed_key": (failed[0], failed[1]) if failed else None,
        "notice": notice,
        "people": selectors.assignable_people(user=request.user, path=grid.path) if may else [],
    }
    context["stray_errors"] = _stray(context["sections"], failed)
    template = "grids/_staffing.html" if _is_htmx(request) else "grids/staffing.html"
    return render(request, template, context, status=status)


@scoped
@require_GET
def staffing(request: HttpRequest, code: str) -> HttpResponse:
    return _page(request, code)


def _done(request: HttpRequest, code: str, message: Any) -> HttpResponse:
    if _is_htmx(request):
        return _page(request, code, notice=message)
    messages.success(request, message)
    return redirect("grids:staffing", code=code)


def _refused(request: HttpRequest, code: str, failed: Failed) -> HttpResponse:
    return _page(request, code, failed=failed, status=422)


@scoped
@require_POST
def staffing_assign(request: HttpRequest, code: str) -> HttpResponse:
    grid = selectors.grid_get(user=request.user, code=code)
    access_staffing(request.user, grid.path)
    form = AssignForm(request.POST, picker_url=_picker(code))
    duty = request.POST.get("duty", "")
    if form.is_valid():
        try:
            person = selectors.assignable_person(
                user=request.user, path=grid.path, username=form.cleaned_data["person"]
            )
            services.responsibility_assign(
                person=person, duty=duty, grid=grid, actor=request.user, request=request
            )
        except InvalidInput as exc:
            _put_problems(form, exc)
        else:
            return _done(request, code, _("The duty is assigned."))
    return _refused(request, code, ("assign", duty, form))


def _picker(code: str) -> str:
    return reverse("grids:staffing_people", args=[code])


def _held(request: HttpRequest, code: str, pk: int) -> Responsibility:
    """A responsibility of this grid, in the user's jurisdiction, that the user may change."""
    r = selectors.responsibility_get(user=request.user, pk=pk)
    if r.grid is None or r.grid.code != code:
        raise NotFound(_("No such responsibility in your jurisdiction."))
    access_staffing(request.user, r.grid_path)
    return r


@scoped
@require_POST
def staffing_replace(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    r = _held(request, code, pk)
    form = ReplaceForm(request.POST, picker_url=_picker(code))
    if form.is_valid():
        try:
            person = selectors.assignable_person(
                user=request.user, path=r.grid_path, username=form.cleaned_data["person"]
            )
            services.responsibility_replace(
                responsibility=r,
                person=person,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except InvalidInput as exc:
            _put_problems(form, exc)
        else:
            return _done(request, code, _("The duty has passed to its new holder."))
    return _refused(request, code, ("replace", r.pk, form))


@scoped
@require_POST
def staffing_end(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    r = _held(request, code, pk)
    form = EndForm(request.POST)
    if form.is_valid():
        try:
            services.responsibility_end(
                responsibility=r,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except InvalidInput as exc:
            _put_problems(form, exc)
        else:
            return _done(request, code, _("The duty is ended; it stays in the history."))
    return _refused(request, code, ("end", r.pk, form))


@scoped
@require_GET
def staffing_people(request: HttpRequest, code: str) -> HttpResponse:
    """Options of the person picker, for what was typed so far."""
    grid = selectors.grid_get(user=request.user, code=code)
    access_staffing(request.user, grid.path)
    query = request.GET.get("person") or request.GET.get("q") or ""
    people = selectors.assignable_people(user=request.user, path=grid.path, query=query[:50])
    return render(request, "grids/_staffing_people.html", {"people": people})


urlpatterns = [
    path("grids/<str:code>/staffing/", staffing, name="staffing"),
    path("grids/<str:code>/staffing/assign", staffing_assign, name="staffing_assign"),
    path("grids/<str:code>/staffing/<int:pk>/replace", staffing_replace, name="staffing_replace"),
    path("grids/<str:code>/staffing/<int:pk>/end", staffing_end, name="staffing_end"),
    path("grids/<str:code>/staffing/people", staffing_people, name="staffing_people"),
]
