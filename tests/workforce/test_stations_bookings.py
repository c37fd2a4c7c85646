"""Booking a station's room for a residents' meeting: a taken slot is refused (409, naming the
field, in both languages), also when two requests come at once; cancelling frees the slot."""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from typing import Any

import pytest
from django.db import connection

from finegrid.core.errors import InvalidInput
from finegrid.workforce.models import Booking
from finegrid.workforce.services_stations import SlotTaken, booking_create
from tests.conftest import client_for
from tests.workforce.helpers_stations import at, make_station

TUESDAY = dt.date(2026, 12, 8)


@pytest.fixture
def monday(time_machine: Any) -> None:
    time_machine.move_to(at(TUESDAY - dt.timedelta(days=1), 10), tick=False)


def _body(room: Any, start: int, end: int, title: str = "楼栋议事会") -> str:
    return json.dumps(
        {
            "room": room.pk,
            "title": title,
            "starts_at": at(TUESDAY, start).isoformat(),
            "ends_at": at(TUESDAY, end).isoformat(),
        }
    )


def test_a_booking_on_a_taken_slot_is_refused_and_cancelling_frees_it(
    net: Any, gridhead: Any, monday: None
) -> None:
    station = make_station(net.g1)
    room = station.rooms.get()
    api = client_for(gridhead)
    url = f"/api/v1/workforce/stations/{station.pk}/bookings"
    first = api.post(url, _body(room, 14, 16), content_type="application/json")
    assert first.status_code == 201
    taken = api.post(url, _body(room, 15, 17, "志愿服务队例会"), content_type="application/json")
    assert taken.status_code == 409
    body = taken.json()
    assert body["code"] == "slot_taken" and body["field"] == "starts_at"
    assert "已被预约" in body["message"] and "already booked from" in body["message_en"]
    assert "14:00" in body["message_en"]
    assert Booking.objects.count() == 1
    # back to back is fine
    assert (
        api.post(url, _body(room, 16, 17, "例会"), content_type="application/json").status_code
        == 201
    )
    cancel = api.post(f"{url}/{first.json()['id']}/cancel")
    assert cancel.status_code == 200 and cancel.json()["cancelled"] is True
    again = api.post(url, _body(room, 14, 16, "志愿服务队例会"), content_type="application/json")
    assert again.status_code == 201
    listed = api.get(url, {"month": "2026-12"}).json()
    assert [b["title"] for b in listed] == ["志愿服务队例会", "例会"]


def test_a_booking_outside_the_hours_names_the_hours(net: Any, gridhead: Any, monday: None) -> None:
    station = make_station(net.g1)
    room = station.rooms.get()
    r = client_for(gridhead).post(
        f"/api/v1/workforce/stations/{station.pk}/bookings",
        _body(room, 18, 20),
        content_type="application/json",
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "starts_at"
    assert "09:00–17:00" in r.json()["errors"][0]["message"]
    assert not Booking.objects.exists()


def test_the_page_books_and_shows_the_refusal_beside_the_form(
    net: Any, gridhead: Any, monday: None
) -> None:
    station = make_station(net.g1)
    room = station.rooms.get()
    page = client_for(gridhead)
    url = f"/workforce/stations/{station.pk}/bookings/"
    data = {
        "room": room.pk,
        "title": "楼栋议事会",
        "day": TUESDAY.isoformat(),
        "start": "14:00",
        "end": "16:00",
    }
    assert page.post(url, data).status_code == 302
    r = page.post(url, {**data, "title": "另一个会"}, HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert "已被预约" in html and 'id="station-bookings"' in html
    assert list(Booking.objects.values_list("title", flat=True)) == ["楼栋议事会"]
    booking = Booking.objects.get()
    assert page.post(f"{url}{booking.pk}/cancel/").status_code == 302
    booking.refresh_from_db()
    assert booking.cancelled_at is not None and booking.cancelled_by == gridhead


def test_a_booking_with_an_empty_purpose_writes_nothing(
    net: Any, gridhead: Any, monday: None
) -> None:
    station = make_station(net.g1)
    with pytest.raises(InvalidInput) as err:
        booking_create(
            actor=gridhead,
            room=station.rooms.get(),
            title=" ",
            starts_at=at(TUESDAY, 9),
            ends_at=at(TUESDAY, 10),
        )
    assert err.value.problems[0].field == "title"
    assert not Booking.objects.exists()


@pytest.mark.skipif(
    not os.environ.get("FINEGRID_DATABASE_URL", "").startswith("postgres"),
    reason="row locks need PostgreSQL (SQLite serialises every writer anyway)",
)
@pytest.mark.django_db(transaction=True)
def test_two_overlapping_bookings_at_once_one_wins(net: Any, gridhead: Any) -> None:
    station = make_station(net.g1)
    room = station.rooms.get()
    start = at(dt.date.today() + dt.timedelta(days=14 - dt.date.today().weekday()), 14)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def book(title: str) -> None:
        try:
            barrier.wait()
            booking_create(
                actor=gridhead,
                room=room,
                title=title,
                starts_at=start,
                ends_at=start + dt.timedelta(hours=2),
            )
            outcomes.append("ok")
        except SlotTaken:
            outcomes.append("taken")
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(t,)) for t in ("甲", "乙")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "taken"]
    assert Booking.objects.filter(room=room).count() == 1
