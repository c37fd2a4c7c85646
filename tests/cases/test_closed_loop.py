"""The five steps, end to end through the services: report, accept, dispatch, whistle, report in,
resolve, feedback, close — and the trace that shows every step."""

from __future__ import annotations

import datetime as dt

import pytest

from finegrid.accounts.models import User
from finegrid.cases import selectors, services
from finegrid.cases.models import Case, CaseEvent, Department, Status, Whistle, WhistleStatus
from finegrid.core.errors import Forbidden, NotFound
from finegrid.notifications.models import Notification
from tests.cases.helpers import MONDAY_10, department_user, report, staff_net
from tests.conftest import Net


def test_a_case_goes_round_the_whole_loop(
    net: Net, worker: User, gridhead: User, resident: User
) -> None:
    staff_net(net, worker, gridhead)
    dept = department_user(net.street)
    t = MONDAY_10
    case = report(resident, source="resident", now=t)
    assert (case.status, case.micro_grid, case.handling_grid) == (Status.REPORTED, net.m1, net.g1)
    assert case.number.startswith("20261123") and len(case.follow_code) == 8
    # it lands with the micro-grid's worker and the grid head
    assert set(
        Notification.objects.filter(kind="case.new").values_list("user__username", flat=True)
    ) == {"worker", "gridhead"}

    services.case_accept(actor=gridhead, case=case, now=t + dt.timedelta(minutes=20))
    services.case_dispatch(
        actor=gridhead, case=case, assignee=worker, now=t + dt.timedelta(minutes=25)
    )
    whistle = services.case_whistle(
        actor=gridhead,
        case=case,
        department=Department.objects.get(code="chengguan"),
        now=t + dt.timedelta(minutes=30),
    )
    assert Notification.objects.filter(kind="case.whistle", user=dept).exists()
    services.whistle_report_in(
        actor=dept, case=case, department=whistle.department, now=t + dt.timedelta(minutes=40)
    )
    services.whistle_resolve(
        actor=dept,
        case=case,
        department=whistle.department,
        note="已清理",
        now=t + dt.timedelta(hours=3),
    )
    case.refresh_from_db()
    assert case.status == Status.AWAITING_FEEDBACK  # resolved; the reporter is asked
    assert Whistle.objects.get().status == WhistleStatus.RESOLVED

    services.case_feedback(
        case=case, satisfaction="satisfied", actor=resident, now=t + dt.timedelta(hours=4)
    )
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.closed_at == t + dt.timedelta(hours=4)
    trace = [(e.action, e.from_status, e.to_status) for e in selectors.case_trace(case)]
    assert trace == [
        ("report", "", "reported"),
        ("accept", "reported", "accepted"),
        ("dispatch", "accepted", "dispatched"),
        ("whistle", "dispatched", "dispatched"),
        ("report_in", "dispatched", "in_progress"),
        ("resolve", "in_progress", "resolved"),
        ("request_feedback", "resolved", "awaiting_feedback"),
        ("feedback", "awaiting_feedback", "awaiting_feedback"),
        ("close", "awaiting_feedback", "closed"),
    ]
    assert [e.actor.username if e.actor else None for e in selectors.case_trace(case)][:6] == [
        "resident",
        "gridhead",
        "gridhead",
        "gridhead",
        "cg",
        "cg",
    ]


def test_an_illegal_transition_is_refused_and_changes_nothing(
    net: Net, gridhead: User, worker: User
) -> None:
    case = report(worker)
    with pytest.raises(services.IllegalTransition) as caught:
        services.case_resolve(actor=gridhead, case=case, note="x")  # not accepted yet
    assert caught.value.status == 409
    assert Case.objects.get().status == Status.REPORTED
    assert CaseEvent.objects.count() == 1


def test_dissatisfied_feedback_reopens_the_case(net: Net, gridhead: User, resident: User) -> None:
    case = report(resident, source="resident")
    services.case_accept(actor=gridhead, case=case, track="now")
    services.case_resolve(actor=gridhead, case=case, note="已处理")
    services.case_feedback(case=case, satisfaction="dissatisfied", comment="还是很脏")
    case.refresh_from_db()
    assert case.status == Status.REOPENED and case.accepted_at is None and case.resolved_at is None
    assert case.satisfaction == ""
    assert CaseEvent.objects.filter(case=case, action="reopen", note="还是很脏").exists()


def test_rejecting_needs_a_reason(net: Net, gridhead: User, worker: User) -> None:
    case = report(worker)
    with pytest.raises(services.InvalidInput):
        services.case_reject(actor=gridhead, case=case, reason="  ")
    services.case_reject(actor=gridhead, case=case, reason="属于司法诉讼，不在受理范围")
    assert Case.objects.get().status == Status.REJECTED


def test_a_duplicate_is_offered_and_merged(net: Net, gridhead: User, worker: User) -> None:
    first = report(worker)
    second = report(worker, lat=30.0101, lng=104.0051, now=MONDAY_10 + dt.timedelta(hours=1))
    far = report(worker, lat=30.019, lng=104.009)
    found = selectors.duplicate_candidates(
        category_id=second.category_id,
        lat=second.lat,
        lng=second.lng,
        exclude=second.pk,
        now=MONDAY_10 + dt.timedelta(hours=1),
    )
    assert [d.pk for d in found] == [first.pk]
    assert far.pk not in [d.pk for d in found]
    services.case_merge(actor=gridhead, case=second, into=first)
    second.refresh_from_db()
    assert (second.status, second.merged_into) == (Status.MERGED, first)


def test_a_worker_cannot_act_on_the_neighbouring_grids_case(
    net: Net, worker: User, neighbour: User
) -> None:
    case = report(neighbour, lat=30.01, lng=104.015)  # in M2
    with pytest.raises(NotFound):
        services.case_accept(actor=worker, case=case)
    assert Case.objects.get().status == Status.REPORTED
    assert list(selectors.case_list(user=worker)) == []
    assert list(selectors.case_list(user=neighbour)) == [case]


def test_only_the_whistled_departments_staff_report_in(
    net: Net, gridhead: User, worker: User
) -> None:
    case = report(worker)
    services.case_accept(actor=gridhead, case=case)
    chengguan = Department.objects.get(code="chengguan")
    services.case_whistle(actor=gridhead, case=case, department=chengguan)
    police = department_user(net.street, code="police", username="jc")
    with pytest.raises(Forbidden):
        services.whistle_report_in(actor=police, case=case, department=chengguan)
    assert Whistle.objects.get().status == WhistleStatus.WHISTLED


def test_a_resident_cannot_dispatch(net: Net, resident: User, worker: User) -> None:
    case = report(worker)
    with pytest.raises(NotFound):
        services.case_accept(actor=resident, case=case)
