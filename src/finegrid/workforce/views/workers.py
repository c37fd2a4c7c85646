"""The workers pages (队伍): a list per grid with filters, a worker's page with the lifecycle
buttons and history, the registration form, and the full phone behind a reason.

Thin views: parse with a form, call one service or selector, render. A worker or grid outside
the user's jurisdiction answers 404; one they can see but may not manage answers 403 to a change.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from finegrid.accounts.models import User
from finegrid.core.errors import InvalidInput, Problem
from finegrid.core.pages import is_htmx
from finegrid.core.pages import service_page as scoped
from finegrid.workforce import selectors_workers as selectors
from finegrid.workforce import services_workers as services
from finegrid.workforce.api.workers import current_grids
from finegrid.workforce.forms_workers import (
    MoveForm,
    UnmaskForm,
    WorkerFilterForm,
    WorkerForm,
    split_codes,
)
from finegrid.workforce.models import WorkerStatus
from finegrid.workforce.models.workers import TRANSITIONS
from finegrid.workforce.permissions_workers import (
    access_worker_manage,
    access_worker_phone,
    may_manage_workers,
    may_see_phone,
)

PER_PAGE = 50


def put_problems(form: Any, exc: InvalidInput) -> None:
    for problem in exc.problems:
        message = str(problem.message) % problem.params if problem.params else str(problem.message)
        form.add_error(problem.field if problem.field in form.fields else None, message)


@scoped
@require_GET
def worker_list(request: HttpRequest) -> HttpResponse:
    form = WorkerFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    code = data.get("grid") or ""
    grid = selectors.grid_for(user=request.user, code=code) if code else None
    qs = selectors.worker_list(
        user=request.user,
        grid=grid,
        type=data.get("type") or None,
        origin=data.get("origin") or None,
        status=data.get("status") or None,
    ).prefetch_related(current_grids())
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "grid": grid,
        "page": page,
        "query": query.urlencode(),
        "may_manage": grid is not None and may_manage_workers(request.user, grid.path),
    }
    template = "workforce/workers/_list.html" if is_htmx(request) else "workforce/workers/list.html"
    return render(request, template, context)


def _worker_page(
    request: HttpRequest, pk: int, move_form: MoveForm | None = None, status: int = 200
) -> HttpResponse:
    worker = selectors.worker_get(user=request.user, pk=pk)
    may = may_manage_workers(request.user, worker.grid_path)
    labels = dict(WorkerStatus.choices)
    moves = [(to, labels[to]) for to in WorkerStatus.values if to in TRANSITIONS[worker.status]]
    context = {
        "worker": worker,
        "grids": selectors.worker_grids(worker),
        "events": selectors.worker_events(worker),
        "may_manage": may,
        "moves": moves if may else [],
        "can_exit": may and WorkerStatus.EXITED in TRANSITIONS[worker.status],
        "move_form": move_form or MoveForm(),
        "may_unmask": may_see_phone(request.user, worker.grid_path),
    }
    template = (
        "workforce/workers/_worker.html" if is_htmx(request) else "workforce/workers/worker.html"
    )
    return render(request, template, context, status=status)


@scoped
@require_GET
def worker_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _worker_page(request, pk)


@scoped
@require_POST
def worker_move(request: HttpRequest, pk: int) -> HttpResponse:
    worker = selectors.worker_get(user=request.user, pk=pk)
    access_worker_manage(request.user, worker.grid_path)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            services.worker_move(
                actor=request.user,
                worker=worker,
                to=form.cleaned_data["to"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except InvalidInput as exc:
            put_problems(form, exc)
        else:
            if is_htmx(request):
                return _worker_page(request, pk)
            messages.success(request, _("The worker's status is changed."))
            return redirect("workforce:worker", pk=pk)
    return _worker_page(request, pk, move_form=form, status=422)


@scoped
@require_http_methods(["GET", "POST"])
def worker_new(request: HttpRequest) -> HttpResponse:
    initial = {"grids": request.GET.get("grid", "")}
    form = WorkerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = User.objects.filter(username=data["username"], is_active=True).first()
            if user is None:
                raise InvalidInput(
                    Problem(_("No active login has this username."), field="username")
                )
            grids = services.grids_by_code(split_codes(data["grids"]))
            for g in grids:
                selectors.grid_for(user=request.user, code=g.code)
            worker = services.worker_create(
                actor=request.user,
                user=user,
                data=services.WorkerData(
                    type=data["type"],
                    origin=data["origin"],
                    grids=grids,
                    phone=data["phone"],
                    skills=split_codes(data["skills"]),
                ),
                reason=data["reason"],
                request=request,
            )
        except InvalidInput as exc:
            put_problems(form, exc)
        else:
            messages.success(request, _("The worker is registered; their status is “applied”."))
            return redirect("workforce:worker", pk=worker.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "workforce/workers/new.html", {"form": form}, status=status)


@scoped
@require_http_methods(["GET", "POST"])
def worker_phone(request: HttpRequest, pk: int) -> HttpResponse:
    worker = selectors.worker_get(user=request.user, pk=pk)
    access_worker_phone(request.user, worker.grid_path)
    form = UnmaskForm(request.POST or None)
    value = ""
    if request.method == "POST" and form.is_valid():
        try:
            value = services.worker_unmask_phone(
                actor=request.user,
                worker=worker,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except InvalidInput as exc:
            put_problems(form, exc)
    context = {"worker": worker, "form": form, "value": value}
    template = (
        "workforce/workers/_phone.html" if is_htmx(request) else "workforce/workers/phone.html"
    )
    response = render(request, template, context)
    response["Cache-Control"] = "no-store"  # a full value must not linger in any cache
    return response


urlpatterns = [
    path("workers/", worker_list, name="workers"),
    path("workers/new/", worker_new, name="worker_new"),
    path("workers/<int:pk>/", worker_detail, name="worker"),
    path("workers/<int:pk>/move", worker_move, name="worker_move"),
    path("workers/<int:pk>/phone/", worker_phone, name="worker_phone"),
]
