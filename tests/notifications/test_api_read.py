"""POST /api/v1/notifications/{id}/read and /read-all: only ever the caller's own notices."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from finegrid.accounts.models import User
from finegrid.notifications.models import Notification
from tests.conftest import client_for
from tests.notifications.helpers import dispatched_to, notices, unread

URL = "/api/v1/notifications"


def test_it_marks_one_notice_read(worker: User, gridhead: User) -> None:
    dispatched_to(worker, gridhead)
    notice = Notification.objects.get(user=worker)
    r = client_for(worker).post(f"{URL}/{notice.pk}/read")
    assert r.status_code == 200
    assert r.json()["read"] is True and r.json()["read_at"].endswith("+08:00")
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_reading_again_keeps_the_first_time(worker: User, time_machine: Any) -> None:
    notices(worker, 1)
    notice = Notification.objects.get(user=worker)
    first_read = timezone.now().replace(microsecond=0)
    time_machine.move_to(first_read, tick=False)
    first = client_for(worker).post(f"{URL}/{notice.pk}/read").json()["read_at"]
    time_machine.move_to(first_read + dt.timedelta(hours=2), tick=False)
    again = client_for(worker).post(f"{URL}/{notice.pk}/read").json()["read_at"]
    assert first == again
    assert dt.datetime.fromisoformat(first) == first_read
    notice.refresh_from_db()
    assert notice.read_at == first_read


def test_another_users_notice_is_not_found(worker: User, neighbour: User) -> None:
    notices(worker, 1)
    notice = Notification.objects.get(user=worker)
    r = client_for(neighbour).post(f"{URL}/{notice.pk}/read")
    assert r.status_code == 404
    assert r.json()["code"] == "not_found"
    assert r.json()["message_en"] == "You have no such notification."
    notice.refresh_from_db()
    assert notice.read_at is None


def test_an_odd_id_is_not_found(worker: User) -> None:
    notices(worker, 1)
    for odd in ("abc", "0", "-1", str(2**70)):
        assert client_for(worker).post(f"{URL}/{odd}/read").status_code == 404
    assert unread(worker) == 1


def test_read_all_marks_only_the_callers_notices(worker: User, neighbour: User) -> None:
    notices(worker, 3)
    notices(neighbour, 2)
    r = client_for(worker).post(f"{URL}/read-all")
    assert r.status_code == 200
    assert r.json() == {"marked": 3, "unread": 0}
    assert unread(worker) == 0
    assert unread(neighbour) == 2
    assert client_for(worker).post(f"{URL}/read-all").json() == {"marked": 0, "unread": 0}
