"""The case's assignee handles it — accept, start, progress, return, resolve — and no more:
directing it (dispatch, reassign, whistle, reject, merge, close, reopen, carry up) is the
dispatchers', supervising it the officials', and the visit-back checks the handler's work.
Each move outside the five is refused from the assignee's seat, through the API and the page,
and changes nothing (decision 0034)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from finegrid.accounts.models import Role, RoleAssignment, User
from finegrid.cases import services
from finegrid.cases.models import Case, CaseEvent, Department, Status, Whistle, WhistleStatus
from finegrid.cases.workflow import ASSIGNEE_MOVES, MOVES, Action
from tests.cases.helpers import report
from tests.conftest import Net, client_for

API = "/api/v1/cases"


@dataclass
class Seat:
    case: Case
    other: Case  # another open case of the micro-grid, to merge into


def _dispatched(gridhead: User, worker: User) -> Case:
    case = report(gridhead)
    services.case_accept(actor=gridhead, case=case)
    return services.case_dispatch(actor=gridhead, case=case, assignee=worker)


def _resolved(gridhead: User, worker: User) -> Case:
    case = _dispatched(gridhead, worker)
    services.case_start(actor=worker, case=case)
    return services.case_resolve(actor=worker, case=case, note="已清理")


def _reopened(gridhead: User, worker: User) -> Case:
    # reopening keeps the handler: the case comes back to the worker who had it
    case = _resolved(gridhead, worker)
    return services.case_reopen(actor=gridhead, case=case, reason="复发")


def _accepted(gridhead: User, worker: User) -> Case:
    return services.case_accept(actor=gridhead, case=_reopened(gridhead, worker))


def _whistled(gridhead: User, worker: User) -> Case:
    case = _dispatched(gridhead, worker)
    department = Department.objects.get(code="chengguan")
    services.case_whistle(actor=gridhead, case=case, department=department)
    return case


# Each move outside the assignee's, from a status the table lets it start from: what stops
# the assignee is who they are, never the moment.
EXCLUDED: dict[str, Any] = {
    "dispatch": _reopened,
    "reassign": _dispatched,
    "whistle": _dispatched,
    "withdraw_whistle": _whistled,
    "reject": _accepted,
    "merge": _accepted,
    "close": _resolved,
    "reopen": _resolved,
    "visit_back": _resolved,
    "supervise": _dispatched,
    "escalate": _dispatched,
}
HANDLING: dict[str, Any] = {
    "accept": _reopened,
    "start": _dispatched,
    "progress": _dispatched,
    "return": _dispatched,
    "resolve": lambda gridhead, worker: services.case_start(
        actor=worker, case=_dispatched(gridhead, worker)
    ),
}


def _api(action: str, seat: Seat) -> tuple[str, dict[str, Any]]:
    case = seat.case.pk
    bodies: dict[str, tuple[str, dict[str, Any]]] = {
        "dispatch": ("dispatch", {"assignee": "worker"}),
        "reassign": ("reassign", {"assignee": "worker"}),
        "whistle": ("whistle", {"department": "police"}),
        "withdraw_whistle": ("whistles/chengguan/withdraw", {"reason": "派错了"}),
        "reject": ("reject", {"reason": "不受理"}),
        "merge": ("merge", {"into": seat.other.number}),
        "close": ("close", {}),
        "reopen": ("reopen", {"reason": "复发"}),
        "visit_back": ("visit-back", {"note": "回访：已满意"}),
        "supervise": ("supervise", {"supervisor": "gridhead"}),
        "escalate": ("escalate", {"to": "community", "reason": "网格处理不了"}),
        "accept": ("accept", {}),
        "start": ("start", {}),
        "progress": ("progress", {"note": "到场查看"}),
        "return": ("return", {"reason": "不归我管"}),
        "resolve": ("resolve", {"note": "已清理"}),
    }
    path, body = bodies[action]
    return f"{API}/{case}/{path}", body


def _page_form(action: str, seat: Seat, worker: User, gridhead: User) -> dict[str, Any]:
    forms: dict[str, dict[str, Any]] = {
        "dispatch": {"assignee": worker.pk},
        "reassign": {"assignee": worker.pk},
        "whistle": {"department": Department.objects.get(code="police").pk},
        "withdraw_whistle": {
            "department": Department.objects.get(code="chengguan").pk,
            "reason": "派错了",
        },
        "reject": {"reason": "不受理"},
        "merge": {"into": seat.other.number},
        "close": {"note": ""},
        "reopen": {"reason": "复发"},
        "visit_back": {"note": "回访：已满意"},
        "supervise": {"supervisor": gridhead.pk},
        "escalate": {"to": "community", "reason": "网格处理不了"},
    }
    return forms[action]


def _seat(action: str, gridhead: User, worker: User, moves: dict[str, Any]) -> Seat:
    other = report(gridhead, description="同一处又有杂物")
    case = moves[action](gridhead, worker)
    case.refresh_from_db()
    assert case.assignee_id == worker.pk and case.status in MOVES[Action(action)].sources
    return Seat(case=case, other=other)


def _reader_only(worker: User) -> None:
    """The worker now only reads the micro-grid (an auditor of it) and is still the assignee:
    whatever they may do to the case, they may by the seat alone."""
    RoleAssignment.objects.filter(user=worker).update(role=Role.AUDITOR)


def _unchanged(seat: Seat, events: int) -> None:
    before = seat.case
    case = Case.objects.get(pk=before.pk)
    assert (case.status, case.assignee_id, case.supervisor_id, case.handling_grid_id) == (
        before.status,
        before.assignee_id,
        before.supervisor_id,
        before.handling_grid_id,
    )
    assert CaseEvent.objects.filter(case=case).count() == events
    assert not Whistle.objects.filter(case=case, status=WhistleStatus.WITHDRAWN).exists()
    assert Case.objects.get(pk=seat.other.pk).status == Status.REPORTED


def test_the_assignee_may_take_exactly_the_moves_of_handling_the_case() -> None:
    assert ASSIGNEE_MOVES == {
        Action.ACCEPT,
        Action.START,
        Action.PROGRESS,
        Action.RETURN,
        Action.RESOLVE,
    }
    assert set(EXCLUDED) | set(HANDLING) == {
        a for a, m in MOVES.items() if m.roles and a not in (Action.DEPT_RESOLVE,)
    }


# A micro-grid worker holds no dispatcher's role: the seat was all that let them direct the case.
@pytest.mark.parametrize("action", sorted(set(EXCLUDED) - {"visit_back"}))
def test_the_assigned_micro_grid_worker_may_not_direct_the_case_through_the_api(
    net: Net, worker: User, gridhead: User, action: str
) -> None:
    seat = _seat(action, gridhead, worker, EXCLUDED)
    events = CaseEvent.objects.filter(case=seat.case).count()
    url, body = _api(action, seat)
    r = client_for(worker).post(url, body, content_type="application/json")
    assert r.status_code == 403, (action, r.content)
    assert r.json()["code"] == "forbidden" and r.json()["message_en"]
    _unchanged(seat, events)


@pytest.mark.parametrize("action", sorted(set(EXCLUDED) - {"visit_back"}))
def test_the_assigned_micro_grid_worker_may_not_direct_the_case_from_the_page(
    net: Net, worker: User, gridhead: User, action: str
) -> None:
    seat = _seat(action, gridhead, worker, EXCLUDED)
    events = CaseEvent.objects.filter(case=seat.case).count()
    client = client_for(worker)
    page = client.get(f"/cases/{seat.case.pk}/").content.decode()
    assert f'class="fg-act-item" data-action="{action}"' not in page
    form = _page_form(action, seat, worker, gridhead)
    r = client.post(f"/cases/{seat.case.pk}/act/{action}/", form)
    assert r.status_code == 403, (action, r.content.decode()[:2000])
    _unchanged(seat, events)


@pytest.mark.parametrize("action", sorted(EXCLUDED))
def test_an_assignee_who_only_reads_the_grid_may_not_take_the_move_through_the_api(
    net: Net, worker: User, gridhead: User, action: str
) -> None:
    seat = _seat(action, gridhead, worker, EXCLUDED)
    _reader_only(worker)
    events = CaseEvent.objects.filter(case=seat.case).count()
    url, body = _api(action, seat)
    r = client_for(worker).post(url, body, content_type="application/json")
    assert r.status_code == 403, (action, r.content)
    _unchanged(seat, events)


def test_an_assignee_who_only_reads_the_grid_may_not_visit_back_from_the_page(
    net: Net, worker: User, gridhead: User
) -> None:
    seat = _seat("visit_back", gridhead, worker, EXCLUDED)
    _reader_only(worker)
    events = CaseEvent.objects.filter(case=seat.case).count()
    client = client_for(worker)
    assert 'data-action="visit_back"' not in client.get(f"/cases/{seat.case.pk}/").content.decode()
    r = client.post(f"/cases/{seat.case.pk}/act/visit_back/", {"note": "回访：已满意"})
    assert r.status_code == 403
    _unchanged(seat, events)
    assert Case.objects.get(pk=seat.case.pk).closed_at is None


@pytest.mark.parametrize("action", sorted(HANDLING))
def test_an_assignee_who_only_reads_the_grid_still_handles_the_case(
    net: Net, worker: User, gridhead: User, action: str
) -> None:
    seat = _seat(action, gridhead, worker, HANDLING)
    _reader_only(worker)
    url, body = _api(action, seat)
    r = client_for(worker).post(url, body, content_type="application/json")
    assert r.status_code == 200, (action, r.content)
    assert CaseEvent.objects.filter(case=seat.case, action=action, actor=worker).exists()
    assert Case.objects.get(pk=seat.case.pk).status != seat.case.status or action == "progress"


def test_the_refusal_says_what_the_handler_may_do(net: Net, worker: User, gridhead: User) -> None:
    seat = _seat("close", gridhead, worker, EXCLUDED)
    client = client_for(worker)
    client.cookies["django_language"] = "en"
    url, body = _api("close", seat)
    r = client.post(url, body, content_type="application/json")
    assert r.status_code == 403
    assert "accept, start, update, return and resolve" in r.json()["message_en"]
    assert Case.objects.get(pk=seat.case.pk).closed_at is None
