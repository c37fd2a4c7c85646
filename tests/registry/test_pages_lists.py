"""Businesses and rentals of a grid: masked contact phones, inspection status, jurisdiction."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from finegrid.registry import services
from tests.conftest import client_for
from tests.registry.helpers import home_in, register


@pytest.fixture
def places(net: Any, leader: Any) -> None:
    services.business_create(
        actor=leader,
        name="锦丰便利店",
        business_type="shop",
        address="锦丰路12号",
        micro_grid=net.m1,
        contact_phone="13812345678",
        inspection_status="failed",
        inspected_on=dt.date(2025, 5, 1),
    )
    services.business_create(
        actor=leader, name="隔壁火锅", business_type="restaurant", address="2号", micro_grid=net.m2
    )
    home = home_in(net.m1)
    services.rental_create(
        actor=leader, household=home, landlord=register(leader, home, "张三"), registered=False
    )


def test_businesses_show_a_masked_phone_and_the_inspection_colour(
    worker: Any, places: None
) -> None:
    response = client_for(worker).get("/registry/businesses/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "锦丰便利店" in body and "138****5678" in body and "13812345678" not in body
    assert "fg-status--failed" in body
    assert "隔壁火锅" not in body  # a neighbouring grid's


def test_rentals_show_landlord_and_registration(worker: Any, neighbour: Any, places: None) -> None:
    body = client_for(worker).get("/registry/rentals/").content.decode()
    assert "张三" in body and "fg-status--failed" in body
    assert "张三" not in client_for(neighbour).get("/registry/rentals/").content.decode()


def test_a_department_is_refused(dept: Any, places: None) -> None:
    assert client_for(dept).get("/registry/businesses/").status_code == 403
    assert client_for(dept).get("/registry/rentals/").status_code == 403
