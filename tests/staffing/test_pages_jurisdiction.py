"""Who may open and change the staffing page: the neighbouring community is refused as if the
grid did not exist; those who see a grid but do not staff it read it and cannot change it."""

from __future__ import annotations

import pytest

from finegrid.accounts.models import Role, User
from finegrid.grids import services
from finegrid.grids.models import Duty, Responsibility
from tests.conftest import Net, client_for
from tests.staffing.helpers import person

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def other_official(net: Net) -> User:
    return person("official2", "高堆书记", net.c2, role=Role.COMMUNITY_OFFICIAL)


def test_a_neighbouring_community_official_gets_404_on_every_staffing_url(
    net: Net, other_official: User, worker: User
) -> None:
    held = services.responsibility_assign(person=worker, duty=Duty.MICRO_WORKER, grid=net.m1)
    c = client_for(other_official)
    assert c.get("/grids/M1/staffing/").status_code == 404
    assert c.get("/grids/M1/staffing/people?person=蔡").status_code == 404
    assert (
        c.post("/grids/M1/staffing/assign", {"duty": "micro_worker", "person": "official2"})
    ).status_code == 404
    assert c.post(f"/grids/M1/staffing/{held.pk}/end", {"reason": "x"}).status_code == 404
    assert (
        c.post(f"/grids/M1/staffing/{held.pk}/replace", {"person": "official2", "reason": "x"})
    ).status_code == 404
    held.refresh_from_db()
    assert held.ended_at is None and Responsibility.objects.count() == 1


def test_a_person_of_the_neighbouring_community_cannot_be_assigned(
    net: Net, official: User, other_official: User
) -> None:
    r = client_for(official).post(
        "/grids/M1/staffing/assign", {"duty": "micro_worker", "person": "official2"}, **HTMX
    )
    assert r.status_code == 422
    assert "辖区内没有此人" in r.content.decode()
    assert not Responsibility.objects.exists()
    # nor does the picker offer them
    page = client_for(official).get("/grids/M1/staffing/people?person=official").content.decode()
    assert "official2" not in page and 'value="official"' in page


def test_a_street_cadre_may_be_given_a_duty_in_a_community(net: Net, official: User) -> None:
    cadre = person("cadre", "街道干部", net.street, role=Role.STREET_OFFICIAL)
    r = client_for(official).post(
        "/grids/M1/staffing/assign", {"duty": "building_head", "person": "cadre"}
    )
    assert r.status_code == 302
    assert Responsibility.objects.current().get().person == cadre


def test_a_community_official_does_not_staff_their_own_community_node(
    net: Net, official: User
) -> None:
    c = client_for(official)
    page = c.get("/grids/C1/staffing/").content.decode()
    assert 'id="staffing-readonly"' in page and "/staffing/assign" not in page
    r = c.post("/grids/C1/staffing/assign", {"duty": "community_secretary", "person": "official"})
    assert r.status_code == 403
    assert not Responsibility.objects.exists()


def test_a_grid_head_reads_the_staffing_of_their_grid_but_cannot_change_it(
    net: Net, gridhead: User, worker: User
) -> None:
    held = services.responsibility_assign(person=worker, duty=Duty.MICRO_WORKER, grid=net.m1)
    c = client_for(gridhead)
    page = c.get("/grids/M1/staffing/").content.decode()
    assert "蔡如欣" in page and "/end" not in page
    assert c.post(f"/grids/M1/staffing/{held.pk}/end", {"reason": "x"}).status_code == 403
    assert (
        c.post("/grids/M1/staffing/assign", {"duty": "micro_worker", "person": "gridhead"})
    ).status_code == 403
    assert c.get("/grids/M1/staffing/people").status_code == 403
    held.refresh_from_db()
    assert held.ended_at is None and Responsibility.objects.count() == 1


def test_a_resident_and_a_visitor_do_not_reach_the_page(net: Net, resident: User) -> None:
    assert client_for(resident).get("/grids/M1/staffing/").status_code == 404
    r = client_for(None).get("/grids/M1/staffing/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_the_board_and_the_map_card_link_to_staffing_only_for_those_who_staff(
    net: Net, leader: User, gridhead: User
) -> None:
    assert 'id="board-staffing"' in client_for(leader).get("/board/M1/").content.decode()
    assert 'id="board-staffing"' not in client_for(gridhead).get("/board/M1/").content.decode()
    assert 'id="board-staffing"' not in client_for(None).get("/board/M1/").content.decode()
    assert client_for(leader).get("/api/v1/grids/M1").json()["can_staff"] is True
    assert client_for(gridhead).get("/api/v1/grids/M1").json()["can_staff"] is False
