"""A household tagged 独居 (living alone) where more than one person lives is flagged for the
worker to check: by a selector, on the household page and in the special-population list."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from finegrid.grids.models import Household
from finegrid.registry import selectors, services
from tests.conftest import client_for
from tests.registry.helpers import home_in, register


def _alone(leader: Any, home: Household, name: str) -> Any:
    person = register(leader, home, name)
    services.care_tag_add(actor=leader, person=person, kind="living_alone")
    return person


def test_only_a_shared_home_with_an_open_living_alone_tag_is_to_check(
    net: Any, leader: Any, worker: Any
) -> None:
    shared = home_in(net.m1, "锦丰1栋101")
    _alone(leader, shared, "张三")
    register(leader, shared, "张小明")
    _alone(leader, home_in(net.m1, "锦丰1栋102"), "李四")  # really alone
    ended = home_in(net.m1, "锦丰1栋103")
    tag_holder = _alone(leader, ended, "王五")
    register(leader, ended, "王小五")
    services.care_tag_end(actor=leader, tag=tag_holder.care_tags.get())
    widowed = home_in(net.m1, "锦丰1栋104")
    _alone(leader, widowed, "赵六")
    spouse = register(leader, widowed, "钱七")
    services.person_record_death(actor=leader, person=spouse, on=timezone.localdate())
    assert list(selectors.living_alone_to_check(user=worker)) == [shared]


def test_a_neighbouring_grid_is_refused(net: Any, leader: Any, neighbour: Any) -> None:
    shared = home_in(net.m1, "锦丰1栋101")
    _alone(leader, shared, "张三")
    register(leader, shared, "张小明")
    assert list(selectors.living_alone_to_check(user=neighbour)) == []
    assert client_for(neighbour).get(f"/registry/households/{shared.pk}/").status_code == 404


def test_the_household_page_flags_it(net: Any, leader: Any, worker: Any) -> None:
    shared = home_in(net.m1, "锦丰1栋101")
    _alone(leader, shared, "张三")
    alone = home_in(net.m1, "锦丰1栋102")
    _alone(leader, alone, "李四")
    client = client_for(worker)
    body = client.get(f"/registry/households/{shared.pk}/").content.decode()
    assert 'id="living-alone-check"' not in body
    register(leader, shared, "张小明")
    body = client.get(f"/registry/households/{shared.pk}/").content.decode()
    assert 'id="living-alone-check"' in body
    assert "标记为独居，但本户住有 2 人" in body
    assert (
        'id="living-alone-check"'
        not in client.get(f"/registry/households/{alone.pk}/").content.decode()
    )


def _special_page(client: Any) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/registry/special/", {"kind": "living_alone"})
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_the_special_population_list_flags_it_in_constant_queries(
    net: Any, leader: Any, worker: Any
) -> None:
    shared = home_in(net.m1, "锦丰1栋101")
    _alone(leader, shared, "张三")
    register(leader, shared, "张小明")
    _alone(leader, home_in(net.m1, "锦丰1栋102"), "李四")
    client = client_for(worker)
    body, few = _special_page(client)
    assert body.count('data-check="living-alone"') == 1
    assert "家中并非独居：请核实" in body
    for n in range(5):
        home = home_in(net.m1, f"锦丰2栋{n + 1:02d}")
        _alone(leader, home, f"孙{n}")
        register(leader, home, f"孙小{n}")
    body, many = _special_page(client)
    assert body.count('data-check="living-alone"') == 6
    assert many == few


def test_the_api_flags_it_too(net: Any, leader: Any, worker: Any) -> None:
    shared = home_in(net.m1, "锦丰1栋101")
    _alone(leader, shared, "张三")
    client = client_for(worker)
    url = f"/api/v1/registry/households/{shared.pk}"
    assert client.get(url).json()["living_alone_check"] is False
    register(leader, shared, "张小明")
    assert client.get(url).json()["living_alone_check"] is True
