"""Creating and editing a station through the API and the page: hours and services checked,
named fields refused in both languages, nothing half-written."""

from __future__ import annotations

import json
from typing import Any

from finegrid.workforce.models import Room, Station
from tests.conftest import client_for


def test_the_api_creates_a_station_with_its_hours_services_and_a_meeting_room(
    net: Any, official: Any
) -> None:
    body = {
        "grid": "G1",
        "name": "怡丽佳苑微网实格服务站",
        "name_en": "Yilijiayuan station",
        "address": "怡丽佳苑3栋架空层",
        "lat": 30.01,
        "lng": 104.005,
        "phone": "028-87900000",
        "hours": [{"weekday": d, "start": "09:00", "end": "17:00"} for d in range(5)],
        "services": ["family_doctor", "reception", "meetings"],
    }
    r = client_for(official).post(
        "/api/v1/workforce/stations", json.dumps(body), content_type="application/json"
    )
    assert r.status_code == 201, r.content
    out = r.json()
    assert out["grid"] == "G1" and out["can_edit"] is True
    assert [s["code"] for s in out["services"]] == ["reception", "meetings", "family_doctor"]
    assert out["rooms"][0]["name"] == "议事室"
    assert out["calendar_url"].endswith(f"/workforce/stations/{out['id']}/calendar.ics")
    station = Station.objects.get()
    assert station.grid_path == net.g1.path and len(station.hours) == 5
    patch = client_for(official).patch(
        f"/api/v1/workforce/stations/{station.pk}",
        json.dumps({"hours": [{"weekday": 1, "start": "09:00", "end": "12:00"}], "phone": ""}),
        content_type="application/json",
    )
    assert patch.status_code == 200
    station.refresh_from_db()
    assert (
        station.hours == [{"weekday": 1, "start": "09:00", "end": "12:00"}] and station.phone == ""
    )
    assert station.name == "怡丽佳苑微网实格服务站"


def test_bad_hours_and_services_are_refused_naming_the_field(net: Any, official: Any) -> None:
    api = client_for(official)
    base = {"grid": "G1", "name": "站"}
    bad_hours = {**base, "hours": [{"weekday": 0, "start": "17:00", "end": "09:00"}]}
    r = api.post(
        "/api/v1/workforce/stations", json.dumps(bad_hours), content_type="application/json"
    )
    assert r.status_code == 422
    error = r.json()["errors"][0]
    assert (error["field"], error["row"]) == ("hours", 1)
    assert (
        "开放时间的结束须晚于开始" in error["message"] and "must end after" in error["message_en"]
    )
    bad_service = {**base, "services": ["karaoke"]}
    r = api.post(
        "/api/v1/workforce/stations", json.dumps(bad_service), content_type="application/json"
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "services"
    assert not Station.objects.exists() and not Room.objects.exists()


def test_the_page_creates_and_edits_a_station(net: Any, official: Any) -> None:
    page = client_for(official)
    assert "1-5 09:00-17:00" in page.get("/workforce/stations/new/").content.decode()
    data = {
        "grid": "G1",
        "name": "怡丽佳苑微网实格服务站",
        "hours": "1-5 09:00-17:00\n2,5 18:00-20:00",
        "services": ["reception", "family_doctor"],
    }
    r = page.post("/workforce/stations/new/", data)
    station = Station.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/workforce/stations/{station.pk}/"
    assert len(station.hours) == 7 and station.services == ["reception", "family_doctor"]
    edit = page.get(f"/workforce/stations/{station.pk}/edit/").content.decode()
    assert "1-5 09:00-17:00" in edit and "2,5 18:00-20:00" in edit
    bad = page.post(f"/workforce/stations/{station.pk}/edit/", {**data, "hours": "周一 9点"})
    assert bad.status_code == 200
    assert "第 1 行" in bad.content.decode()
    station.refresh_from_db()
    assert len(station.hours) == 7
    detail = page.get(f"/workforce/stations/{station.pk}/").content.decode()
    assert "家庭医生坐诊" in detail and "周一 09:00–17:00" in detail


def test_a_grid_out_of_sight_is_refused_on_the_page_form(net: Any, official: Any) -> None:
    r = client_for(official).post(
        "/workforce/stations/new/", {"grid": "C2", "name": "站", "hours": ""}
    )
    assert r.status_code == 200 and "辖区内没有这个编码的网格" in r.content.decode()
    assert not Station.objects.exists()
