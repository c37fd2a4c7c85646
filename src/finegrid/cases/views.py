"""Case pages: the worker app (phone), dispatcher and department queues (desktop), the case page
and the reporter's public follow-up page.

Thin views: parse a form, call one service or selector, render. Every read goes through a
selector that takes the user, so a case outside the user's jurisdiction answers 404 like a
missing one. An htmx request gets the partial, a normal request the full page that includes it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from finegrid.accounts.actors import signed_in, signed_in_or_none
from finegrid.accounts.jurisdiction import scope_for, user_roles
from finegrid.accounts.models import Role
from finegrid.cases import forms as f
from finegrid.cases import selectors, services
from finegrid.cases.models import (
    OPEN_WHISTLE_STATUSES,
    Case,
    Department,
    Source,
    Status,
    Track,
    WhistleStatus,
)
from finegrid.cases.permissions import CASE_READERS, FIELD, access_case_act, may_manage_taxonomy
from finegrid.cases.photos import stored_photos
from finegrid.cases.routing import route_of
from finegrid.cases.views_moves import PAGE_MOVES, Act, carry_up_target
from finegrid.cases.workflow import MOVES, PUBLIC_ACTIONS, Action, Over, allowed, event_label
from finegrid.core.errors import Forbidden, InvalidInput, NotFound, Problem
from finegrid.core.pages import is_htmx as _is_htmx
from finegrid.core.pages import service_page as cased
from finegrid.grids import selectors as grid_selectors
from finegrid.grids.models import Duty
from finegrid.grids.views import picker_config

PER_PAGE = 50

# The buttons of the case page, from the table of moves, in the order a case meets them.
BUTTONS = {action: move.button for action, move in MOVES.items() if move.button is not None}
# 上报: the button says where the case goes
CARRY_UP_BUTTONS = {
    "community": _("Escalate to the community"),
    "street": _("Escalate to the street"),
}
DEPARTMENT_ACTIONS = frozenset(a for a, m in MOVES.items() if m.over is Over.DEPARTMENT)
# Buttons shown once per whistle of the case rather than once per case.
WHISTLE_ACTIONS = frozenset(DEPARTMENT_ACTIONS | {Action.WITHDRAW_WHISTLE})


# --- helpers --------------------------------------------------------------------------------


def _render(
    request: HttpRequest, page: str, partial: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(request, partial if _is_htmx(request) else page, context, status=status)


def may(user: Any, case: Case, action: str) -> bool:
    """Whether ``user`` may take ``action`` on ``case`` by jurisdiction and role (not status)."""
    try:
        access_case_act(user, case, action)
    except (Forbidden, NotFound):
        return False
    return True


def _span(delta: dt.timedelta) -> str:
    minutes = int(abs(delta.total_seconds()) // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return str(_("%(d)d d %(h)d h") % {"d": days, "h": hours})
    if hours:
        return str(_("%(h)d h %(m)d min") % {"h": hours, "m": mins})
    return str(_("%(m)d min") % {"m": mins})


def deadline_of(case: Case, now: dt.datetime) -> dict[str, Any]:
    """The running deadline (accept, then resolve) and how far off it is, in words."""
    due = case.accept_due if case.accepted_at is None else case.resolve_due
    kind = _("Accept by") if case.accepted_at is None else _("Resolve by")
    if due >= now:
        text = str(_("%(span)s left") % {"span": _span(due - now)})
    else:
        text = str(_("%(span)s overdue") % {"span": _span(now - due)})
    return {"due": due, "kind": kind, "text": text, "overdue": due < now}


def _mask_name(name: str) -> str:
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def _problem_line(problem: Problem) -> str:
    text = str(problem.message)
    return text % problem.params if problem.params else text


def _problem_text(exc: Exception) -> str:
    if isinstance(exc, InvalidInput):
        return _problem_line(exc.problems[0])
    message = getattr(exc, "message", str(exc))
    params = getattr(exc, "params", None)
    return str(message) % params if params else str(message)


# --- worker app: my tasks, report -----------------------------------------------------------


@cased
def mine(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    tasks = list(selectors.my_tasks(user=request.user)[:200])
    cards = [{"case": c, "deadline": deadline_of(c, now)} for c in tasks]
    return _render(request, "cases/mine.html", "cases/_mine_cards.html", {"cards": cards})


def _default_source(user: Any) -> str:
    if user_roles(user) & {Role.GRID_HEAD, Role.GRID_WORKER}:
        return Source.PATROL
    return Source.MICRO_WORKER


def _picker(user: Any) -> dict[str, Any]:
    roots = grid_selectors.scope_roots(user=user)
    start = next(
        (
            (g.center_lat, g.center_lng)
            for g in roots
            if g.center_lat is not None and g.center_lng is not None
        ),
        None,
    )
    return picker_config(outline=roots, start=start)


def _elsewhere(user: Any, case: Case) -> str | None:
    """When a field worker reports a place outside their own grids, the message that says where
    the case went: they will not find it in their tasks."""
    field_scope = scope_for(user, roles=FIELD)
    if field_scope.empty or field_scope.covers(case.grid_path):
        return None
    return str(
        _("This place lies outside your grids: the case went to %(micro)s, handled by %(grid)s.")
        % {"micro": case.micro_grid.name, "grid": case.handling_grid.name}
    )


@cased
@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    households = selectors.households_for_report(user=request.user)
    quick = request.GET.get("quick") == "1" or request.POST.get("quick") in ("True", "on", "1")
    if request.method == "GET":
        form = f.ReportForm(
            households=households,
            quick=quick,
            initial={"source": _default_source(request.user), "quick": quick},
        )
        context = {"form": form, "quick": quick, "picker": _picker(request.user)}
        return render(request, "cases/new.html", context)
    form = f.ReportForm(request.POST, households=households, quick=quick)
    status = 422
    if form.is_valid():
        d = form.cleaned_data
        report = services.CaseReport(
            category=d["category"],
            description=d["description"] or "",
            source=d["source"],
            lat=d["lat"],
            lng=d["lng"],
            household_id=d.get("household"),
            address=d["address"],
            urgency=d["urgency"],
            reporter_name=d["reporter_name"],
            reporter_phone=d["reporter_phone"],
        )
        try:
            with stored_photos(request) as report.photos:  # removed again if refused
                case, _created = services.case_report(
                    actor=signed_in(request),
                    report=report,
                    idempotency_key=d["idempotency_key"],
                )
        except services.IdempotencyMismatch:
            # The same page sent twice with new photo copies: the first one made the case.
            form.add_error(None, _("This report was already sent; find it in My tasks."))
            status = 409
        except InvalidInput as exc:
            f.put_problems(form, exc, rename={"household_id": "household", "file": "photos"})
            status = exc.status
        else:
            messages.success(
                request,
                _("Reported: case %(number)s, follow-up code %(code)s.")
                % {"number": case.number, "code": case.follow_code},
            )
            elsewhere = _elsewhere(request.user, case)
            if elsewhere:
                messages.warning(request, elsewhere)
            if scope_for(request.user, roles=CASE_READERS).covers(case.grid_path):
                return redirect("cases:detail", pk=case.pk)
            return redirect("track:follow", code=case.follow_code)
    context = {"form": form, "quick": quick, "picker": _picker(request.user)}
    return render(request, "cases/new.html", context, status=status)


# --- the case page --------------------------------------------------------------------------


def _available(user: Any, case: Case, action: Action) -> bool:
    """Whether the case page offers ``action``: the table lets it start from the case's status,
    the user may take it, and (上报) there is a level above to carry the case to."""
    if not allowed(action, case.status) or not may(user, case, action):
        return False
    return action != Action.ESCALATE or bool(carry_up_target(case))


def _case_context(
    request: HttpRequest,
    case: Case,
    *,
    failed: str | None = None,
    failed_form: forms.Form | None = None,
    done: str | None = None,
) -> dict[str, Any]:
    user = request.user
    actions = [a for a in BUTTONS if a not in WHISTLE_ACTIONS and _available(user, case, a)]
    extra: dict[str, Any] = {}
    if {Action.DISPATCH, Action.REASSIGN} & set(actions):
        extra["assignables"] = selectors.assignable_users(case=case, actor=user)
    if Action.SUPERVISE in actions:
        extra["handlers"] = selectors.handler_candidates(paths=[case.grid_path])
    if Action.MERGE in actions:
        extra["duplicates"] = selectors.duplicate_candidates(
            category_id=case.category_id, lat=case.lat, lng=case.lng, exclude=case.pk
        )
    extra["route"] = route = route_of(case)
    whistles = list(selectors.department_whistles(user=user, case=case))
    buttons: list[dict[str, Any]] = []
    for action in actions:
        form = failed_form if action == failed else PAGE_MOVES[action].form(case, None, extra)
        label = BUTTONS[action]
        if action == Action.ESCALATE:
            label = CARRY_UP_BUTTONS[carry_up_target(case) or "community"]
        buttons.append({"action": action, "label": label, "form": form})
    for w in whistles:
        part = Action.REPORT_IN if w.status == WhistleStatus.WHISTLED else Action.DEPT_RESOLVE
        form = (
            failed_form
            if part == failed
            else f.DepartmentActForm(
                initial={"department": w.department_id},
                departments=[w.department],
                with_photos=part == Action.DEPT_RESOLVE,
            )
        )
        buttons.append({"action": part, "label": BUTTONS[part], "form": form, "whistle": w})
    all_whistles = list(case.whistles.select_related("department").order_by("whistled_at"))
    buttons += _withdraw_buttons(user, case, all_whistles, failed, failed_form)
    for b in buttons:
        b["open"] = failed_form is not None and b["form"] is failed_form
    # A refused action whose button is not on the page (the status moved on): its message on top.
    stray = (
        []
        if failed_form is None or any(b["open"] for b in buttons)
        else [str(e) for errors in failed_form.errors.values() for e in errors]
    )
    trace = selectors.case_trace(case)
    statuses = dict(Status.choices)
    duties = dict(Duty.choices)
    return {
        "case": case,
        "deadline": deadline_of(case, timezone.now()) if case.is_open else None,
        "reporter": _mask_name(case.reporter_name),
        "trace": [_trace_row(e, statuses, duties) for e in trace],
        "buttons": buttons,
        "failed": failed,
        "duplicates": extra.get("duplicates") or [],
        "whistles": all_whistles,
        "done": done,
        "stray_errors": stray,
        "satisfaction": dict(f.SATISFACTION_CHOICES).get(case.satisfaction, case.satisfaction),
        "place": _case_place(case),
        "route": route,
        "whistle_offered": route.department_task is not None and Action.WHISTLE in actions,
    }


def _trace_row(e: Any, statuses: dict[str, Any], duties: dict[str, Any]) -> dict[str, Any]:
    tracks = dict(Track.choices)
    data = e.data or {}
    return {
        "event": e,
        "label": event_label(e.action, data),
        "from": statuses.get(e.from_status, ""),
        "to": statuses.get(e.to_status, "") if e.to_status != e.from_status else "",
        # who answered with the follow-up code, when not the signed-in reporter (an answer from
        # before the trace said so, with no one signed in, was a code's holder too)
        "by_code": data.get("by") == "code_holder"
        or (e.action == Action.FEEDBACK and "by" not in data and e.actor_id is None),
        "uncounted": e.action == Action.FEEDBACK and data.get("counted") is False,
        "track_from": tracks.get(data.get("track_from", "")),
        "track_to": tracks.get(data.get("track_to", "")),
        "grids": (data["from_name"], data["to_name"]) if "to_name" in data else None,
        # who held the duty when the case came in, kept on the event (decision 0005)
        "responsible": [
            {"name": r.get("name", ""), "duty": duties.get(r.get("duty"), "")}
            for r in data.get("responsible", [])
        ],
    }


def _case_place(case: Case) -> dict[str, Any] | None:
    """The small map of the case page: the case's point inside its micro-grid."""
    if case.lat is None or case.lng is None:
        return None
    config = picker_config(outline=[case.micro_grid], start=(case.lat, case.lng))
    return {**config, "point": [case.lat, case.lng]}


def _withdraw_buttons(
    user: Any,
    case: Case,
    whistles: list[Any],
    failed: str | None,
    failed_form: forms.Form | None,
) -> list[dict[str, Any]]:
    """One "withdraw" button per whistle still open, for whoever may whistle on the case."""
    open_whistles = [w for w in whistles if w.status in OPEN_WHISTLE_STATUSES]
    if not open_whistles or not may(user, case, Action.WITHDRAW_WHISTLE):
        return []
    buttons = []
    for w in open_whistles:
        # a refused withdrawal goes back under the button of the whistle it was meant for
        refused_here = (
            failed == Action.WITHDRAW_WHISTLE
            and failed_form is not None
            and failed_form.data.get("department") == str(w.department_id)
        )
        form = (
            failed_form
            if refused_here
            else f.WithdrawWhistleForm(initial={"department": w.department_id})
        )
        label = BUTTONS[Action.WITHDRAW_WHISTLE]
        buttons.append(
            {"action": Action.WITHDRAW_WHISTLE, "label": label, "form": form, "whistle": w}
        )
    return buttons


@cased
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(user=request.user, pk=pk)
    return _render(request, "cases/case.html", "cases/_case.html", _case_context(request, case))


@cased
@require_POST
def case_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    case = selectors.case_get(user=request.user, pk=pk)
    if action not in Action.values or Action(action) not in PAGE_MOVES:
        raise Http404
    move = Action(action)
    page_move = PAGE_MOVES[move]
    user = signed_in(request)
    extra: dict[str, Any] = {}
    if move in (Action.DISPATCH, Action.REASSIGN):
        extra["assignables"] = selectors.assignable_users(case=case, actor=user)
    if move == Action.SUPERVISE:
        extra["handlers"] = selectors.handler_candidates(paths=[case.grid_path])
    if move in DEPARTMENT_ACTIONS:
        extra["departments"] = list(Department.objects.filter(staff=user.pk))
    form = page_move.form(case, request.POST, extra)
    status = 422
    if form.is_valid():
        try:
            page_move.perform(Act(request, user, case, form, form.cleaned_data))
        except InvalidInput as exc:
            # a refused 上报 level is named on top: its field is hidden on the page
            f.put_problems(form, exc, rename={"file": "photos", "to": ""})
            status = exc.status
        except Forbidden as exc:
            form.add_error(None, _problem_text(exc))
            status = 403
        except NotFound as exc:
            # The case was found in the user's jurisdiction above, so this is the whistle: it is
            # no longer open (withdrawn, resolved) since the page was drawn. Say so on the page.
            if move not in WHISTLE_ACTIONS:
                raise
            form.add_error(None, _problem_text(exc))
            status = 409
        else:
            label = BUTTONS[move]
            if _is_htmx(request):
                case = selectors.case_get(user=request.user, pk=pk)
                ctx = _case_context(request, case, done=str(label))
                return render(request, "cases/_case.html", ctx)
            messages.success(request, _("Done: %(action)s.") % {"action": label})
            return redirect("cases:detail", pk=pk)
    ctx = _case_context(request, case, failed=move, failed_form=form)
    return _render(request, "cases/case.html", "cases/_case.html", ctx, status=status)


# --- desktop: the dispatcher's queue, bulk reassignment, department workspace --------------


def _filters(form: f.QueueFilterForm) -> selectors.CaseFilters:
    d = form.cleaned_data if form.is_valid() else {}
    status = d.get("status") or None
    return selectors.CaseFilters(
        status=None if status == "open" else status,
        open_only=status == "open",
        colour=d.get("colour") or None,
        grid=(d.get("grid") or "").strip() or None,
        category=d.get("category") or None,
        track=d.get("track") or None,
        source=d.get("source") or None,
        since=d.get("since"),
        until=d.get("until"),
    )


@cased
def queue(request: HttpRequest) -> HttpResponse:
    if scope_for(request.user, roles=CASE_READERS).empty:
        raise PermissionDenied(str(_("You may not read cases.")))
    form = f.QueueFilterForm(request.GET or None)
    filters = _filters(form)
    qs = selectors.case_list(user=request.user, filters=filters)
    # The colour counts ignore the colour filter: they are the way to pick one.
    filters.colour = None
    by_colour = dict(
        selectors.case_list(user=request.user, filters=filters)
        .order_by()
        .values_list("colour")
        .annotate(n=Count("id"))
    )
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [{"case": c, "deadline": deadline_of(c, now) if c.is_open else None} for c in page]
    counts = [
        {"colour": c, "label": c.label, "n": by_colour.get(c.value, 0)}
        for c in selectors.COLOUR_ORDER
    ]
    found = selectors.assignable_for_cases(cases=list(page), actor=request.user)
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "counts": counts,
        "groups": selectors.assignable_groups(found),
        "query": request.GET.urlencode(),
        "may_manage_taxonomy": not _is_htmx(request) and may_manage_taxonomy(request.user),
    }
    return _render(request, "cases/queue.html", "cases/_queue_results.html", context)


@cased
@require_POST
def bulk_reassign(request: HttpRequest) -> HttpResponse:
    """Reassign many cases at once, all or none: a refused case rolls the whole batch back and
    the page names every refused case and why, so the dispatcher fixes the choice and retries."""
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    back = back or reverse("cases:queue")
    ids = [pk for x in request.POST.getlist("cases") if (pk := selectors.parse_id(x)) is not None]
    found = {c.pk: c for c in selectors.case_list(user=request.user).filter(pk__in=ids)}
    form = f.BulkReassignForm(
        request.POST,
        case_ids=list(found),
        assignables=selectors.assignable_for_cases(cases=list(found.values()), actor=request.user),
    )
    if not ids or not form.is_valid():
        messages.error(request, _("Pick the cases and a handler."))
        return redirect(back)
    assignee = form.handlers[form.cleaned_data["assignee"]]
    chosen = [found[pk] for pk in form.cleaned_data["cases"]]
    try:
        services.cases_reassign_bulk(
            actor=signed_in(request),
            cases=chosen,
            assignee=assignee,
            note=form.cleaned_data["note"],
        )
    except InvalidInput as exc:
        refused = [f"{p.row}: {_problem_line(p)}" for p in exc.problems]
        messages.error(
            request,
            _("Nothing was reassigned. Refused: %(rows)s") % {"rows": "; ".join(refused)},
        )
    else:
        messages.success(
            request,
            _("%(n)d cases reassigned to %(name)s.") % {"n": len(chosen), "name": assignee},
        )
    return redirect(back)


@cased
def department(request: HttpRequest) -> HttpResponse:
    show_all = request.GET.get("all") == "1"
    whistles = list(selectors.department_whistles(user=request.user, open_only=not show_all)[:200])
    now = timezone.now()
    rows = []
    for w in whistles:
        due = w.report_in_due if w.status == WhistleStatus.WHISTLED else w.resolve_due
        # a resolved or withdrawn whistle's clocks have stopped
        rows.append({"whistle": w, "overdue": w.status in OPEN_WHISTLE_STATUSES and due < now})
    return _render(
        request,
        "cases/department.html",
        "cases/_department_rows.html",
        {"rows": rows, "show_all": show_all, "departments": request.user.departments.all()},  # type: ignore[union-attr]
    )


# --- the reporter's public follow-up page ---------------------------------------------------


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest, code: str) -> HttpResponse:
    try:
        case = selectors.case_by_follow_code(code=code)
    except NotFound:
        return render(request, "cases/track_404.html", {"code": code}, status=404)
    form = f.FeedbackForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            actor = signed_in_or_none(request)
            try:
                case = services.case_feedback(
                    case=case,
                    satisfaction=form.cleaned_data["satisfaction"],
                    comment=form.cleaned_data["comment"],
                    actor=actor,
                )
            except InvalidInput as exc:
                f.put_problems(form, exc)
                status = exc.status
            else:
                if case.status == Status.AWAITING_FEEDBACK:
                    messages.info(
                        request,
                        _(
                            "Thank you: your answer is in the case's record. As it is not the "
                            "reporter's own, the case waits for the reporter's answer."
                        ),
                    )
                else:
                    messages.success(request, _("Thank you for your feedback."))
                return redirect("track:follow", code=case.follow_code)
    events = [
        {"at": e.at, "label": event_label(e.action, e.data), "to": e.to_status}
        for e in selectors.case_trace(case)
        if e.action in PUBLIC_ACTIONS
    ]
    context = {
        "case": case,
        "events": events,
        "statuses": dict(Status.choices),
        "form": form,
        "awaiting": case.status == Status.AWAITING_FEEDBACK,
    }
    return render(request, "cases/track.html", context, status=status)


@cased
def assignees(request: HttpRequest) -> HttpResponse:
    """The assignee list filtered as the dispatcher types (htmx): for one case on its page, or
    for the cases of a queue page (bulk reassignment)."""
    ids = [pk for x in request.GET.getlist("case") if (pk := selectors.parse_id(x)) is not None]
    query = request.GET.get("q", "")
    bulk = request.GET.get("bulk") == "1"
    if not bulk and len(ids) == 1:
        case = selectors.case_get(user=request.user, pk=ids[0])
        found = selectors.assignable_users(case=case, actor=request.user, search=query)
    else:
        cases = list(selectors.case_list(user=request.user).filter(pk__in=ids[:PER_PAGE]))
        found = selectors.assignable_for_cases(cases=cases, actor=request.user, search=query)
    context = {
        "groups": selectors.assignable_groups(found),
        "select_id": request.GET.get("id", "")[:40],
        "bulk": bulk,
    }
    return render(request, "cases/_assignee_select.html", context)


urlpatterns = [
    path("", queue, name="queue"),
    path("mine/", mine, name="mine"),
    path("new/", report_new, name="new"),
    path("department/", department, name="department"),
    path("bulk-reassign/", bulk_reassign, name="bulk_reassign"),
    path("assignees/", assignees, name="assignees"),
    path("<int:pk>/", case_detail, name="detail"),
    path("<int:pk>/act/<slug:action>/", case_act, name="act"),
]

# Mounted at /track/ by the project's urls: the link services send to the reporter.
track_patterns = [path("<str:code>/", track, name="follow")]
