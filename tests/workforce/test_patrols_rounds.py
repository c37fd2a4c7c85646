"""Patrol plans and rounds: a grid head plans, a worker walks a round, its check-ins join it,
and a finding becomes a case in one tap with its place and its photo."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from finegrid.cases.models import Case
from finegrid.workforce.models import Finding, PatrolPlan, PatrolRound, PatrolTarget, RoundStop
from tests.conftest import client_for
from tests.workforce.helpers_patrols import check_in, make_point, make_worker

JSON = "application/json"


@pytest.fixture
def plan(net: Any, gridhead: Any) -> PatrolPlan:
    point = make_point(net.m1)
    r = client_for(gridhead).post(
        "/api/v1/workforce/patrols",
        {"grid": "G1", "kind": "fire_passage", "points": [point.pk]},
        content_type=JSON,
    )
    assert r.status_code == 201, r.content
    return PatrolPlan.objects.get(pk=r.json()["id"])


def test_a_grid_head_plans_a_weekly_fire_passage_patrol(plan: PatrolPlan, gridhead: Any) -> None:
    assert plan.cadence == "week"
    assert PatrolTarget.objects.filter(plan=plan).count() == 1
    listed = client_for(gridhead).get("/api/v1/workforce/patrols?grid=G1").json()
    assert [(p["kind"], p["targets"]) for p in listed] == [("fire_passage", 1)]


def test_a_second_active_plan_of_the_same_kind_is_refused(plan: PatrolPlan, gridhead: Any) -> None:
    r = client_for(gridhead).post(
        "/api/v1/workforce/patrols", {"grid": "G1", "kind": "fire_passage"}, content_type=JSON
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "kind"
    assert PatrolPlan.objects.count() == 1


def test_a_micro_grid_worker_may_not_plan(net: Any, worker: Any) -> None:
    r = client_for(worker).post(
        "/api/v1/workforce/patrols", {"grid": "M1", "kind": "gas_safety"}, content_type=JSON
    )
    assert r.status_code == 403
    assert not PatrolPlan.objects.exists()


def test_the_neighbour_is_refused_the_plans_and_rounds(
    net: Any, gridhead: Any, neighbour: Any
) -> None:
    point = make_point(net.m1)
    r = client_for(gridhead).post(
        "/api/v1/workforce/patrols",
        {"grid": "M1", "kind": "school_gate", "points": [point.pk]},
        content_type=JSON,
    )
    assert r.status_code == 201
    # M2's worker sees M2 only: M1's plans and rounds are out of sight
    for url in ("/api/v1/workforce/patrols?grid=M1", "/api/v1/workforce/rounds?grid=M1"):
        assert client_for(neighbour).get(url).status_code == 404
    make_worker(neighbour, net.m2)
    start = client_for(neighbour).post(
        "/api/v1/workforce/rounds", {"plan": r.json()["id"]}, content_type=JSON
    )
    assert start.status_code == 422
    assert start.json()["errors"][0]["field"] == "plan"
    assert not PatrolRound.objects.exists()


def test_a_check_in_during_a_round_becomes_its_stop(
    net: Any, worker: Any, plan: PatrolPlan
) -> None:
    me = make_worker(worker, net.m1)
    client = client_for(worker)
    r = client.post("/api/v1/workforce/rounds", {"plan": plan.pk}, content_type=JSON)
    assert r.status_code == 201
    again = client.post("/api/v1/workforce/rounds", {"plan": plan.pk}, content_type=JSON)
    assert again.status_code == 200 and again.json()["id"] == r.json()["id"]
    point = plan.targets.get().point
    check_in(me, point)
    assert RoundStop.objects.get().round_id == r.json()["id"]
    done = client.post(f"/api/v1/workforce/rounds/{r.json()['id']}/finish", {}, content_type=JSON)
    assert done.status_code == 200
    assert done.json()["stops"] == 1 and done.json()["finished_at"] is not None
    listed = client.get("/api/v1/workforce/rounds?grid=M1").json()
    assert [x["id"] for x in listed] == [r.json()["id"]]


def _photo(worker: Any, settings: Any, tmp_path: Any) -> str:
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "PNG")
    buffer.seek(0)
    r = client_for(worker).post("/api/v1/cases/photos", {"file": buffer})
    assert r.status_code == 201, r.content
    return str(r.json()["id"])


def test_a_finding_becomes_a_case_in_one_tap(
    net: Any, worker: Any, plan: PatrolPlan, settings: Any, tmp_path: Any
) -> None:
    make_worker(worker, net.m1)
    client = client_for(worker)
    round_id = client.post("/api/v1/workforce/rounds", {"plan": plan.pk}, content_type=JSON).json()[
        "id"
    ]
    point = plan.targets.get().point
    photo = _photo(worker, settings, tmp_path)
    r = client.post(
        f"/api/v1/workforce/rounds/{round_id}/findings",
        {"description": "消防通道被电动车堵住", "point": point.pk, "photos": [photo], "case": True},
        content_type=JSON,
    )
    assert r.status_code == 201, r.content
    case = Case.objects.get()
    assert r.json()["case"] == case.number
    assert case.category.code == "fire"
    assert case.source == "patrol"
    assert case.micro_grid == net.m1
    assert (case.lat, case.lng) == (point.lat, point.lng)
    assert [p["id"] for p in case.photos] == [photo]
    assert Finding.objects.get().case == case


def test_a_finding_kept_for_later_is_made_a_case_by_one_tap(
    net: Any, worker: Any, plan: PatrolPlan
) -> None:
    make_worker(worker, net.m1)
    client = client_for(worker)
    round_id = client.post("/api/v1/workforce/rounds", {"plan": plan.pk}, content_type=JSON).json()[
        "id"
    ]
    point = plan.targets.get().point
    made = client.post(
        f"/api/v1/workforce/rounds/{round_id}/findings",
        {"description": "灭火器过期", "point": point.pk},
        content_type=JSON,
    ).json()
    assert made["case"] is None and not Case.objects.exists()
    r = client.post(f"/api/v1/workforce/findings/{made['id']}/case", {}, content_type=JSON)
    assert r.status_code == 200
    assert r.json()["case"] == Case.objects.get().number
    # a second tap makes no second case
    client.post(f"/api/v1/workforce/findings/{made['id']}/case", {}, content_type=JSON)
    assert Case.objects.count() == 1


def test_a_finding_without_a_description_writes_nothing(
    net: Any, worker: Any, plan: PatrolPlan
) -> None:
    make_worker(worker, net.m1)
    client = client_for(worker)
    round_id = client.post("/api/v1/workforce/rounds", {"plan": plan.pk}, content_type=JSON).json()[
        "id"
    ]
    r = client.post(
        f"/api/v1/workforce/rounds/{round_id}/findings",
        {"description": " ", "case": True},
        content_type=JSON,
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "description"
    assert not Finding.objects.exists() and not Case.objects.exists()
