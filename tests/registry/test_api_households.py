"""The households endpoints: list (scoped, searchable, paged) and the family read."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from finegrid.accounts.models import User
from finegrid.grids import services as grid_services
from finegrid.registry import services
from tests.conftest import Net, client_for
from tests.registry.helpers import home_in, make_id, register

URL = "/api/v1/registry/households"


def test_it_lists_the_households_of_the_jurisdiction(worker: User, leader: User, net: Net) -> None:
    mine = home_in(net.m1, "锦丰新城1栋1单元101")
    home_in(net.m2, "锦丰新城2栋1单元101")
    register(worker, mine, "张三")
    body = client_for(worker).get(URL).json()
    assert body["count"] == 1
    assert body["items"][0] | {"id": 0} == {
        "id": 0,
        "name": mine.address,
        "address": mine.address,
        "room": "",
        "grid": "M1",
        "lat": None,
        "lng": None,
        "members": 1,
    }
    assert client_for(leader).get(URL).json()["count"] == 2


def test_it_filters_by_grid_and_address(leader: User, net: Net) -> None:
    home_in(net.m1, "锦丰新城1栋1单元101")
    home_in(net.m3, "高堆小区3栋2单元502")
    c = client_for(leader)
    assert [h["grid"] for h in c.get(URL + "?grid=C2").json()["items"]] == ["M3"]
    assert c.get(URL + "?q=3栋2单元").json()["items"][0]["address"] == "高堆小区3栋2单元502"
    assert c.get(URL + "?grid=NOPE").json()["count"] == 0


def test_the_list_uses_a_constant_number_of_queries(leader: User, net: Net) -> None:
    c = client_for(leader)
    register(leader, home_in(net.m1, "锦丰新城1栋1单元101"))
    c.get(URL + "?limit=1")  # warm the session
    with CaptureQueriesContext(connection) as small:
        c.get(URL + "?limit=1")
    for i in range(15):
        home = home_in(net.m1 if i % 2 else net.m3, f"新房{i}号")
        register(leader, home, f"王{i}", id_number=make_id(seq=f"{i:03d}"))
    with CaptureQueriesContext(connection) as large:
        assert len(c.get(URL + "?limit=100").json()["items"]) == 16
    assert len(large) == len(small)


def test_the_family_read_shows_members_masked_and_the_worker(worker: User, net: Net) -> None:
    home = home_in(net.m1)
    grid_services.responsibility_assign(person=worker, duty="micro_worker", grid=net.m1)
    number = make_id()
    head = register(worker, home, "张三", id_number=number, phone="13812345678", relation="head")
    services.care_tag_add(actor=worker, person=head, kind="living_alone")
    body = client_for(worker).get(f"{URL}/{home.pk}").json()
    assert body["members"] == 1 and body["grid"] == "M1"
    person = body["people"][0]
    assert person["id_number_masked"] == "510***********" + number[-4:]
    assert person["phone_masked"] == "138****5678"
    assert "id_number_enc" not in person and number not in str(body)
    assert [t["kind"] for t in person["care_tags"]] == ["living_alone"]
    assert body["workers"] == [
        {
            "name": "蔡如欣",
            "duty": "micro_worker",
            "duty_label": body["workers"][0]["duty_label"],
            "phone": "13800000000",
        }
    ]


def test_reading_a_household_of_the_neighbouring_grid_is_refused(
    worker: User, neighbour: User, net: Net
) -> None:
    there = home_in(net.m2, "锦丰新城2栋1单元101")
    r = client_for(worker).get(f"{URL}/{there.pk}")
    assert r.status_code == 404
    assert client_for(neighbour).get(f"{URL}/{there.pk}").status_code == 200


def test_roles_without_registry_access_are_refused(dept: User, resident: User, net: Net) -> None:
    home = home_in(net.m1)
    for user in (dept, resident):
        assert client_for(user).get(URL).status_code == 403
        assert client_for(user).get(f"{URL}/{home.pk}").status_code == 403
