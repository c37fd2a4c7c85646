"""Who may read and move a case through the API: the neighbouring grid gets 404, the wrong role
403, the wrong moment 409 — and none of them changes anything."""

from __future__ import annotations

import pytest

from finegrid.accounts.models import User
from finegrid.cases.models import Case, CaseEvent, Department, Status, Whistle
from finegrid.cases.services import case_accept, case_whistle
from tests.cases.helpers import department_user, report
from tests.conftest import Net, client_for

URL = "/api/v1/cases"

ACTIONS = [
    ("accept", {}),
    ("dispatch", {"assignee": "neighbour"}),
    ("reassign", {"assignee": "neighbour"}),
    ("start", {}),
    ("progress", {"note": "看过了"}),
    ("return", {"reason": "不归我管"}),
    ("resolve", {"note": "好了"}),
    ("close", {}),
    ("reject", {"reason": "不受理"}),
    ("merge", {"into": "20261123000001"}),
    ("reopen", {"reason": "复发"}),
    ("whistle", {"department": "chengguan"}),
    ("report-in", {"department": "chengguan"}),
    ("department-resolve", {"department": "chengguan", "note": "好了"}),
    ("visit-back", {"note": "回访"}),
    ("supervise", {"supervisor": "neighbour"}),
]


def test_a_worker_of_the_neighbouring_micro_grid_cannot_read_the_case(
    net: Net, worker: User, neighbour: User
) -> None:
    case = report(worker)  # in M1
    c = client_for(neighbour)  # works M2
    r = c.get(f"{URL}/{case.pk}")
    assert r.status_code == 404 and r.json()["field"] == "id" and r.json()["message_en"]
    assert c.get(URL).json() == {"count": 0, "items": []}
    assert c.get(f"{URL}/mine").json() == {"count": 0, "items": []}


@pytest.mark.parametrize(("action", "body"), ACTIONS)
def test_a_worker_of_the_neighbouring_micro_grid_cannot_act_on_the_case(
    net: Net, worker: User, neighbour: User, action: str, body: dict[str, str]
) -> None:
    case = report(worker)
    r = client_for(neighbour).post(
        f"{URL}/{case.pk}/{action}", body, content_type="application/json"
    )
    assert r.status_code == 404, (action, r.content)
    case.refresh_from_db()
    assert case.status == Status.REPORTED and CaseEvent.objects.count() == 1


def test_the_community_next_door_cannot_read_it_either(net: Net, worker: User) -> None:
    from tests.conftest import _person

    other = _person("other", "community_official", net.c2, "高堆书记")
    case = report(worker)
    assert client_for(other).get(f"{URL}/{case.pk}").status_code == 404


def test_a_resident_cannot_read_cases_but_follows_their_own_by_code(
    net: Net, resident: User
) -> None:
    case = report(resident, source="resident")
    c = client_for(resident)
    assert c.get(f"{URL}/{case.pk}").status_code == 404
    assert c.get(URL).json()["count"] == 0
    assert c.get(f"{URL}/track/{case.follow_code}").json()["number"] == case.number


def test_a_micro_grid_worker_may_not_dispatch(net: Net, worker: User) -> None:
    case = report(worker)
    case_accept(actor=worker, case=case)
    r = client_for(worker).post(
        f"{URL}/{case.pk}/dispatch", {"assignee": "worker"}, content_type="application/json"
    )
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    assert r.json()["message"] and r.json()["message_en"]
    assert Case.objects.get().status == Status.ACCEPTED and CaseEvent.objects.count() == 2


def test_only_the_whistled_departments_staff_report_in(
    net: Net, worker: User, gridhead: User, dept: User
) -> None:
    case = report(worker)
    case_accept(actor=gridhead, case=case)
    case_whistle(actor=gridhead, case=case, department=Department.objects.get(code="chengguan"))
    police = department_user(net.street, code="police", username="police")
    for who in (dept, police):  # staff of no department, and of another department
        r = client_for(who).post(
            f"{URL}/{case.pk}/report-in",
            {"department": "chengguan"},
            content_type="application/json",
        )
        assert r.status_code == 403, who
    assert Whistle.objects.get().reported_in_at is None


def test_an_illegal_transition_answers_409_in_both_languages_and_changes_nothing(
    net: Net, worker: User, gridhead: User
) -> None:
    case = report(worker)
    r = client_for(gridhead).post(
        f"{URL}/{case.pk}/resolve", {"note": "x"}, content_type="application/json"
    )
    assert r.status_code == 409
    body = r.json()
    assert body["code"] == "illegal_transition" and body["field"] == "status"
    assert body["message"] and body["message_en"]
    case.refresh_from_db()
    assert case.status == Status.REPORTED and case.resolved_at is None
    assert CaseEvent.objects.count() == 1


def test_an_unknown_case_answers_404(net: Net, leader: User) -> None:
    assert client_for(leader).get(f"{URL}/999999").status_code == 404
    r = client_for(leader).post(f"{URL}/999999/accept", {}, content_type="application/json")
    assert r.status_code == 404


def test_a_bearer_token_works_like_the_session(net: Net, worker: User) -> None:
    from finegrid.accounts.models import ApiToken

    case = report(worker)
    _token, key = ApiToken.issue(user=worker, name="phone")
    r = client_for(None).get(f"{URL}/{case.pk}", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert r.status_code == 200 and r.json()["number"] == case.number
