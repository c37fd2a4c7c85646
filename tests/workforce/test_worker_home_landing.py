"""Grid workers land on today's work after login; everyone else lands where they did."""

from __future__ import annotations

from django.test import Client

from finegrid.accounts.models import Role, RoleAssignment, User
from tests.conftest import PASSWORD, Net, client_for


def lands(username: str) -> str:
    client = Client()
    r = client.post("/accounts/login/", {"username": username, "password": PASSWORD}, follow=True)
    assert r.status_code == 200
    return str(r.redirect_chain[-1][0])


def test_a_micro_grid_worker_lands_on_their_home(net: Net, worker: User) -> None:
    assert lands("worker") == "/workforce/home/"


def test_a_grid_head_lands_on_their_home(net: Net, gridhead: User) -> None:
    assert lands("gridhead") == "/workforce/home/"


def test_officials_departments_and_residents_land_where_they_did(
    net: Net, leader: User, official: User, dept: User, resident: User
) -> None:
    assert lands("leader") == "/map/"
    assert lands("official") == "/map/"
    assert lands("dept") == "/map/"
    assert lands("resident") == "/home/"


def test_an_official_who_is_also_a_grid_head_keeps_the_map(net: Net, official: User) -> None:
    RoleAssignment.objects.create(user=official, role=Role.GRID_HEAD, grid=net.g1)
    assert lands("official") == "/map/"


def test_the_map_is_still_one_tap_away(net: Net, worker: User) -> None:
    page = client_for(worker).get("/workforce/home/").content.decode()
    assert 'id="home-map" href="/map/"' in page or 'href="/map/" id="home-map"' in page
    assert client_for(worker).get("/map/").status_code == 200


def test_a_resident_asking_for_the_workers_home_goes_to_their_own(net: Net, resident: User) -> None:
    r = client_for(resident).get("/workforce/home/")
    assert r.status_code == 302 and r["Location"] == "/home/"
