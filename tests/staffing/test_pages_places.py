"""The staffing page of a micro-grid also staffs its estates and buildings (五级责任体系: the
street cadre of an estate, the committee member and head of a building)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from finegrid.accounts.models import Role, User
from finegrid.grids import services
from finegrid.grids.models import Duty, Responsibility
from tests.conftest import Net, client_for
from tests.staffing.helpers import person

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_a_street_cadre_is_given_an_estate_and_a_committee_member_a_building(
    net: Net, leader: User, official: User
) -> None:
    estate = services.estate_create(name="锦丰新城", micro_grid=net.m1)
    building = services.building_create(name="5栋", estate=estate, micro_grid=net.m1)
    cadre = person("cadre", "街道干部", net.street, role=Role.STREET_OFFICIAL)
    c = client_for(leader)
    page = c.get("/grids/M1/staffing/").content.decode()
    assert f'data-place="estate:{estate.pk}"' in page and "锦丰新城" in page
    assert f'data-place="building:{building.pk}"' in page and "5栋" in page
    r = c.post(
        "/grids/M1/staffing/assign",
        {"duty": "estate_cadre", "target": f"estate:{estate.pk}", "person": "cadre"},
    )
    assert r.status_code == 302
    r = c.post(
        "/grids/M1/staffing/assign",
        {"duty": "building_committee", "target": f"building:{building.pk}", "person": "official"},
        **HTMX,
    )
    assert r.status_code == 200
    held = {(x.duty, x.person, x.estate, x.building) for x in Responsibility.objects.current()}
    assert held == {
        (Duty.ESTATE_CADRE, cadre, estate, None),
        (Duty.BUILDING_COMMITTEE, official, None, building),
    }
    # the place's duty is ended from the same page, by its id
    row = Responsibility.objects.get(duty=Duty.ESTATE_CADRE)
    assert c.post(f"/grids/M1/staffing/{row.pk}/end", {"reason": "调岗"}).status_code == 302
    row.refresh_from_db()
    assert row.ended_at is not None and row.ended_by == leader


def test_a_place_of_another_grid_or_a_duty_it_does_not_carry_is_refused(
    net: Net, leader: User
) -> None:
    elsewhere = services.building_create(name="9栋", micro_grid=net.m3)
    here = services.building_create(name="1栋", micro_grid=net.m1)
    c = client_for(leader)
    r = c.post(
        "/grids/M1/staffing/assign",
        {"duty": "building_committee", "target": f"building:{elsewhere.pk}", "person": "leader"},
        **HTMX,
    )
    assert r.status_code == 422 and "此网格内没有此小区或楼栋" in r.content.decode()
    r = c.post(
        "/grids/M1/staffing/assign",
        {"duty": "estate_cadre", "target": f"building:{here.pk}", "person": "leader"},
        **HTMX,
    )
    assert r.status_code == 422 and "不属于此网格或地点" in r.content.decode()
    assert not Responsibility.objects.exists()


def test_places_add_no_query_per_place(net: Net, leader: User) -> None:
    services.building_create(name="1栋", micro_grid=net.m1)
    c = client_for(leader)
    c.get("/grids/M1/staffing/")
    with CaptureQueriesContext(connection) as few:
        c.get("/grids/M1/staffing/")
    for i in range(2, 8):
        b = services.building_create(name=f"{i}栋", micro_grid=net.m1)
        p = person(f"c{i}", f"委员{i}", net.c1)
        services.responsibility_assign(person=p, duty=Duty.BUILDING_COMMITTEE, building=b)
    services.estate_create(name="锦丰新城", micro_grid=net.m1)
    with CaptureQueriesContext(connection) as many:
        page = c.get("/grids/M1/staffing/").content.decode()
    assert page.count("data-place=") == 8
    assert len(many) == len(few)
