from __future__ import annotations

import pytest

from finegrid.core.errors import InvalidInput
from finegrid.grids import services
from finegrid.grids.models import Building, Estate, Household, Responsibility
from finegrid.grids.selectors import household_count
from tests.conftest import Net


def test_a_household_is_placed_in_the_micro_grid_holding_its_location(net: Net) -> None:
    home = services.household_create(address="锦丰新城C区5栋1单元201号", lat=30.01, lng=104.015)
    assert home.micro_grid == net.m2
    assert home.grid_path == "/S/C1/G1/M2/"
    assert household_count(net.c1) == 1
    assert household_count(net.c2) == 0


def test_a_household_in_a_building_takes_the_buildings_micro_grid(net: Net) -> None:
    estate = services.estate_create(name="锦丰新城", lat=30.01, lng=104.005)
    building = services.building_create(
        name="锦丰新城5栋", estate=estate, lat=30.01, lng=104.005, units=3
    )
    assert building.units.count() == 3
    home = services.household_create(
        address="5栋2单元301", building=building, unit=building.units.get(number=2), room="301"
    )
    assert home.micro_grid == net.m1
    assert estate.micro_grid == net.m1


def test_a_place_can_be_put_in_a_micro_grid_by_hand(net: Net) -> None:
    home = services.household_create(address="手工放置", micro_grid=net.m3)
    assert home.micro_grid == net.m3


def test_a_place_outside_every_grid_is_refused_and_not_written(net: Net) -> None:
    with pytest.raises(InvalidInput) as caught:
        services.household_create(address="城外", lat=31.5, lng=104.0)
    assert caught.value.problems[0].field == "lat"
    assert Household.objects.count() == 0


def test_a_place_needs_a_location_or_a_micro_grid(net: Net) -> None:
    with pytest.raises(InvalidInput):
        services.estate_create(name="无处")
    with pytest.raises(InvalidInput):
        services.building_create(name="错层", micro_grid=net.g1)  # a grid, not a micro-grid
    assert Estate.objects.count() == Building.objects.count() == 0


def test_a_responsibility_names_exactly_one_target(net: Net, worker) -> None:  # type: ignore[no-untyped-def]
    home = services.household_create(address="1号", micro_grid=net.m1)
    services.responsibility_assign(person=worker, duty="household_worker", household=home)
    assert Responsibility.objects.get().grid_path == net.m1.path
    with pytest.raises(InvalidInput):
        services.responsibility_assign(
            person=worker, duty="micro_worker", grid=net.m1, household=home
        )
    assert Responsibility.objects.count() == 1
