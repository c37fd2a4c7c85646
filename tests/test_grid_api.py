from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from finegrid.accounts.models import ApiToken, User
from finegrid.grids import services
from finegrid.grids.models import Level
from tests.conftest import PASSWORD, Net, box, client_for


def test_it_lists_every_grid_for_the_street_leader(leader: User) -> None:
    body = client_for(leader).get("/api/v1/grids?level=micro").json()
    assert body["count"] == 3
    assert [g["code"] for g in body["items"]] == ["M1", "M2", "M3"]
    assert body["items"][0]["path"] == ["S", "C1", "G1", "M1"]


def test_a_micro_grid_worker_lists_only_their_own_grid(worker: User) -> None:
    body = client_for(worker).get("/api/v1/grids").json()
    assert body == {"count": 1, "items": [body["items"][0]]}
    assert body["items"][0]["code"] == "M1"


def test_a_community_official_lists_their_community_subtree(official: User) -> None:
    body = client_for(official).get("/api/v1/grids").json()
    assert [g["code"] for g in body["items"]] == ["C1", "G1", "M1", "M2"]


def test_it_filters_by_parent_and_paginates(leader: User) -> None:
    c = client_for(leader)
    body = c.get("/api/v1/grids?parent=G1&limit=1&offset=1").json()
    assert body["count"] == 2
    assert [g["code"] for g in body["items"]] == ["M2"]


def test_the_list_uses_a_constant_number_of_queries(leader: User, net: Net) -> None:
    c = client_for(leader)
    c.get("/api/v1/grids?limit=1")  # warm the session
    with CaptureQueriesContext(connection) as small:
        c.get("/api/v1/grids?limit=1")
    # make room in G2 for 20 more micro-grids
    services.grid_redraw(grid=net.m3, boundary=box(104.03, 30.0, 104.04, 30.02))
    for i in range(20):
        services.grid_create(
            code=f"X{i:02d}",
            name=f"新{i}",
            level=Level.MICRO,
            parent=net.g2,
            boundary=box(104.02 + i * 0.0005, 30.0, 104.0205 + i * 0.0005, 30.001),
        )
    with CaptureQueriesContext(connection) as large:
        c.get("/api/v1/grids?limit=1000")
    assert len(large) == len(small)


def test_it_refuses_a_bad_limit_naming_the_field(leader: User) -> None:
    r = client_for(leader).get("/api/v1/grids?limit=0")
    assert r.status_code == 422
    assert r.json()["field"] == "limit"


def test_the_detail_shows_boundary_parent_counts_and_people(
    leader: User, worker: User, net: Net
) -> None:
    services.responsibility_assign(person=worker, duty="micro_worker", grid=net.m1)
    body = client_for(leader).get("/api/v1/grids/G1").json()
    assert body["parent"] == "C1"
    assert body["children"] == {"community": 0, "grid": 0, "micro": 2, "dedicated": 0}
    assert body["boundary"]["type"] == "Polygon"
    assert [a["code"] for a in body["ancestors"]] == ["S", "C1"]
    m1 = client_for(leader).get("/api/v1/grids/M1").json()
    assert m1["responsible"] == [
        {
            "name": "蔡如欣",
            "duty": "micro_worker",
            "duty_label": m1["responsible"][0]["duty_label"],
            "phone": "13800000000",
        }
    ]


def test_a_worker_is_refused_the_neighbouring_micro_grid(worker: User) -> None:
    r = client_for(worker).get("/api/v1/grids/M2")
    assert r.status_code == 404
    assert r.json()["field"] == "code"
    assert client_for(worker).get("/api/v1/grids/M1").status_code == 200


def test_a_grid_head_is_refused_the_neighbouring_community(gridhead: User) -> None:
    assert client_for(gridhead).get("/api/v1/grids/M3").status_code == 404
    assert client_for(gridhead).get("/api/v1/grids/C2").status_code == 404


def test_a_resident_has_no_jurisdiction(resident: User) -> None:
    assert client_for(resident).get("/api/v1/grids").json()["count"] == 0
    assert client_for(resident).get("/api/v1/grids/M1").status_code == 404


def test_anonymous_callers_are_refused(net: Net) -> None:
    r = client_for(None).get("/api/v1/grids")
    assert r.status_code == 401
    assert r.json()["message_en"].startswith("Log in")


def test_a_token_from_the_token_endpoint_authenticates(worker: User) -> None:
    c = client_for(None)
    r = c.post(
        "/api/v1/auth/token",
        json.dumps({"username": "worker", "password": PASSWORD}),
        content_type="application/json",
    )
    assert r.status_code == 201
    token = r.json()["token"]
    assert ApiToken.objects.filter(user=worker).count() == 1
    assert token not in ApiToken.objects.values_list("digest", flat=True)  # only the hash is kept
    listed = c.get("/api/v1/grids", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert [g["code"] for g in listed["items"]] == ["M1"]
    assert c.get("/api/v1/grids/M2", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 404


def test_a_wrong_password_gets_no_token(worker: User) -> None:
    r = client_for(None).post(
        "/api/v1/auth/token",
        json.dumps({"username": "worker", "password": "x"}),
        content_type="application/json",
    )
    assert r.status_code == 401
    assert r.json()["field"] == "password"
    assert ApiToken.objects.count() == 0


def test_a_forged_token_is_refused(worker: User) -> None:
    r = client_for(None).get("/api/v1/grids", HTTP_AUTHORIZATION="Bearer fg_forged")
    assert r.status_code == 401


def test_the_openapi_document_lists_the_grid_endpoints(net: Net) -> None:
    doc = client_for(None).get("/api/v1/openapi.json").json()
    assert {
        "/api/v1/grids",
        "/api/v1/grids/locate",
        "/api/v1/grids/{code}",
        "/api/v1/auth/token",
    } <= set(doc["paths"])


@pytest.mark.parametrize("level", ["community", "micro"])
def test_the_map_layer_is_scoped(level: str, worker: User, leader: User) -> None:
    mine = client_for(worker).get(f"/api/v1/grids/layer?level={level}").json()
    everyone = client_for(leader).get(f"/api/v1/grids/layer?level={level}").json()
    assert [f["properties"]["code"] for f in mine["features"]] == (
        ["M1"] if level == "micro" else []
    )
    assert len(everyone["features"]) == (3 if level == "micro" else 2)
