"""Leave through the API and the page: a reason, no overlap, ends after it starts, cancel."""

from __future__ import annotations

from typing import Any

import pytest

from finegrid.accounts.models import User
from finegrid.core.models import AuditEvent
from finegrid.workforce.models import Leave
from tests.conftest import client_for

from .helpers_onduty import MONDAY, at

URL = "/api/v1/workforce/leaves"


@pytest.fixture(autouse=True)
def _sunday(time_machine: Any) -> None:
    time_machine.move_to(at(MONDAY, "08:00").replace(day=7), tick=False)


def _body(**extra: Any) -> dict[str, Any]:
    return {
        "starts_at": "2027-03-08T09:00:00+08:00",
        "ends_at": "2027-03-08T18:00:00+08:00",
        "reason": "病假",
        **extra,
    }


def test_a_grid_head_records_leave_for_a_worker_with_a_substitute(
    net: Any, worker: User, gridhead: User, official: User
) -> None:
    response = client_for(gridhead).post(
        URL, _body(person=worker.pk, substitute=official.pk), content_type="application/json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["person_name"] == "蔡如欣" and body["substitute_name"] == "胡晓梅"
    leave = Leave.objects.get()
    assert (leave.person, leave.approved_by, leave.reason) == (worker, gridhead, "病假")
    assert AuditEvent.objects.filter(action="leave_create", target_id=str(leave.pk)).exists()


def test_leave_for_oneself_needs_no_person(net: Any, worker: User) -> None:
    response = client_for(worker).post(URL, _body(), content_type="application/json")
    assert response.status_code == 201
    assert Leave.objects.get().approved_by is None


def test_leave_that_ends_before_it_starts_is_refused_naming_ends_at(net: Any, worker: User) -> None:
    response = client_for(worker).post(
        URL, _body(ends_at="2027-03-08T08:00:00+08:00"), content_type="application/json"
    )
    assert response.status_code == 422
    body = response.json()
    assert body["field"] == "ends_at"
    assert body["message"] == "请假结束时间须晚于开始时间。"
    assert body["message_en"] == "Leave must end after it starts."
    assert not Leave.objects.exists()


def test_overlapping_leave_is_refused(net: Any, worker: User) -> None:
    client = client_for(worker)
    assert client.post(URL, _body(), content_type="application/json").status_code == 201
    response = client.post(
        URL,
        _body(starts_at="2027-03-08T17:00:00+08:00", ends_at="2027-03-09T09:00:00+08:00"),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["field"] == "starts_at"
    assert "2027-03-08 09:00" in response.json()["message_en"]
    assert Leave.objects.count() == 1


def test_a_blank_reason_is_refused(net: Any, worker: User) -> None:
    response = client_for(worker).post(URL, _body(reason="  "), content_type="application/json")
    assert response.status_code == 422
    assert response.json()["field"] == "reason"
    assert not Leave.objects.exists()


def test_a_naive_time_is_refused(net: Any, worker: User) -> None:
    response = client_for(worker).post(
        URL, _body(starts_at="2027-03-08T09:00:00"), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["field"] == "starts_at"


def test_the_neighbouring_grid_is_refused(net: Any, worker: User, neighbour: User) -> None:
    response = client_for(neighbour).post(
        URL, _body(person=worker.pk), content_type="application/json"
    )
    assert response.status_code == 403
    assert not Leave.objects.exists()


def test_cancel_and_cancel_again(net: Any, worker: User, neighbour: User) -> None:
    client = client_for(worker)
    leave_id = client.post(URL, _body(), content_type="application/json").json()["id"]
    assert client_for(neighbour).post(f"{URL}/{leave_id}/cancel").status_code == 403
    response = client.post(f"{URL}/{leave_id}/cancel")
    assert response.status_code == 200 and response.json()["cancelled_at"]
    again = client.post(f"{URL}/{leave_id}/cancel")
    assert again.status_code == 409
    assert Leave.objects.get().cancelled_by == worker


def test_the_leave_page_records_and_cancels(net: Any, worker: User) -> None:
    client = client_for(worker)
    page = client.get("/workforce/leave/")
    assert page.status_code == 200 and "请假" in page.content.decode()
    response = client.post(
        "/workforce/leave/",
        {"starts_at": "2027-03-08T09:00", "ends_at": "2027-03-08T12:00", "reason": "就医"},
    )
    assert response.status_code == 302
    leave = Leave.objects.get()
    assert leave.starts_at == at(MONDAY, "09:00")
    refused = client.post(
        "/workforce/leave/",
        {"starts_at": "2027-03-08T10:00", "ends_at": "2027-03-08T09:00", "reason": "就医"},
    )
    assert refused.status_code == 422
    assert "请假结束时间须晚于开始时间" in refused.content.decode()
    client.post(f"/workforce/leave/{leave.pk}/cancel/")
    leave.refresh_from_db()
    assert leave.cancelled_at is not None
