"""Reading notices on the page: opening one follows its link, marking one or all read."""

from __future__ import annotations

from finegrid.accounts.models import User
from finegrid.notifications.models import Notification
from tests.conftest import client_for
from tests.notifications.helpers import dispatched_to, notices, unread


def test_opening_a_notice_reads_it_and_goes_to_the_case(worker: User, gridhead: User) -> None:
    case = dispatched_to(worker, gridhead)
    notice = Notification.objects.get(user=worker)
    client = client_for(worker)
    r = client.get(f"/notifications/{notice.pk}/open/")
    assert r.status_code == 302 and r["Location"] == f"/cases/{case.pk}/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    page = client.get(r["Location"]).content.decode()
    assert case.number in page
    assert 'data-unread="0"' in page and 'class="fg-count"' not in page


def test_a_notice_without_a_link_opens_the_inbox(worker: User) -> None:
    notices(worker, 1)
    notice = Notification.objects.get(user=worker)
    r = client_for(worker).get(f"/notifications/{notice.pk}/open/")
    assert r.status_code == 302 and r["Location"] == "/notifications/"
    assert unread(worker) == 0


def test_another_users_notice_is_not_found(worker: User, neighbour: User) -> None:
    notices(worker, 1)
    notice = Notification.objects.get(user=worker)
    client = client_for(neighbour)
    assert client.get(f"/notifications/{notice.pk}/open/").status_code == 404
    assert client.post(f"/notifications/{notice.pk}/read/").status_code == 404
    assert client.post(f"/notifications/{2**70}/read/").status_code == 404
    assert unread(worker) == 1


def test_marking_read_with_htmx_swaps_the_row_and_the_badge(worker: User) -> None:
    notices(worker, 2)
    notice = Notification.objects.order_by("id").first()
    assert notice is not None
    r = client_for(worker).post(f"/notifications/{notice.pk}/read/", HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    body = r.content.decode()
    assert f'id="notification-{notice.pk}"' in body and 'data-read="1"' in body
    assert 'id="fg-inbox"' in body and 'hx-swap-oob="true"' in body and 'data-unread="1"' in body
    assert "1 条未读" in body
    assert unread(worker) == 1


def test_marking_read_without_htmx_goes_back(worker: User) -> None:
    notices(worker, 1)
    notice = Notification.objects.get(user=worker)
    r = client_for(worker).post(
        f"/notifications/{notice.pk}/read/", {"next": "/notifications/?unread=1"}
    )
    assert r.status_code == 302 and r["Location"] == "/notifications/?unread=1"
    assert unread(worker) == 0
    elsewhere = client_for(worker).post(
        f"/notifications/{notice.pk}/read/", {"next": "https://example.com/"}
    )
    assert elsewhere["Location"] == "/notifications/"


def test_mark_all_read_reads_only_the_users_notices(worker: User, neighbour: User) -> None:
    notices(worker, 3)
    notices(neighbour, 1)
    r = client_for(worker).post("/notifications/read-all/", {"next": "/notifications/"})
    assert r.status_code == 302 and r["Location"] == "/notifications/"
    assert unread(worker) == 0 and unread(neighbour) == 1
    assert client_for(worker).get("/notifications/read-all/").status_code == 405
