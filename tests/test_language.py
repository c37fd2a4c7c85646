from __future__ import annotations

from finegrid.accounts.models import User
from finegrid.grids.geo import wgs84_to_gcj02
from tests.conftest import Net, client_for


def test_pages_are_chinese_by_default(net: Net) -> None:
    page = client_for(None).get("/accounts/login/").content.decode()
    assert 'lang="zh-hans"' in page
    assert "登录" in page


def test_pages_switch_to_english(net: Net) -> None:
    c = client_for(None)
    r = c.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert r.status_code == 302
    page = c.get("/accounts/login/").content.decode()
    assert 'lang="en"' in page
    assert "Log in" in page and "登录" not in page


def test_api_errors_carry_both_languages(worker: User) -> None:
    body = client_for(worker).get("/api/v1/grids/M2").json()
    assert body["message"] == "您的辖区内没有这个编码的网格。"
    assert body["message_en"] == "No grid with this code in your jurisdiction."


def test_gcj02_shifts_chengdu_by_a_few_hundred_metres() -> None:
    lng, lat = wgs84_to_gcj02(104.065, 30.660)
    # Near Tianfu Square the well-known GCJ-02 offset is about 240 m east and 260 m south
    assert abs((lng - 104.065) - 0.00247) < 0.0002
    assert abs((lat - 30.660) + 0.00235) < 0.0002
    assert wgs84_to_gcj02(2.35, 48.85) == (2.35, 48.85)  # outside China: unchanged


def test_the_map_layer_can_be_drawn_for_gcj02_tiles(leader: User) -> None:
    plain = client_for(leader).get("/api/v1/grids/layer?level=micro&zoom=18").json()
    shifted = client_for(leader).get("/api/v1/grids/layer?level=micro&zoom=18&crs=gcj02").json()
    x0 = plain["features"][0]["geometry"]["coordinates"][0][0][0]
    x1 = shifted["features"][0]["geometry"]["coordinates"][0][0][0]
    assert 0.001 < x1 - x0 < 0.005
    bad = client_for(leader).get("/api/v1/grids/layer?level=micro&crs=bd09")
    assert bad.status_code == 422 and bad.json()["field"] == "crs"


def test_a_parameter_error_names_the_field_in_both_languages(net: Net) -> None:
    body = client_for(None).get("/api/v1/grids/locate?lng=104").json()
    assert body["message"] == "缺少必填项：lat。"
    assert body["message_en"] == "This field is required: lat."


def test_an_overlap_error_names_the_neighbour_in_both_languages(leader: User, net: Net) -> None:
    import json

    feature = {
        "type": "Feature",
        "properties": {"code": "M9", "name": "重叠", "parent": "G1"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [
                [
                    [104.005, 30.0],
                    [104.015, 30.0],
                    [104.015, 30.01],
                    [104.005, 30.01],
                    [104.005, 30.0],
                ]
            ],
        },
    }
    r = client_for(leader).post(
        "/api/v1/grids/import?level=micro",
        json.dumps({"type": "FeatureCollection", "features": [feature]}),
        content_type="application/json",
    )
    errors = r.json()["errors"]
    assert {e["message"] for e in errors} == {
        "边界与相邻网格（M1）重叠。",
        "边界与相邻网格（M2）重叠。",
    }
    assert {e["message_en"] for e in errors} == {
        "The boundary overlaps a neighbouring grid (M1).",
        "The boundary overlaps a neighbouring grid (M2).",
    }


def test_an_english_browser_still_gets_chinese_until_the_user_switches(net: Net) -> None:
    c = client_for(None)
    page = c.get("/board/M1/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="zh-hans"' in page and "公示栏" in page
    c.post("/i18n/setlang/", {"language": "en", "next": "/board/M1/"})
    assert 'lang="en"' in c.get("/board/M1/").content.decode()
