"""The staffing page (人员配置): who holds each duty of a grid, since when, who held it before,
and forms to assign, replace and end.

Thin views: parse with a form, call one service, render. A grid outside the user's jurisdiction
answers 404 (through the selectors); one they can see but may not staff answers 403 to a change.
An htmx request gets the staffing partial back, re-rendered from the database, with a refused
form open and its errors beside the fields; a normal request is redirected back to the page.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from finegrid.core.errors import InvalidInput, NotFound
from finegrid.core.pages import is_htmx as _is_htmx
from finegrid.core.pages import service_page as scoped
from finegrid.grids import selectors, services
from finegrid.grids.forms import AssignForm, EndForm, ReplaceForm
from finegrid.grids.models import SINGLE_HOLDER_DUTIES, Duty, Grid, Responsibility
from finegrid.grids.permissions import access_staffing, may_staff

Failed = tuple[str, Any, forms.Form]  # (kind, key, bound form): the form a refusal reopens


def _put_problems(form: forms.Form, exc: InvalidInput) -> None:
    for problem in exc.problems:
        message = str(problem.message) % problem.params if problem.params else str(problem.message)
        form.add_error(problem.field if problem.field in form.fields else None, message)


def _target_key(target: services.Target) -> str:
    """How a form names the node it staffs: "" for the page's grid, "building:12" for a place."""
    return "" if isinstance(target, Grid) else f"{type(target).__name__.lower()}:{target.pk}"


class _Forms:
    """The forms of one page: unbound ones, except the refused one, put back with its errors."""

    def __init__(self, picker: str, may: bool, failed: Failed | None) -> None:
        self.picker, self.may, self.failed = picker, may, failed
        self.placed: set[tuple[str, Any]] = set()

    def get(self, kind: str, key: Any, cls: type[forms.Form], **initial: Any) -> forms.Form | None:
        if not self.may:
            return None
        self.placed.add((kind, key))
        if self.failed is not None and self.failed[0] == kind and self.failed[1] == key:
            return self.failed[2]
        extra: dict[str, Any] = {} if cls is EndForm else {"picker_url": self.picker}
        auto_id = f"id_{kind}_{key}_%s".replace(":", "_")
        return cls(initial=initial, auto_id=auto_id, **extra)

    def stray(self) -> list[str]:
        """A refusal whose form is no longer on the page (the duty ended meanwhile): its words
        go on top."""
        failed = self.failed
        if failed is None or (failed[0], failed[1]) in self.placed:
            return []
        return [str(e) for errors in failed[2].errors.values() for e in errors]


def _sections(
    target: services.Target, rows: list[Responsibility], forms_: _Forms
) -> list[dict[str, Any]]:
    labels = dict(Duty.choices)
    carried = services.duties_for(target)
    # a duty held here that the node no longer carries (older data) is still shown, to be ended
    duties = [*carried, *sorted({r.duty for r in rows} - set(carried))]
    tkey = _target_key(target)
    sections = []
    for duty in duties:
        held = [r for r in rows if r.duty == duty]
        current = [r for r in held if r.ended_at is None]
        single = duty in SINGLE_HOLDER_DUTIES
        slot = f"{tkey}:{duty}" if tkey else duty
        open_ = forms_.get("assign", slot, AssignForm, duty=duty, target=tkey)
        sections.append(
            {
                "duty": duty,
                "label": labels.get(duty, duty),
                "single": single,
                "holders": [
                    {
                        "r": r,
                        "replace": forms_.get("replace", r.pk, ReplaceForm),
                        "end": forms_.get("end", r.pk, EndForm),
                    }
                    for r in current
                ],
                "history": [r for r in held if r.ended_at is not None],
                "assign": open_ if not (single and current) and duty in carried else None,
                "open": forms_.failed is not None and forms_.failed[:2] == ("assign", slot),
            }
        )
        if sections[-1]["assign"] is None:
            forms_.placed.discard(("assign", slot))
    return sections


def _places(grid: Grid, forms_: _Forms) -> list[dict[str, Any]]:
    """The estates and buildings of a micro-grid, each with its duties (五级责任体系: the street
    cadre of the estate, the committee member and head of the building)."""
    places, rows = selectors.place_staffing(grid=grid)
    out = []
    for place in places:
        mine = [r for r in rows if _row_key(r) == _target_key(place)]
        out.append(
            {
                "key": _target_key(place),
                "kind": type(place).__name__.lower(),
                "place": place,
                "sections": _sections(place, mine, forms_),
            }
        )
    return out


def _row_key(r: Responsibility) -> str:
    for kind in ("estate", "building", "household"):
        pk = getattr(r, f"{kind}_id")
        if pk is not None:
            return f"{kind}:{pk}"
    return ""


def _page(
    request: HttpRequest,
    code: str,
    failed: Failed | None = None,
    status: int = 200,
    notice: Any = None,
) -> HttpResponse:
    grid, rows = selectors.staffing_of(user=request.user, code=code)
    may = may_staff(request.user, grid.path)
    forms_ = _Forms(_picker(grid.code), may, failed)
    context = {
        "grid": grid,
        "ancestors": selectors.grid_ancestors(grid),
        "may_staff": may,
        "sections": _sections(grid, rows, forms_),
        "places": _places(grid, forms_),
        "failed_key": (failed[0], failed[1]) if failed else None,
        "notice": notice,
        "people": selectors.assignable_people(user=request.user, path=grid.path) if may else [],
    }
    context["stray_errors"] = forms_.stray()
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
    tkey = request.POST.get("target", "")
    slot = f"{tkey}:{duty}" if tkey else duty
    if form.is_valid():
        try:
            target = selectors.staffing_target(grid=grid, key=tkey)
            person = selectors.assignable_person(
                user=request.user, path=grid.path, username=form.cleaned_data["person"]
            )
            services.responsibility_assign(
                person=person,
                duty=duty,
                actor=request.user,
                request=request,
                **{type(target).__name__.lower(): target},
            )
        except InvalidInput as exc:
            _put_problems(form, exc)
        else:
            return _done(request, code, _("The duty is assigned."))
    return _refused(request, code, ("assign", slot, form))


def _picker(code: str) -> str:
    return reverse("grids:staffing_people", args=[code])


def _held(request: HttpRequest, code: str, pk: int) -> Responsibility:
    """A responsibility of this grid, in the user's jurisdiction, that the user may change."""
    r = selectors.responsibility_get(user=request.user, pk=pk)
    grid = selectors.grid_get(user=request.user, code=code)
    if r.grid_path != grid.path:  # the grid's own duties and those of the places in it
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
