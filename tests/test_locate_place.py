"""The locate answer names the nearest place of the micro-grid, to show the reporter where."""

from __future__ import annotations

from finegrid.accounts.models import User
from finegrid.grids.models import Building, Estate
from finegrid.grids.services import household_create
from tests.conftest import Net, client_for

URL = "/api/v1/grids/locate"


def _estate(net: Net) -> Estate:
    return Estate.objects.create(
        name="锦丰新城",
        address="新都区锦丰路88号",
        lat=30.01,
        lng=104.005,
        micro_grid=net.m1,
        grid_path=net.m1.path,
    )


def _building(net: Net, name: str, lat: float, lng: float, estate: Estate | None) -> Building:
    return Building.objects.create(
        name=name, estate=estate, lat=lat, lng=lng, micro_grid=net.m1, grid_path=net.m1.path
    )


def test_it_names_the_nearest_building_with_its_estate_address(net: Net) -> None:
    estate = _estate(net)
    _building(net, "锦丰新城1栋", 30.0100, 104.0050, estate)
    _building(net, "锦丰新城2栋", 30.0110, 104.0060, estate)
    r = client_for(None).get(URL, {"lat": 30.0109, "lng": 104.0059})
    assert r.status_code == 200
    place = r.json()["place"]
    assert place["kind"] == "building" and place["name"] == "锦丰新城2栋"
    assert place["address"] == "新都区锦丰路88号 锦丰新城2栋"
    assert 10 < place["distance_m"] < 20
    assert r.json()["micro_grid"]["code"] == "M1"


def test_a_household_is_named_only_to_whoever_may_see_its_micro_grid(
    net: Net, worker: User, neighbour: User
) -> None:
    household_create(address="锦丰村3组12号", lat=30.0100, lng=104.0050)
    near = {"lat": 30.0101, "lng": 104.0051}
    assert client_for(worker).get(URL, near).json()["place"]["address"] == "锦丰村3组12号"
    # a dwelling's address is the registry's: not for a stranger, nor the next micro-grid
    assert client_for(None).get(URL, near).json()["place"] is None
    assert client_for(neighbour).get(URL, near).json()["place"] is None


def test_a_place_far_away_is_not_named(net: Net) -> None:
    _building(net, "锦丰新城1栋", 30.0000, 104.0000, None)
    r = client_for(None).get(URL, {"lat": 30.0150, "lng": 104.0090})  # about 800 m off
    assert r.status_code == 200 and r.json()["place"] is None


def test_only_places_of_the_micro_grid_found_are_named(net: Net) -> None:
    _building(net, "锦丰新城1栋", 30.0100, 104.0099, None)  # M1, by its edge
    r = client_for(None).get(URL, {"lat": 30.0100, "lng": 104.0101})  # just inside M2
    assert r.json()["micro_grid"]["code"] == "M2" and r.json()["place"] is None
