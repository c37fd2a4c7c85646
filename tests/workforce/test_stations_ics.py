"""The station feed and a worker's own feed, read back with the icalendar library: the roster's
events at the right local times in Asia/Shanghai with its VTIMEZONE, stable UIDs, and a
rotated secret that revokes the old URL."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from icalendar import Calendar

from finegrid.workforce.models import Shift, ShiftKind, Worker, WorkerType
from finegrid.workforce.services_stations import booking_create, station_roster_generate
from tests.conftest import client_for
from tests.workforce.helpers_stations import at, family_doctor, make_station, two_heads

MONDAY = dt.date(2026, 12, 7)


@pytest.fixture
def monday(time_machine: Any) -> None:
    time_machine.move_to(at(MONDAY, 8), tick=False)


def _events(body: bytes) -> list[Any]:
    cal = Calendar.from_ical(body)
    return list(cal.walk("VEVENT"))


def test_a_calendar_library_finds_the_roster_in_the_station_feed(
    net: Any, official: Any, gridhead: Any, monday: None
) -> None:
    first, second = two_heads(net, gridhead)
    station = make_station(net.c1)
    family_doctor(station)
    station_roster_generate(actor=official, station=station, year=2026, month=12)
    booking_create(
        actor=official,
        room=station.rooms.get(),
        title="楼栋议事会",
        starts_at=at(MONDAY, 14),
        ends_at=at(MONDAY, 16),
    )

    r = client_for(official).get(f"/workforce/stations/{station.pk}/calendar.ics")

    assert r.status_code == 200 and r["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(r.content)
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    events = _events(r.content)
    duty = [e for e in events if ShiftKind.STATION_DUTY in str(e.get("CATEGORIES").to_ical())]
    monday_duty = next(e for e in duty if e.decoded("DTSTART").date() == MONDAY)
    start, end = monday_duty.decoded("DTSTART"), monday_duty.decoded("DTEND")
    assert (start.hour, end.hour) == (9, 17)
    assert str(start.tzinfo) == "Asia/Shanghai"
    assert monday_duty["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert first.display_name in str(monday_duty["SUMMARY"])
    tuesday = next(e for e in duty if e.decoded("DTSTART").date() == MONDAY + dt.timedelta(days=1))
    assert second.display_name in str(tuesday["SUMMARY"])
    assert len(duty) == Shift.objects.filter(station=station, kind=ShiftKind.STATION_DUTY).count()
    doctor = [e for e in events if "家庭医生" in str(e["SUMMARY"])]
    assert {e.decoded("DTSTART").weekday() for e in doctor} == {1, 4}
    assert any(
        "楼栋议事会" in str(e["SUMMARY"]) and e.decoded("DTSTART").hour == 14 for e in events
    )


def test_uids_stay_when_a_shift_is_reassigned(
    net: Any, official: Any, gridhead: Any, monday: None
) -> None:
    _first, second = two_heads(net, gridhead)
    station = make_station(net.c1)
    station_roster_generate(actor=official, station=station, year=2026, month=12)
    client = client_for(official)
    url = f"/workforce/stations/{station.pk}/calendar.ics"
    before = {str(e["UID"]) for e in _events(client.get(url).content)}
    shift = Shift.objects.filter(station=station).order_by("starts_at").first()
    assert shift is not None
    r = client.patch(
        f"/api/v1/workforce/stations/{station.pk}/shifts/{shift.pk}",
        json.dumps({"person": second.username}),
        content_type="application/json",
    )
    assert r.status_code == 200
    after = {str(e["UID"]): e for e in _events(client.get(url).content)}
    assert set(after) == before
    assert second.display_name in str(after[f"shift-{shift.pk}@finegrid"]["SUMMARY"])


def test_the_worker_feed_lives_behind_its_secret_and_rotating_revokes_it(
    net: Any, official: Any, gridhead: Any, monday: None
) -> None:
    two_heads(net, gridhead)
    worker = Worker.objects.create(user=gridhead, type=WorkerType.GRID_HEAD, origin="party_member")
    station = make_station(net.c1)
    station_roster_generate(actor=official, station=station, year=2026, month=12)
    anonymous = client_for(None)
    old = f"/workforce/calendar/{worker.calendar_secret}.ics"
    r = anonymous.get(old)
    assert r.status_code == 200
    mine = _events(r.content)
    assert mine and all(gridhead.display_name in str(e["SUMMARY"]) for e in mine)
    assert len(mine) == Shift.objects.filter(person=gridhead).count()

    rotated = client_for(gridhead).post("/api/v1/workforce/calendar/rotate")
    assert rotated.status_code == 200
    worker.refresh_from_db()
    assert rotated.json()["url"].endswith(f"/workforce/calendar/{worker.calendar_secret}.ics")
    assert anonymous.get(old).status_code == 404
    assert anonymous.get(f"/workforce/calendar/{worker.calendar_secret}.ics").status_code == 200
    # the button on the page does the same
    newer = worker.calendar_secret
    page = client_for(gridhead)
    assert worker.calendar_secret in page.get("/workforce/calendar/").content.decode()
    assert page.post("/workforce/calendar/").status_code == 302
    worker.refresh_from_db()
    assert worker.calendar_secret != newer
    assert anonymous.get(f"/workforce/calendar/{newer}.ics").status_code == 404


def test_nobody_rotates_someone_else_s_secret(net: Any, gridhead: Any, worker: Any) -> None:
    Worker.objects.create(user=gridhead, type=WorkerType.GRID_HEAD, origin="party_member")
    assert client_for(worker).post("/api/v1/workforce/calendar/rotate").status_code == 404
    assert anonymous_guess(gridhead) == 404


def anonymous_guess(user: Any) -> int:
    return int(client_for(None).get("/workforce/calendar/not-the-secret.ics").status_code)
