"""The moves of the case page: for each button of the table of moves (``workflow.MOVES``) the
form it draws and the service it calls. ``views.case_act`` looks the action up here; a move is
added to the page by a row in ``PAGE_MOVES``, never by another branch in a view."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest

from finegrid.accounts.models import User
from finegrid.cases import forms as f
from finegrid.cases import selectors, services
from finegrid.cases.models import Case
from finegrid.cases.photos import stored_photos
from finegrid.cases.routing import Route
from finegrid.cases.workflow import Action


def carry_up_target(case: Case) -> str | None:
    """Where 上报 takes the case from its handling grid: the level right above, if any."""
    above = case.handling_grid.parent
    for to, level in services.ESCALATION_TARGETS.items():
        if above is not None and above.level == level:
            return to
    return None


@dataclass(frozen=True)
class Act:
    """A move the case page was asked to take, its form valid."""

    request: HttpRequest
    user: User
    case: Case
    form: forms.Form
    data: dict[str, Any]


def _reason_form(case: Case, data: Any, extra: dict[str, Any]) -> forms.Form:
    return f.ReasonForm(data)


def _note_form(case: Case, data: Any, extra: dict[str, Any]) -> forms.Form:
    return f.NoteForm(data)


def _photo_note_form(case: Case, data: Any, extra: dict[str, Any]) -> forms.Form:
    return f.PhotoNoteForm(data)


def _handler_form(case: Case, data: Any, extra: dict[str, Any]) -> forms.Form:
    return f.HandlerForm(data, assignables=extra["assignables"])


def _escalate_form(case: Case, data: Any, extra: dict[str, Any]) -> forms.Form:
    # the level posted is checked by the service, which names a stale one in its own words
    return f.EscalateForm(data, initial={"to": carry_up_target(case)})


def _whistle_form(case: Case, data: Any, extra: dict[str, Any]) -> forms.Form:
    # the duty list's department first (routing.py), else the category's usual one
    route = extra.get("route") or Route()
    first = route.department_id or case.category.department_id
    return f.WhistleForm(data, initial={"department": first})


def _merge_form(case: Case, data: Any, extra: dict[str, Any]) -> forms.Form:
    dupes = extra.get("duplicates") or []
    return f.MergeForm(data, initial={"into": dupes[0].number if dupes else ""})


def _department_form(with_photos: bool) -> Callable[[Case, Any, dict[str, Any]], forms.Form]:
    def make(case: Case, data: Any, extra: dict[str, Any]) -> forms.Form:
        return f.DepartmentActForm(data, departments=extra["departments"], with_photos=with_photos)

    return make


def _accept(a: Act) -> None:
    services.case_accept(actor=a.user, case=a.case, track=a.data["track"], note=a.data["note"])


def _dispatch(a: Act) -> None:
    assignee = a.form.handlers[a.data["assignee"]]  # type: ignore[attr-defined]
    services.case_dispatch(actor=a.user, case=a.case, assignee=assignee, note=a.data["note"])


def _reassign(a: Act) -> None:
    assignee = a.form.handlers[a.data["assignee"]]  # type: ignore[attr-defined]
    services.case_reassign(actor=a.user, case=a.case, assignee=assignee, note=a.data["note"])


def _whistle(a: Act) -> None:
    services.case_whistle(
        actor=a.user, case=a.case, department=a.data["department"], note=a.data["note"]
    )


def _start(a: Act) -> None:
    services.case_start(actor=a.user, case=a.case, note=a.data["note"])


def _progress(a: Act) -> None:
    with stored_photos(a.request) as photos:
        services.case_progress(actor=a.user, case=a.case, note=a.data["note"], photos=photos)


def _return(a: Act) -> None:
    services.case_return(actor=a.user, case=a.case, reason=a.data["reason"])


def _resolve(a: Act) -> None:
    with stored_photos(a.request) as photos:
        services.case_resolve(actor=a.user, case=a.case, note=a.data["note"], photos=photos)


def _reject(a: Act) -> None:
    services.case_reject(actor=a.user, case=a.case, reason=a.data["reason"])


def _merge(a: Act) -> None:
    into = selectors.merge_target(user=a.user, number=a.data["into"])
    services.case_merge(actor=a.user, case=a.case, into=into)


def _close(a: Act) -> None:
    services.case_close(actor=a.user, case=a.case, note=a.data["note"])


def _reopen(a: Act) -> None:
    services.case_reopen(actor=a.user, case=a.case, reason=a.data["reason"])


def _visit_back(a: Act) -> None:
    services.case_visit_back(actor=a.user, case=a.case, note=a.data["note"])


def _supervise(a: Act) -> None:
    supervisor = a.form.people[a.data["supervisor"]]  # type: ignore[attr-defined]
    services.case_supervise(actor=a.user, case=a.case, supervisor=supervisor)


def _report_in(a: Act) -> None:
    department = a.form.departments[a.data["department"]]  # type: ignore[attr-defined]
    services.whistle_report_in(
        actor=a.user, case=a.case, department=department, note=a.data["note"]
    )


def _dept_resolve(a: Act) -> None:
    department = a.form.departments[a.data["department"]]  # type: ignore[attr-defined]
    with stored_photos(a.request) as photos:
        services.whistle_resolve(
            actor=a.user, case=a.case, department=department, note=a.data["note"], photos=photos
        )


def _withdraw_whistle(a: Act) -> None:
    services.whistle_withdraw(
        actor=a.user, case=a.case, department=a.data["department"], reason=a.data["reason"]
    )


def _escalate(a: Act) -> None:
    services.case_carry_up(actor=a.user, case=a.case, to=a.data["to"], reason=a.data["reason"])


@dataclass(frozen=True)
class PageMove:
    form: Callable[[Case, Any, dict[str, Any]], forms.Form]
    perform: Callable[[Act], None]


# Every move with a button (workflow.MOVES) has its form and its service here.
PAGE_MOVES: dict[Action, PageMove] = {
    Action.ACCEPT: PageMove(
        lambda case, data, _x: f.AcceptForm(data, initial={"track": case.track}), _accept
    ),
    Action.DISPATCH: PageMove(_handler_form, _dispatch),
    Action.REASSIGN: PageMove(_handler_form, _reassign),
    Action.WHISTLE: PageMove(_whistle_form, _whistle),
    Action.START: PageMove(_note_form, _start),
    Action.PROGRESS: PageMove(_photo_note_form, _progress),
    Action.RETURN: PageMove(_reason_form, _return),
    Action.RESOLVE: PageMove(_photo_note_form, _resolve),
    Action.REJECT: PageMove(_reason_form, _reject),
    Action.MERGE: PageMove(_merge_form, _merge),
    Action.CLOSE: PageMove(_note_form, _close),
    Action.REOPEN: PageMove(_reason_form, _reopen),
    Action.VISIT_BACK: PageMove(_note_form, _visit_back),
    Action.SUPERVISE: PageMove(
        lambda _c, data, x: f.SuperviseForm(data, people=x["handlers"]), _supervise
    ),
    Action.REPORT_IN: PageMove(_department_form(with_photos=False), _report_in),
    Action.DEPT_RESOLVE: PageMove(_department_form(with_photos=True), _dept_resolve),
    Action.WITHDRAW_WHISTLE: PageMove(
        lambda _c, data, _x: f.WithdrawWhistleForm(data), _withdraw_whistle
    ),
    Action.ESCALATE: PageMove(_escalate_form, _escalate),
}
