"""The header badge: on every page, polled cheaply, answered 304 while the count stands."""

from __future__ import annotations

import json

from finegrid.accounts.models import User
from tests.conftest import client_for
from tests.notifications.helpers import dispatched_to, notices

BADGE = "/notifications/badge/"


def test_every_page_shows_the_unread_count(worker: User, gridhead: User) -> None:
    dispatched_to(worker, gridhead)
    for url in ("/map/", "/cases/", "/cases/mine/", "/notifications/"):
        body = client_for(worker).get(url).content.decode()
        assert 'id="fg-inbox"' in body and 'data-unread="1"' in body, url
        assert '<span class="fg-count" title="1 条未读">1</span>' in body, url


def test_the_badge_polls_every_twenty_seconds_only_while_visible(worker: User) -> None:
    body = client_for(worker).get("/map/").content.decode()
    assert 'hx-get="/notifications/badge/?seen=0"' in body
    assert "every 20s [document.visibilityState === 'visible']" in body


def test_the_badge_answers_304_until_the_count_changes(worker: User) -> None:
    client = client_for(worker)
    first = client.get(BADGE)
    assert first.status_code == 200 and 'data-unread="0"' in first.content.decode()
    etag = first["ETag"]
    assert first["Cache-Control"] == "private, no-cache"
    same = client.get(BADGE, HTTP_IF_NONE_MATCH=etag)
    assert same.status_code == 304 and same.content == b""
    notices(worker, 2)
    changed = client.get(BADGE, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert 'data-unread="2"' in changed.content.decode()


def test_the_badge_speaks_english(worker: User) -> None:
    notices(worker, 1)
    client = client_for(worker)
    client.cookies["django_language"] = "en"
    body = client.get(BADGE).content.decode()
    assert "Notifications" in body and 'title="1 unread"' in body


def test_a_logged_out_page_stops_polling(worker: User) -> None:
    r = client_for(None).get(BADGE)
    assert r.status_code == 286 and r.content == b""
    assert 'id="fg-inbox"' not in client_for(None).get("/accounts/login/").content.decode()


def test_a_changed_count_tells_the_page_to_redraw_its_list(worker: User) -> None:
    client = client_for(worker)
    unchanged = client.get(BADGE, {"seen": 0})
    assert unchanged.status_code == 200 and "HX-Trigger" not in unchanged
    notices(worker, 1)
    changed = client.get(BADGE, {"seen": 0})
    # htmx reads the event from the header, a name or (as django-htmx writes it) JSON
    assert "fg-unread-changed" in json.loads(changed["HX-Trigger"])
    assert 'hx-get="/notifications/badge/?seen=1"' in changed.content.decode()
    inbox = client.get("/notifications/").content.decode()
    assert (
        'hx-trigger="fg-unread-changed from:body"' in inbox and 'hx-select="#inbox-list"' in inbox
    )
