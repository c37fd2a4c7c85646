"""The party layer: organisations (网格党组织, 党小组, 党员中心户), members registered to a grid
(双报到) and 1+1+N links — services, API and page, with the neighbour refused."""

from __future__ import annotations

from typing import Any

import pytest

from finegrid.accounts.models import User
from finegrid.core.errors import Forbidden, InvalidInput
from finegrid.grids import services as grid_services
from finegrid.grids.models import Household
from finegrid.workforce import services_party as services
from finegrid.workforce.models import (
    OrganisationKind,
    PartyLink,
    PartyLinkHousehold,
    PartyMember,
    PartyOrganisation,
)
from tests.conftest import Net, client_for
from tests.workforce.helpers_workers import post, profile


def _homes(net: Net, n: int = 3) -> list[Household]:
    return [
        grid_services.household_create(
            address=f"锦丰新城1栋{i + 1}01", micro_grid=net.m1, lat=30.01, lng=104.005
        )
        for i in range(n)
    ]


@pytest.fixture
def party(net: Net, official: User, worker: User) -> dict[str, Any]:
    homes = _homes(net)
    org = services.party_organisation_create(
        actor=official,
        grid=net.g1,
        kind=OrganisationKind.GRID_ORGANISATION,
        name="锦丰第1网格党支部",
    )
    group = services.party_organisation_create(
        actor=official, grid=net.m1, kind=OrganisationKind.PARTY_GROUP, name="1-1党小组", parent=org
    )
    member = services.party_member_register(
        actor=official, grid=net.g1, name="刘红", work_unit="新都区教育局", organisation=group
    )
    w = profile(worker, net.m1, actor=official)
    link = services.party_link_create(actor=official, member=member, worker=w, households=homes[:2])
    return {"homes": homes, "org": org, "group": group, "member": member, "worker": w, "link": link}


def test_the_services_build_the_three_levels_and_a_link(
    net: Net, official: User, party: dict[str, Any]
) -> None:
    home = party["homes"][2]
    central = services.party_organisation_create(
        actor=official,
        grid=net.m1,
        kind=OrganisationKind.CENTRAL_HOUSEHOLD,
        name="刘家党员中心户",
        parent=party["org"],
        household=home,
    )
    assert central.household == home
    assert PartyOrganisation.objects.filter(grid_path__startswith=net.g1.path).count() == 3
    assert set(party["link"].households.all()) == set(party["homes"][:2])
    assert party["member"].grid_path == net.g1.path


def test_bad_party_input_names_the_field_and_writes_nothing(
    net: Net, official: User, party: dict[str, Any]
) -> None:
    with pytest.raises(InvalidInput) as exc:
        services.party_organisation_create(
            actor=official, grid=net.m1, kind=OrganisationKind.CENTRAL_HOUSEHOLD, name="无户"
        )
    assert exc.value.problems[0].field == "household"
    with pytest.raises(InvalidInput) as exc:
        services.party_member_register(actor=official, grid=net.g1, name="", work_unit="")
    assert {p.field for p in exc.value.problems} == {"name", "work_unit"}
    with pytest.raises(InvalidInput) as exc:  # a household has one pair to turn to
        services.party_link_create(
            actor=official,
            member=party["member"],
            worker=party["worker"],
            households=[party["homes"][2], party["homes"][0]],
        )
    assert exc.value.problems[0].field == "households" and exc.value.problems[0].row == 1
    assert PartyLink.objects.count() == 1 and PartyLinkHousehold.objects.count() == 2
    assert PartyMember.objects.count() == 1


def test_the_api_lists_and_creates_each_part(
    net: Net, official: User, party: dict[str, Any]
) -> None:
    c = client_for(official)
    orgs = c.get("/api/v1/workforce/party/organisations?grid=G1").json()
    assert [o["kind"] for o in orgs["items"]] == ["grid_organisation", "party_group"]
    members = c.get("/api/v1/workforce/party/members?grid=G1").json()
    assert members["items"][0]["work_unit"] == "新都区教育局"
    links = c.get("/api/v1/workforce/party/links?grid=M1").json()
    assert links["count"] == 0  # the link belongs to the member's grid, G1
    links = c.get("/api/v1/workforce/party/links?grid=G1").json()
    assert links["items"][0]["households"] == sorted(h.pk for h in party["homes"][:2])
    r = post(
        c,
        "/api/v1/workforce/party/organisations",
        {"grid": "M2", "kind": "party_group", "name": "1-2党小组", "parent": party["org"].pk},
    )
    assert r.status_code == 201 and r.json()["parent"] == party["org"].pk
    r = post(
        c,
        "/api/v1/workforce/party/members",
        {"grid": "M2", "name": "张伟", "work_unit": "新都区税务局"},
    )
    assert r.status_code == 201
    member_id = r.json()["id"]
    r = post(
        c,
        "/api/v1/workforce/party/links",
        {
            "member": party["member"].pk,
            "worker": party["worker"].pk,
            "households": [party["homes"][2].pk],
        },
    )
    assert r.status_code == 201 and r.json()["households"] == [party["homes"][2].pk]
    r = post(
        c,
        "/api/v1/workforce/party/links",
        {"member": member_id, "worker": party["worker"].pk, "households": [party["homes"][0].pk]},
    )
    assert r.status_code == 422 and r.json()["field"] == "households"


def test_the_page_shows_the_grids_party_and_adds_a_member(
    net: Net, official: User, party: dict[str, Any], django_assert_max_num_queries: object
) -> None:
    c = client_for(official)
    with django_assert_max_num_queries(25):  # type: ignore[operator]
        page = c.get("/workforce/party/G1/").content.decode()
    assert "锦丰第1网格党支部" in page and "刘红" in page and "蔡如欣" in page
    r = c.post("/workforce/party/G1/members", {"name": "张伟", "work_unit": "新都区税务局"})
    assert r.status_code == 302 and PartyMember.objects.filter(name="张伟").exists()
    r = c.post("/workforce/party/G1/members", {"name": "", "work_unit": ""})
    assert r.status_code == 422
    r = c.post(
        "/workforce/party/G1/links",
        {
            "member": party["member"].pk,
            "worker": party["worker"].pk,
            "households": [party["homes"][2].pk],
        },
    )
    assert r.status_code == 302 and PartyLink.objects.count() == 2
    r = c.post(f"/workforce/party/G1/links/{party['link'].pk}/remove")
    assert r.status_code == 302 and PartyLink.objects.count() == 1


def test_a_grid_head_reads_the_party_page_but_may_not_change_it(
    net: Net, gridhead: User, party: dict[str, Any]
) -> None:
    c = client_for(gridhead)
    page = c.get("/workforce/party/G1/").content.decode()
    assert "刘红" in page and "/workforce/party/G1/members" not in page
    assert (
        c.post("/workforce/party/G1/members", {"name": "张伟", "work_unit": "某单位"}).status_code
        == 403
    )
    with pytest.raises(Forbidden):
        services.party_member_register(actor=gridhead, grid=net.g1, name="张伟", work_unit="某单位")


def test_the_neighbouring_grid_is_refused_on_party_pages_and_endpoints(
    net: Net, neighbour: User, party: dict[str, Any]
) -> None:
    c = client_for(neighbour)
    for url in ("organisations", "members", "links"):
        assert c.get(f"/api/v1/workforce/party/{url}?grid=M1").status_code == 404
        assert c.get(f"/api/v1/workforce/party/{url}?grid=G1").status_code == 404
    assert (
        post(
            c,
            "/api/v1/workforce/party/organisations",
            {"grid": "M1", "kind": "party_group", "name": "抢"},
        ).status_code
        == 404
    )
    assert (
        post(
            c, "/api/v1/workforce/party/members", {"grid": "M1", "name": "抢", "work_unit": "x"}
        ).status_code
        == 404
    )
    r = post(
        c,
        "/api/v1/workforce/party/links",
        {
            "member": party["member"].pk,
            "worker": party["worker"].pk,
            "households": [party["homes"][2].pk],
        },
    )
    assert r.status_code == 404
    assert c.get("/workforce/party/G1/").status_code == 404
    assert (
        c.post("/workforce/party/M1/members", {"name": "抢", "work_unit": "x"}).status_code == 404
    )
    assert c.post(f"/workforce/party/G1/links/{party['link'].pk}/remove").status_code == 404
    assert PartyOrganisation.objects.count() == 2 and PartyMember.objects.count() == 1
    assert PartyLink.objects.count() == 1
