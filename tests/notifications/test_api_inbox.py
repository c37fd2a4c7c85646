"""GET /api/v1/notifications: the caller's own notices, paged, newest first, unread on demand."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from finegrid.accounts.models import User
from finegrid.notifications.models import Notification
from tests.conftest import client_for
from tests.notifications.helpers import dispatched_to, notices

URL = "/api/v1/notifications"


def test_it_lists_the_notice_of_a_dispatched_case_in_both_languages(
    worker: User, gridhead: User
) -> None:
    case = dispatched_to(worker, gridhead)
    body = client_for(worker).get(URL).json()
    assert (body["count"], body["unread"]) == (1, 1)
    item = body["items"][0]
    assert item["kind"] == "case.assigned"
    assert item["title"] == f"事件 {case.number} 已派给您处置"
    assert item["title_en"] == f"Case {case.number} is yours to handle"
    assert item["link"] == f"/cases/{case.pk}/"
    assert item["subject"] == {"kind": "case", "id": str(case.pk)}
    assert item["read"] is False and item["read_at"] is None
    assert item["created_at"].endswith("+08:00")
    assert Notification.objects.get(pk=item["id"]).user == worker


def test_it_shows_only_the_callers_own_notices(worker: User, neighbour: User) -> None:
    notices(worker, 2)
    notices(neighbour, 3)
    body = client_for(neighbour).get(URL).json()
    assert body["count"] == 3
    assert {Notification.objects.get(pk=i["id"]).user_id for i in body["items"]} == {neighbour.pk}


def test_it_pages_newest_first_and_filters_unread(worker: User) -> None:
    notices(worker, 5)
    oldest = Notification.objects.order_by("id").first()
    assert oldest is not None
    client_for(worker).post(f"{URL}/{oldest.pk}/read")
    page = client_for(worker).get(URL, {"limit": 2, "offset": 3}).json()
    assert page["count"] == 5 and page["unread"] == 4
    assert [i["title"] for i in page["items"]] == ["Notice 1", "Notice 0"]
    only_unread = client_for(worker).get(URL, {"unread": "true"}).json()
    assert only_unread["count"] == 4
    assert oldest.pk not in [i["id"] for i in only_unread["items"]]
    assert client_for(worker).get(URL, {"offset": 99}).json()["items"] == []


def test_a_bad_limit_or_offset_is_refused_naming_it(worker: User) -> None:
    r = client_for(worker).get(URL, {"limit": 0})
    assert r.status_code == 422
    assert r.json()["field"] == "limit"
    assert r.json()["message_en"] == "limit must be between 1 and 100."
    r = client_for(worker).get(URL, {"offset": -1})
    assert r.status_code == 422 and r.json()["field"] == "offset"


def test_a_stranger_is_asked_to_log_in(worker: User) -> None:
    notices(worker, 1)
    r = client_for(None).get(URL)
    assert r.status_code == 401
    assert r.json()["code"] == "unauthorized"


def test_the_list_runs_a_constant_number_of_queries(worker: User) -> None:
    def count() -> int:
        client = client_for(worker)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx)

    notices(worker, 1)
    small = count()
    notices(worker, 15)
    assert count() == small
