"""The special-population list of a grid, per care kind, with their households as dots."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from finegrid.grids import services as grid_services
from finegrid.registry import services
from tests.conftest import client_for
from tests.registry.helpers import register

URL = "/registry/special/"


@pytest.fixture
def tagged(net: Any, leader: Any) -> None:
    home = grid_services.household_create(address="锦丰新城1栋1单元101", lat=30.01, lng=104.005)
    alone = register(leader, home, "张三")
    services.care_tag_add(actor=leader, person=alone, kind="living_alone")
    watched = register(leader, home, "李四")
    services.care_tag_add(actor=leader, person=watched, kind="key_attention")
    far = grid_services.household_create(address="锦丰新城2栋1单元101", lat=30.01, lng=104.015)
    services.care_tag_add(actor=leader, person=register(leader, far, "王五"), kind="living_alone")


def _points(body: str) -> list[dict[str, Any]]:
    found = re.search(r'<script id="special-points" type="application/json">(.*?)</script>', body)
    assert found is not None
    return list(json.loads(found.group(1)))


def test_it_lists_people_living_alone_with_their_households_as_dots(
    worker: Any, tagged: None
) -> None:
    response = client_for(worker).get(URL, {"kind": "living_alone"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "张三" in body and "王五" not in body  # 王五 lives in the neighbouring micro-grid
    points = _points(body)
    assert len(points) == 1 and points[0]["url"].startswith("/registry/households/")
    assert points[0]["lat"] == 30.01


def test_a_micro_grid_worker_gets_no_key_attention_tab(worker: Any, tagged: None) -> None:
    body = client_for(worker).get(URL, {"kind": "key_attention"}).content.decode()
    assert 'data-kind="key_attention"' not in body
    assert "李四" not in body


def test_the_grid_head_sees_key_attention(gridhead: Any, tagged: None) -> None:
    body = client_for(gridhead).get(URL, {"kind": "key_attention"}).content.decode()
    assert 'data-kind="key_attention"' in body and "李四" in body


def test_a_neighbouring_grid_is_refused(neighbour: Any, tagged: None) -> None:
    body = client_for(neighbour).get(URL, {"kind": "living_alone", "grid": "M1"}).content.decode()
    assert "张三" not in body and _points(body) == []


def test_a_department_is_refused(dept: Any, tagged: None) -> None:
    assert client_for(dept).get(URL).status_code == 403


def test_points_follow_the_tile_coordinate_system(worker: Any, tagged: None, settings: Any) -> None:
    settings.TILE_CRS = "gcj02"
    points = _points(client_for(worker).get(URL).content.decode())
    assert points[0]["lat"] != 30.01  # shifted onto the Chinese tiles
