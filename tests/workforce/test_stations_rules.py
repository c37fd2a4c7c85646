"""A station shift outside the opening hours, or overlapping another of the same person, is
refused naming the field (or the row), in Chinese and English, through service, API and page."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from finegrid.core.errors import InvalidInput
from finegrid.workforce.models import Shift, ShiftKind
from finegrid.workforce.services_shifts import ShiftSpec, shift_create, shifts_create_many
from tests.conftest import client_for
from tests.workforce.helpers_stations import at, make_station, two_heads

MONDAY = dt.date(2026, 12, 7)


@pytest.fixture
def monday(time_machine: Any) -> None:
    time_machine.move_to(at(MONDAY, 8), tick=False)


def _duty(person: Any, station: Any, start: dt.datetime, end: dt.datetime) -> ShiftSpec:
    return ShiftSpec(
        person.pk, ShiftKind.STATION_DUTY, station.grid_id, start, end, station_id=station.pk
    )


def test_a_shift_outside_the_hours_is_refused_with_the_day_s_hours(
    net: Any, gridhead: Any, monday: None
) -> None:
    station = make_station(net.c1)
    with pytest.raises(InvalidInput) as err:
        shift_create(spec=_duty(gridhead, station, at(MONDAY, 8), at(MONDAY, 12)))
    problem = err.value.as_dict()["errors"][0]
    assert problem["field"] == "starts_at"
    assert "09:00–17:00" in problem["message_en"] and "opening hours" in problem["message_en"]
    assert "开放时间" in problem["message"]
    saturday = MONDAY + dt.timedelta(days=5)
    with pytest.raises(InvalidInput) as err:
        shift_create(spec=_duty(gridhead, station, at(saturday, 9), at(saturday, 12)))
    assert "—" in err.value.as_dict()["errors"][0]["message_en"]
    assert not Shift.objects.exists()


def test_a_batch_names_the_row_outside_the_hours(net: Any, gridhead: Any, monday: None) -> None:
    station = make_station(net.c1)
    tuesday = MONDAY + dt.timedelta(days=1)
    with pytest.raises(InvalidInput) as err:
        shifts_create_many(
            specs=[
                _duty(gridhead, station, at(MONDAY, 9), at(MONDAY, 17)),
                _duty(gridhead, station, at(tuesday, 16), at(tuesday, 18)),
            ]
        )
    assert [(p.row, p.field) for p in err.value.problems] == [(2, "starts_at")]
    assert not Shift.objects.exists()


def test_shifts_of_no_station_are_not_held_to_its_hours(
    net: Any, gridhead: Any, monday: None
) -> None:
    shift_create(
        spec=ShiftSpec(
            gridhead.pk, ShiftKind.COMMUNITY_DUTY, net.c1.pk, at(MONDAY, 18), at(MONDAY, 22)
        )
    )
    assert Shift.objects.count() == 1


def _roster(net: Any, official: Any, gridhead: Any) -> tuple[Any, list[Shift], Any]:
    from finegrid.workforce.services_stations import station_roster_generate

    _first, second = two_heads(net, gridhead)
    station = make_station(net.c1)
    station_roster_generate(actor=official, station=station, year=2026, month=12)
    return station, list(Shift.objects.filter(station=station).order_by("starts_at")), second


def test_the_api_refuses_moving_a_shift_outside_the_hours_or_onto_a_taken_person(
    net: Any, official: Any, gridhead: Any, monday: None
) -> None:
    station, shifts, second = _roster(net, official, gridhead)
    api = client_for(official)
    url = f"/api/v1/workforce/stations/{station.pk}/shifts/{shifts[0].pk}"
    late = {"starts_at": at(MONDAY, 16).isoformat(), "ends_at": at(MONDAY, 19).isoformat()}
    r = api.patch(url, json.dumps(late), content_type="application/json")
    assert r.status_code == 422
    body = r.json()
    assert body["errors"][0]["field"] == "starts_at"
    assert (
        "开放时间" in body["errors"][0]["message"]
        and "opening hours" in body["errors"][0]["message_en"]
    )
    # the second shift is the other head's on Tuesday: give Monday's to him too, then move
    # his Tuesday shift onto Monday: he would be on two shifts at once
    ok = api.patch(url, json.dumps({"person": second.username}), content_type="application/json")
    assert ok.status_code == 200 and ok.json()["person"] == second.username
    tuesday = shifts[1]
    clash = {"starts_at": at(MONDAY, 10).isoformat(), "ends_at": at(MONDAY, 12).isoformat()}
    r = api.patch(
        f"/api/v1/workforce/stations/{station.pk}/shifts/{tuesday.pk}",
        json.dumps(clash),
        content_type="application/json",
    )
    assert r.status_code == 422
    assert "already on another shift" in r.json()["errors"][0]["message_en"]
    tuesday.refresh_from_db()
    assert tuesday.starts_at == at(MONDAY + dt.timedelta(days=1), 9)
    nobody = api.patch(
        url, json.dumps({"person": "neighbour-who-is-not-a-head"}), content_type="application/json"
    )
    assert nobody.status_code == 422 and nobody.json()["errors"][0]["field"] == "person"


def test_the_roster_page_puts_the_refusal_beside_the_shift(
    net: Any, official: Any, gridhead: Any, monday: None
) -> None:
    station, shifts, _second = _roster(net, official, gridhead)
    page = client_for(official)
    url = f"/workforce/stations/{station.pk}/shifts/{shifts[0].pk}/"
    data = {"person": gridhead.pk, "day": MONDAY.isoformat(), "start": "07:00", "end": "10:00"}
    r = page.post(url, data, HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    assert 'class="fg-saved"' not in r.content.decode()
    html = r.content.decode()
    assert f'id="shift-{shifts[0].pk}"' in html and "开放时间" in html and "09:00–17:00" in html
    shifts[0].refresh_from_db()
    assert shifts[0].starts_at == at(MONDAY, 9)
    data["start"], data["end"] = "13:00", "17:00"
    r = page.post(url, data, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and 'class="fg-saved"' in r.content.decode()
    shifts[0].refresh_from_db()
    assert shifts[0].starts_at == at(MONDAY, 13)


def test_without_htmx_a_refused_shift_answers_422_with_the_whole_roster(
    net: Any, official: Any, gridhead: Any, monday: None
) -> None:
    station, shifts, _second = _roster(net, official, gridhead)
    url = f"/workforce/stations/{station.pk}/shifts/{shifts[0].pk}/"
    data = {"person": gridhead.pk, "day": MONDAY.isoformat(), "start": "07:00", "end": "10:00"}
    r = client_for(official).post(url, data)
    assert r.status_code == 422 and 'id="roster"' in r.content.decode()
    assert "开放时间" in r.content.decode()
