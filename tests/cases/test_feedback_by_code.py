"""Feedback by follow-up code (查询码) names truly who answered, and only the reporter's answer
closes or reopens the case (decision 0007)."""

from __future__ import annotations

from typing import Any

import pytest

from finegrid.accounts.models import Role, RoleAssignment, User
from finegrid.cases import services
from finegrid.cases.models import Case, CaseEvent, Status
from tests.cases.helpers import MONDAY_10, report
from tests.conftest import Net, client_for

TRACK = "/api/v1/cases/track"


@pytest.fixture(autouse=True)
def _monday(time_machine: Any) -> None:
    time_machine.move_to(MONDAY_10, tick=False)


@pytest.fixture
def passer_by(net: Net) -> User:
    """Another resident of the same micro-grid, signed in, who was handed the code."""
    user = User.objects.create_user(username="passer", password="x" * 12, display_name="路人甲")
    RoleAssignment.objects.create(user=user, role=Role.RESIDENT, grid=net.m1)
    return user


def english(user: User | None) -> Any:
    client = client_for(user)
    client.cookies["django_language"] = "en"
    return client


def _resolved(gridhead: User, reporter: User | None, **kw: Any) -> Case:
    case = report(reporter, source="resident", **kw)
    services.case_accept(actor=gridhead, case=case)
    services.case_resolve(actor=gridhead, case=case, note="已清理")
    case.refresh_from_db()
    assert case.status == Status.AWAITING_FEEDBACK
    return case


def _trace(gridhead: User, case: Case) -> str:
    return english(gridhead).get(f"/cases/{case.pk}/").content.decode()


def test_a_signed_in_resident_who_is_not_the_reporter_is_named_and_does_not_close_it(
    net: Net, gridhead: User, resident: User, passer_by: User
) -> None:
    case = _resolved(gridhead, resident)

    client = english(passer_by)
    r = client.post(f"/track/{case.follow_code}/", {"satisfaction": "satisfied"})

    assert r.status_code == 302
    page = client.get(r["Location"]).content.decode()
    assert "waits for the reporter" in page
    case.refresh_from_db()
    assert (case.status, case.satisfaction, case.closed_at) == (Status.AWAITING_FEEDBACK, "", None)
    event = CaseEvent.objects.get(case=case, action="feedback")
    assert event.actor == passer_by
    assert (event.data["by"], event.data["counted"]) == ("code_holder", False)
    assert not CaseEvent.objects.filter(case=case, action="close").exists()
    trace = _trace(gridhead, case)
    assert "Feedback with the follow-up code" in trace and "Reporter&#x27;s feedback" not in trace
    assert "路人甲 · with the follow-up code" in trace
    assert "it does not close or reopen the case" in trace


def test_the_same_through_the_api_says_how_the_answer_was_taken(
    net: Net, gridhead: User, resident: User, passer_by: User
) -> None:
    case = _resolved(gridhead, resident)
    r = client_for(passer_by).post(
        f"{TRACK}/{case.follow_code}/feedback",
        {"satisfaction": "dissatisfied", "comment": "我觉得没弄干净"},
        content_type="application/json",
    )
    assert r.status_code == 200
    body = r.json()
    assert (body["recorded_as"], body["counted"], body["status"]) == (
        "code_holder",
        False,
        "awaiting_feedback",
    )
    assert body["events"][-1]["label"] == "凭查询码评价"
    case.refresh_from_db()
    assert case.status == Status.AWAITING_FEEDBACK  # not reopened by someone else's answer
    assert not CaseEvent.objects.filter(case=case, action="reopen").exists()


def test_the_signed_in_reporter_answers_as_themselves_and_closes_it(
    net: Net, gridhead: User, resident: User
) -> None:
    case = _resolved(gridhead, resident)
    r = client_for(resident).post(
        f"{TRACK}/{case.follow_code}/feedback",
        {"satisfaction": "satisfied"},
        content_type="application/json",
    )
    assert r.status_code == 200
    assert (r.json()["recorded_as"], r.json()["counted"]) == ("reporter", True)
    case.refresh_from_db()
    assert (case.status, case.satisfaction) == (Status.CLOSED, "satisfied")
    event = CaseEvent.objects.get(case=case, action="feedback")
    assert (event.actor, event.data["by"], event.data["counted"]) == (resident, "reporter", True)
    trace = _trace(gridhead, case)
    assert "Reporter&#x27;s feedback" in trace and "with the follow-up code" not in trace


def test_a_holder_of_the_code_not_signed_in_is_named_as_such_not_as_the_reporter(
    net: Net, gridhead: User, resident: User
) -> None:
    case = _resolved(gridhead, resident)
    r = english(None).post(f"/track/{case.follow_code}/", {"satisfaction": "basically_satisfied"})
    assert r.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.satisfaction) == (Status.CLOSED, "basically_satisfied")
    feedback = CaseEvent.objects.get(case=case, action="feedback")
    assert (feedback.actor, feedback.data["by"]) == (None, "code_holder")
    close = CaseEvent.objects.get(case=case, action="close")
    assert close.note == "Closed after feedback by the holder of the follow-up code."
    trace = _trace(gridhead, case)
    assert "Holder of the follow-up code" in trace and "Reporter&#x27;s feedback" not in trace
    zh = client_for(gridhead).get(f"/cases/{case.pk}/").content.decode()
    assert "持查询码者" in zh


def test_staff_of_the_grid_cannot_close_a_phone_report_with_its_code(
    net: Net, gridhead: User, passer_by: User
) -> None:
    case = _resolved(gridhead, None, reporter_phone="13912345678", reporter_name="王大爷")
    assert case.reporter_id is None
    r = client_for(gridhead).post(
        f"{TRACK}/{case.follow_code}/feedback",
        {"satisfaction": "satisfied"},
        content_type="application/json",
    )
    assert (r.status_code, r.json()["counted"]) == (200, False)
    assert Case.objects.get(pk=case.pk).status == Status.AWAITING_FEEDBACK

    # a resident without a role over the case who holds the code answers for the phone reporter
    r = client_for(passer_by).post(
        f"{TRACK}/{case.follow_code}/feedback",
        {"satisfaction": "satisfied"},
        content_type="application/json",
    )
    assert (r.status_code, r.json()["counted"], r.json()["recorded_as"]) == (
        200,
        True,
        "code_holder",
    )
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    actors = list(
        CaseEvent.objects.filter(case=case, action="feedback")
        .order_by("id")
        .values_list("actor__username", "data__counted")
    )
    assert actors == [("gridhead", False), ("passer", True)]
