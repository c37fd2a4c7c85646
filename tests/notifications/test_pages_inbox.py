"""/notifications/: the inbox page, in both languages, each user's own notices only."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from finegrid.accounts.models import User
from finegrid.notifications.models import Notification
from tests.conftest import client_for
from tests.notifications.helpers import dispatched_to, notices

URL = "/notifications/"


def english(user: User) -> Client:
    client = client_for(user)
    client.cookies["django_language"] = "en"
    return client


def test_the_inbox_lists_the_notice_of_a_dispatched_case(worker: User, gridhead: User) -> None:
    case = dispatched_to(worker, gridhead)
    notice = Notification.objects.get(user=worker)
    r = client_for(worker).get(URL)
    assert r.status_code == 200
    body = r.content.decode()
    assert "<h1>通知</h1>" in body and "1 条未读" in body
    assert f"事件 {case.number} 已派给您处置" in body
    assert f'href="/notifications/{notice.pk}/open/"' in body
    assert 'data-read="0"' in body
    assert Notification.objects.get(pk=notice.pk).read_at is None  # looking is not reading


def test_the_inbox_speaks_english(worker: User, gridhead: User) -> None:
    case = dispatched_to(worker, gridhead)
    body = english(worker).get(URL).content.decode()
    assert "<h1>Notifications</h1>" in body and "1 unread" in body
    assert f"Case {case.number} is yours to handle" in body
    assert "Mark all read" in body and "Mark read" in body
    assert "已派给您" not in body


def test_the_inbox_shows_only_the_users_own_notices(worker: User, neighbour: User) -> None:
    notices(worker, 1, kind="mine")
    theirs = Notification.objects.get(user=worker)
    body = client_for(neighbour).get(URL).content.decode()
    assert f'data-id="{theirs.pk}"' not in body
    assert "还没有通知" in body


def test_the_unread_tab_leaves_out_what_was_read(worker: User) -> None:
    notices(worker, 2)
    first, second = Notification.objects.order_by("id")
    client_for(worker).post(f"/notifications/{first.pk}/read/")
    body = client_for(worker).get(URL, {"unread": "1"}).content.decode()
    assert f'data-id="{second.pk}"' in body and f'data-id="{first.pk}"' not in body
    everything = client_for(worker).get(URL).content.decode()
    assert f'data-id="{first.pk}"' in everything


def test_the_inbox_pages_thirty_at_a_time(worker: User) -> None:
    notices(worker, 31)
    body = client_for(worker).get(URL).content.decode()
    assert body.count('class="fg-note ') == 30
    assert "第 1 页，共 2 页" in body
    older = client_for(worker).get(URL, {"page": 2}).content.decode()
    assert older.count('class="fg-note ') == 1 and ">Notice 0<" in older


def test_the_inbox_runs_a_constant_number_of_queries(worker: User, gridhead: User) -> None:
    def count(**params: Any) -> int:
        client = client_for(worker)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL, params).status_code == 200
        return len(ctx)

    case = dispatched_to(worker, gridhead)
    small, small_unread = count(), count(unread="1")
    notices(worker, 20, subject=("case", case.pk))
    assert (count(), count(unread="1")) == (small, small_unread)


def test_a_stranger_is_sent_to_log_in(worker: User) -> None:
    r = client_for(None).get(URL)
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]
