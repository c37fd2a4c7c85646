"""The reporter's public follow-up page: status, a public trace, and the feedback form."""

from __future__ import annotations

from typing import Any

from finegrid.accounts.models import User
from finegrid.cases import services
from finegrid.cases.models import Case, Status
from tests.cases.helpers import report
from tests.conftest import Net, client_for


def english() -> Any:
    client = client_for(None)
    client.cookies["django_language"] = "en"
    return client


def _resolved(worker: User, gridhead: User, resident: User) -> Case:
    case = report(resident, source="resident", reporter_phone="13912345678")
    services.case_accept(actor=gridhead, case=case)
    services.case_resolve(actor=gridhead, case=case, note="张志强已清理，电话13800000000")
    case.refresh_from_db()
    assert case.status == Status.AWAITING_FEEDBACK
    return case


def test_the_public_page_shows_status_and_steps_without_names(
    net: Net, worker: User, gridhead: User, resident: User
) -> None:
    case = _resolved(worker, gridhead, resident)
    response = english().get(f"/track/{case.follow_code}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert case.number in body and "Awaiting feedback" in body
    assert "Accepted" in body and "Resolved" in body
    for private in ("张志强", "13800000000", "139****5678", "胡民贵"):
        assert private not in body
    assert 'id="feedback"' in body


def test_the_code_is_read_in_any_case(net: Net, worker: User, resident: User) -> None:
    case = report(resident, source="resident")
    assert english().get(f"/track/{case.follow_code.lower()}/").status_code == 200


def test_an_unknown_code_answers_a_404_page(net: Net) -> None:
    response = english().get("/track/NOPE2345/")
    assert response.status_code == 404
    assert "No such case" in response.content.decode()


def test_satisfied_feedback_closes_the_case(
    net: Net, worker: User, gridhead: User, resident: User
) -> None:
    case = _resolved(worker, gridhead, resident)
    client = english()
    response = client.post(f"/track/{case.follow_code}/", {"satisfaction": "satisfied"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.satisfaction) == (Status.CLOSED, "satisfied")
    body = client.get(f"/track/{case.follow_code}/").content.decode()
    assert "Closed" in body and 'id="feedback"' not in body


def test_dissatisfied_feedback_reopens_the_case(
    net: Net, worker: User, gridhead: User, resident: User
) -> None:
    case = _resolved(worker, gridhead, resident)
    response = english().post(
        f"/track/{case.follow_code}/", {"satisfaction": "dissatisfied", "comment": "还没清理"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.REOPENED
    assert case.events.filter(action="reopen", note="还没清理").exists()


def test_feedback_without_an_answer_is_refused_beside_the_field(
    net: Net, worker: User, gridhead: User, resident: User
) -> None:
    case = _resolved(worker, gridhead, resident)
    response = english().post(f"/track/{case.follow_code}/", {"satisfaction": ""})
    assert response.status_code == 422
    assert "fg-field--error" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.AWAITING_FEEDBACK


def test_feedback_on_a_case_not_waiting_for_it_is_refused(
    net: Net, worker: User, resident: User
) -> None:
    case = report(resident, source="resident")
    response = english().post(f"/track/{case.follow_code}/", {"satisfaction": "satisfied"})
    assert response.status_code == 409
    assert "This case is not waiting for feedback." in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.REPORTED
