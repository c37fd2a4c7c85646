"""GET /api/v1/workforce/codes?grid=: the codes of the places under a grid, made on first ask."""

from __future__ import annotations

from typing import Any

from finegrid.workforce.models import Code, CodeKind, PatrolPoint, Station
from finegrid.workforce.services_codes import code_verify
from tests.conftest import client_for
from tests.workforce.helpers_checkins import building_in


def _get(user: Any, query: str) -> Any:
    return client_for(user).get(f"/api/v1/workforce/codes?{query}")


def _places(net: Any) -> None:
    building_in(net.m1, "1栋")
    building_in(net.m2, "2栋")
    Station.objects.create(name="怡丽佳苑微网之家", grid=net.g1, lat=30.01, lng=104.01)
    PatrolPoint.objects.create(name="消防通道", micro_grid=net.m1, lat=30.01, lng=104.004)
    building_in(net.m3, "高堆5栋")  # another grid's: never listed under G1


def test_it_lists_and_makes_the_codes_of_every_place_under_the_grid(
    net: Any, gridhead: Any
) -> None:
    _places(net)
    response = _get(gridhead, "grid=G1")
    assert response.status_code == 200, response.content
    data = response.json()
    kinds = sorted(i["place"]["kind"] for i in data["items"])
    assert kinds == ["building", "building", "micro", "micro", "point", "station"]
    assert data["count"] == 6
    assert Code.objects.count() == 6
    item = next(i for i in data["items"] if i["place"]["name"] == "1栋")
    assert item["url"].endswith("/workforce/c/" + item["payload"])
    assert item["qr_url"].endswith(f"/workforce/codes/{item['id']}/qr.svg")
    assert code_verify(payload=item["payload"]).pk == item["id"]
    # asking again makes nothing new
    assert _get(gridhead, "grid=G1").json()["count"] == 6
    assert Code.objects.count() == 6


def test_it_filters_by_kind_and_pages(net: Any, gridhead: Any) -> None:
    _places(net)
    buildings = _get(gridhead, "grid=G1&kind=building").json()
    assert [i["place"]["name"] for i in buildings["items"]] == ["1栋", "2栋"]
    page = _get(gridhead, "grid=G1&limit=2&offset=2").json()
    assert (page["count"], len(page["items"]), page["offset"]) == (6, 2, 2)
    assert Code.objects.filter(kind=CodeKind.BUILDING).count() == 2


def test_the_neighbouring_grid_is_refused(net: Any, neighbour: Any) -> None:
    _places(net)
    response = _get(neighbour, "grid=M1")
    assert response.status_code == 404
    assert not Code.objects.filter(grid=net.m1).exists()
    assert _get(neighbour, "grid=M2").status_code == 200


def test_a_resident_and_an_unknown_grid_are_refused(net: Any, resident: Any, leader: Any) -> None:
    assert _get(resident, "grid=M1").status_code == 404
    assert _get(leader, "grid=NOPE").status_code == 404
    assert _get(None, "grid=M1").status_code == 401


def test_bad_paging_is_refused_naming_the_field(net: Any, leader: Any) -> None:
    assert _get(leader, "grid=S&limit=0").json()["field"] == "limit"
    assert _get(leader, "grid=S&offset=-1").json()["field"] == "offset"
    assert not Code.objects.exists()


def test_the_list_takes_a_constant_number_of_queries(
    net: Any, leader: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(30):
        building_in(net.m1 if n % 2 else net.m3, f"{n}栋")
    client = client_for(leader)
    client.get("/api/v1/workforce/codes?grid=S")
    with django_assert_max_num_queries(14):
        response = client.get("/api/v1/workforce/codes?grid=S&limit=200")
    assert response.json()["count"] == 30 + 3
