"""The roster (花名册) of a grid: households in address order with their members."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import client_for
from tests.registry.helpers import home_in, register


def url(code: str) -> str:
    return f"/registry/grids/{code}/roster/"


def test_it_lists_households_in_address_order_with_members(
    worker: Any, leader: Any, net: Any
) -> None:
    second = home_in(net.m1, "锦丰新城1栋2单元101")
    first = home_in(net.m1, "锦丰新城1栋1单元101")
    register(leader, first, "张三", relation="head", phone="13912345678")
    register(leader, second, "李四", relation="head")
    response = client_for(worker).get(url("M1"))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.index(f'data-household="{first.pk}"') < body.index(f'data-household="{second.pk}"')
    assert body.index("张三") < body.index("李四")
    assert "139****5678" in body and "13912345678" not in body


def test_a_neighbouring_grid_is_refused(neighbour: Any, net: Any) -> None:
    assert client_for(neighbour).get(url("M1")).status_code == 404
    assert client_for(neighbour).get(url("G1")).status_code == 404
    assert client_for(neighbour).get(url("M2")).status_code == 200


def test_an_unknown_grid_is_not_found(worker: Any) -> None:
    assert client_for(worker).get(url("NOPE")).status_code == 404


def test_the_roster_runs_a_constant_number_of_queries(gridhead: Any, leader: Any, net: Any) -> None:
    def count() -> int:
        client = client_for(gridhead)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url("G1")).status_code == 200
        return len(ctx)

    register(leader, home_in(net.m1, "1号"), "张一")
    small = count()
    for i in range(8):
        home = home_in(net.m2 if i % 2 else net.m1, f"{i + 2}号")
        register(leader, home, "王" + "一二三四五六七八"[i])
        register(leader, home, "赵" + "一二三四五六七八"[i])
    assert count() == small
