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
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from finegrid.accounts.jurisdiction import scope_for, user_roles
from finegrid.accounts.models import Role
from finegrid.cases import forms as f
from finegrid.cases import selectors, services
from finegrid.cases.models import (
    FINAL_STATUSES,
    OPEN_STATUSES,
    OPEN_WHISTLE_STATUSES,
    SETTLED_STATUSES,
    Case,
    Department,
    Source,
    Status,
    Track,
    WhistleStatus,
)
from finegrid.cases.permissions import CASE_READERS, FIELD, access_case_act, may_manage_taxonomy
from finegrid.cases.photos import stored_photos
from finegrid.cases.routing import Route, route_of
from finegrid.cases.workflow import (
    IN_PLACE,
    PUBLIC_ACTIONS,
    TRANSITIONS,
    allowed,
    event_label,
)
from finegrid.core.errors import Forbidden, InvalidInput, NotFound
from finegrid.core.pages import is_htmx as _is_htmx
from finegrid.core.pages import service_page as cased
from finegrid.grids import selectors as grid_selectors
from finegrid.grids.models import Duty
from finegrid.grids.views import picker_config

PER_PAGE = 50

# The buttons of the case page, in the order a case meets them.
BUTTONS = {
    "accept": _("Accept"),
    "dispatch": _("Dispatch"),
    "reassign": _("Reassign"),
    "whistle": _("Whistle a department"),
    "start": _("Start handling"),
    "progress": _("Progress update"),
    "return": _("Return"),
    "resolve": _("Resolve"),
    "reject": _("Reject as out of scope"),
    "merge": _("Merge as duplicate"),
    "close": _("Close the case"),
    "reopen": _("Reopen"),
    "visit_back": _("Visit-back"),
    "supervise": _("Supervise end to end"),
    "report_in": _("Report in"),
    "dept_resolve": _("Department resolves"),
    "withdraw_whistle": _("Withdraw the whistle"),
    "escalate": _("Escalate"),
}
# 上报: the button says where the case goes
CARRY_UP_BUTTONS = {
    "community": _("Escalate to the community"),
    "street": _("Escalate to the street"),
}
DEPARTMENT_ACTIONS = ("report_in", "dept_resolve")
# Buttons shown once per whistle of the case rather than once per case.
WHISTLE_ACTIONS = (*DEPARTMENT_ACTIONS, "withdraw_whistle")


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


def _problem_text(exc: Exception) -> str:
    if isinstance(exc, InvalidInput):
        problem = exc.problems[0]
        text = str(problem.message)
        return text % problem.params if problem.params else text
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
                    actor=request.user,  # type: ignore[arg-type]
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


def _action_form(action: str, case: Case, data: Any = None, **extra: Any) -> forms.Form:
    if action == "accept":
        return f.AcceptForm(data, initial={"track": case.track})
    if action in ("dispatch", "reassign"):
        return f.HandlerForm(data, assignables=extra["assignables"])
    if action == "supervise":
        return f.SuperviseForm(data, people=extra["handlers"])
    if action == "escalate":
        # the level posted is checked by the service, which names a stale one in its own words
        return f.EscalateForm(data, initial={"to": carry_up_target(case)})
    if action == "whistle":
        # the duty list's department first (routing.py), else the category's usual one
        route = extra.get("route") or Route()
        first = route.department_id or case.category.department_id
        return f.WhistleForm(data, initial={"department": first})
    if action == "withdraw_whistle":
        return f.WithdrawWhistleForm(data)
    if action in ("return", "reject", "reopen"):
        return f.ReasonForm(data)
    if action == "merge":
        dupes = extra.get("duplicates") or []
        return f.MergeForm(data, initial={"into": dupes[0].number if dupes else ""})
    if action in DEPARTMENT_ACTIONS:
        return f.DepartmentActForm(
            data, departments=extra["departments"], with_photos=action == "dept_resolve"
        )
    if action in ("progress", "resolve"):
        return f.PhotoNoteForm(data)
    return f.NoteForm(data)


def carry_up_target(case: Case) -> str | None:
    """Where 上报 takes the case from its handling grid: the level right above, if any."""
    above = case.handling_grid.parent
    for to, level in services.ESCALATION_TARGETS.items():
        if above is not None and above.level == level:
            return to
    return None


def _available(user: Any, case: Case, action: str) -> bool:
    if action == "escalate":
        return (
            allowed(action, case.status) and may(user, case, action) and bool(carry_up_target(case))
        )
    if action in TRANSITIONS or action in IN_PLACE:
        return allowed(action, case.status) and may(user, case, action)
    if action == "progress":
        return case.status in OPEN_STATUSES and may(user, case, action)
    if action == "visit_back":
        return case.status in SETTLED_STATUSES and may(user, case, action)
    if action == "supervise":
        return case.status not in FINAL_STATUSES and may(user, case, action)
    return False


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
    if {"dispatch", "reassign"} & set(actions):
        extra["assignables"] = selectors.assignable_users(case=case, actor=user)
    if "supervise" in actions:
        extra["handlers"] = selectors.handler_candidates(paths=[case.grid_path])
    if "merge" in actions:
        extra["duplicates"] = selectors.duplicate_candidates(
            category_id=case.category_id, lat=case.lat, lng=case.lng, exclude=case.pk
        )
    extra["route"] = route = route_of(case)
    whistles = list(selectors.department_whistles(user=user, case=case))
    buttons: list[dict[str, Any]] = []
    for action in actions:
        form = failed_form if action == failed else _action_form(action, case, **extra)
        label = BUTTONS[action]
        if action == "escalate":
            label = CARRY_UP_BUTTONS[carry_up_target(case) or "community"]
        buttons.append({"action": action, "label": label, "form": form})
    for w in whistles:
        action = "report_in" if w.status == WhistleStatus.WHISTLED else "dept_resolve"
        form = (
            failed_form
            if action == failed
            else f.DepartmentActForm(
                initial={"department": w.department_id},
                departments=[w.department],
                with_photos=action == "dept_resolve",
            )
        )
        buttons.append({"action": action, "label": BUTTONS[action], "form": form, "whistle": w})
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
        "whistle_offered": route.department_task is not None and "whistle" in actions,
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
        or (e.action == "feedback" and "by" not in data and e.actor_id is None),
        "uncounted": e.action == "feedback" and data.get("counted") is False,
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
    if not open_whistles or not may(user, case, "whistle"):
        return []
    buttons = []
    for w in open_whistles:
        # a refused withdrawal goes back under the button of the whistle it was meant for
        refused_here = (
            failed == "withdraw_whistle"
            and failed_form is not None
            and failed_form.data.get("department") == str(w.department_id)
        )
        form = (
            failed_form
            if refused_here
            else f.WithdrawWhistleForm(initial={"department": w.department_id})
        )
        label = BUTTONS["withdraw_whistle"]
        buttons.append({"action": "withdraw_whistle", "label": label, "form": form, "whistle": w})
    return buttons


@cased
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(user=request.user, pk=pk)
    return _render(request, "cases/case.html", "cases/_case.html", _case_context(request, case))


def _perform(action: str, request: HttpRequest, case: Case, form: forms.Form) -> None:
    user, d = request.user, form.cleaned_data
    if action == "accept":
        services.case_accept(actor=user, case=case, track=d["track"], note=d["note"])
    elif action in ("dispatch", "reassign"):
        move = services.case_dispatch if action == "dispatch" else services.case_reassign
        move(actor=user, case=case, assignee=form.handlers[d["assignee"]], note=d["note"])  # type: ignore[attr-defined]
    elif action == "escalate":
        services.case_carry_up(actor=user, case=case, to=d["to"], reason=d["reason"])
    elif action == "whistle":
        services.case_whistle(actor=user, case=case, department=d["department"], note=d["note"])
    elif action == "start":
        services.case_start(actor=user, case=case, note=d["note"])
    elif action == "progress":
        with stored_photos(request) as photos:
            services.case_progress(actor=user, case=case, note=d["note"], photos=photos)
    elif action == "return":
        services.case_return(actor=user, case=case, reason=d["reason"])
    elif action == "resolve":
        with stored_photos(request) as photos:
            services.case_resolve(actor=user, case=case, note=d["note"], photos=photos)
    elif action == "reject":
        services.case_reject(actor=user, case=case, reason=d["reason"])
    elif action == "merge":
        into = selectors.merge_target(user=user, number=d["into"])
        services.case_merge(actor=user, case=case, into=into)
    elif action == "reopen":
        services.case_reopen(actor=user, case=case, reason=d["reason"])
    elif action == "visit_back":
        services.case_visit_back(actor=user, case=case, note=d["note"])
    elif action == "supervise":
        services.case_supervise(actor=user, case=case, supervisor=form.people[d["supervisor"]])  # type: ignore[attr-defined]
    elif action == "report_in":
        department = form.departments[d["department"]]  # type: ignore[attr-defined]
        services.whistle_report_in(actor=user, case=case, department=department, note=d["note"])
    elif action == "dept_resolve":
        department = form.departments[d["department"]]  # type: ignore[attr-defined]
        with stored_photos(request) as photos:
            services.whistle_resolve(
                actor=user, case=case, department=department, note=d["note"], photos=photos
            )
    elif action == "close":
        services.case_close(actor=user, case=case, note=d["note"])
    elif action == "withdraw_whistle":
        services.whistle_withdraw(
            actor=user, case=case, department=d["department"], reason=d["reason"]
        )


@cased
@require_POST
def case_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in BUTTONS:
        raise Http404
    case = selectors.case_get(user=request.user, pk=pk)
    extra: dict[str, Any] = {}
    if action in ("dispatch", "reassign"):
        extra["assignables"] = selectors.assignable_users(case=case, actor=request.user)
    if action == "supervise":
        extra["handlers"] = selectors.handler_candidates(paths=[case.grid_path])
    if action in DEPARTMENT_ACTIONS:
        extra["departments"] = list(Department.objects.filter(staff=request.user.pk))
    form = _action_form(action, case, request.POST, **extra)
    status = 422
    if form.is_valid():
        try:
            _perform(action, request, case, form)
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
            if action not in WHISTLE_ACTIONS:
                raise
            form.add_error(None, _problem_text(exc))
            status = 409
        else:
            label = BUTTONS[action]
            if _is_htmx(request):
                case = selectors.case_get(user=request.user, pk=pk)
                ctx = _case_context(request, case, done=str(label))
                return render(request, "cases/_case.html", ctx)
            messages.success(request, _("Done: %(action)s.") % {"action": label})
            return redirect("cases:detail", pk=pk)
    ctx = _case_context(request, case, failed=action, failed_form=form)
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
    refused: list[str] = []
    with transaction.atomic():
        for pk in form.cleaned_data["cases"]:
            case = found[pk]
            try:
                services.case_reassign(
                    actor=request.user, case=case, assignee=assignee, note=form.cleaned_data["note"]
                )
            except (InvalidInput, Forbidden, NotFound) as exc:
                refused.append(f"{case.number}: {_problem_text(exc)}")
        if refused:
            transaction.set_rollback(True)
    if refused:
        messages.error(
            request,
            _("Nothing was reassigned. Refused: %(rows)s") % {"rows": "; ".join(refused)},
        )
    else:
        messages.success(
            request,
            _("%(n)d cases reassigned to %(name)s.")
            % {"n": len(form.cleaned_data["cases"]), "name": assignee},
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
            actor = request.user if request.user.is_authenticated else None
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
