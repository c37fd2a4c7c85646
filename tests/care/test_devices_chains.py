"""GET and PUT /api/v1/care/chains/{community_code}: a community's escalation chain, read by the
officials over it, set by its officials or the street, refused naming the row and field."""

from __future__ import annotations

from typing import Any

import pytest

from finegrid.accounts.models import Role, RoleAssignment, User
from finegrid.care.models import ChainStep
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/care/chains/C1"
STEPS = [
    {"role": "micro_worker", "seconds": 45},
    {"role": "grid_head", "seconds": 60},
    {"role": "family", "seconds": 120},
]


def _put(user: Any, body: Any, url: str = URL) -> Any:
    return client_for(user).put(url, body, content_type="application/json")


def test_a_community_reads_the_default_chain_until_it_sets_its_own(
    net: Any, official: Any, settings: Any
) -> None:
    first = client_for(official).get(URL)
    assert first.status_code == 200
    data = first.json()
    assert data["default"] is True and data["may_edit"] is True
    assert [(s["role"], s["seconds"]) for s in data["steps"]] == [
        (r, s) for r, s in settings.CARE_DEFAULT_CHAIN
    ]
    saved = _put(official, {"steps": STEPS})
    assert saved.status_code == 200, saved.content
    assert saved.json()["default"] is False
    assert [s["role_label"] for s in saved.json()["steps"]][0]
    assert list(ChainStep.objects.values_list("order", "role", "seconds")) == [
        (0, "micro_worker", 45),
        (1, "grid_head", 60),
        (2, "family", 120),
    ]
    assert client_for(official).get(URL).json()["steps"] == saved.json()["steps"]


def test_bad_steps_are_refused_naming_row_and_field_and_nothing_changes(
    net: Any, official: Any
) -> None:
    assert _put(official, {"steps": STEPS}).status_code == 200
    bad = [{"role": "micro_worker", "seconds": 45}, {"role": "mayor", "seconds": 5}]
    refused = _put(official, {"steps": bad})
    assert refused.status_code == 422
    named = {(e["field"], e["row"]) for e in refused.json()["errors"]}
    assert named == {("role", 2), ("seconds", 2)}
    assert _put(official, {"steps": []}).json()["field"] == "steps"
    assert _put(official, {"steps": "all"}).status_code == 422
    assert ChainStep.objects.count() == 3


def test_the_neighbouring_grid_is_refused(net: Any, official: Any, neighbour: Any) -> None:
    other = User.objects.create_user(username="c2", password="x" * 12, display_name="高堆官员")
    RoleAssignment.objects.create(user=other, role=Role.COMMUNITY_OFFICIAL, grid=net.c2)
    for user in (neighbour, other):
        assert client_for(user).get(URL).status_code == 404
        assert _put(user, {"steps": STEPS}).status_code == 404
    assert not ChainStep.objects.exists()
    assert client_for(other).get("/api/v1/care/chains/C2").status_code == 200


def test_an_official_who_may_read_but_not_keep_the_chain_is_refused(net: Any) -> None:
    staffer = User.objects.create_user(username="gw", password="x" * 12, display_name="社区网格员")
    RoleAssignment.objects.create(user=staffer, role=Role.GRID_WORKER, grid=net.c1)
    read = client_for(staffer).get(URL)
    assert read.status_code == 200 and read.json()["may_edit"] is False
    refused = _put(staffer, {"steps": STEPS})
    assert refused.status_code == 403
    assert not ChainStep.objects.exists()


def test_a_chain_belongs_to_a_community(net: Any, leader: Any) -> None:
    assert client_for(leader).get("/api/v1/care/chains/G1").status_code == 404
    assert _put(leader, {"steps": STEPS}, "/api/v1/care/chains/G1").status_code == 404
    assert client_for(leader).get("/api/v1/care/chains/NOPE").status_code == 404
