"""GET /api/v1/workforce/on-duty: the ordered list with reasons; bad input names its field."""

from __future__ import annotations

from typing import Any

import pytest

from finegrid.accounts.models import User
from finegrid.grids.models import Grid, Kind, Level
from finegrid.workforce.models import ShiftKind
from tests.conftest import client_for

from .helpers_onduty import SATURDAY, at, shift, staff

URL = "/api/v1/workforce/on-duty"


@pytest.fixture(autouse=True)
def _monday_morning(time_machine: Any) -> None:
    time_machine.move_to(at(SATURDAY, "10:00").replace(day=8), tick=False)


def test_it_answers_the_ordered_list_with_reasons(
    net: Any, worker: User, gridhead: User, official: User
) -> None:
    staff(net, worker, gridhead)
    response = client_for(gridhead).get(URL, {"grid": "M1"})
    assert response.status_code == 200
    body = response.json()
    assert body["grid"] == "M1" and body["workday"] is True
    assert body["at"].startswith("2027-03-08T10:00:00+08:00")
    assert [(e["person"]["name"], e["reason"]) for e in body["entries"]] == [
        ("蔡如欣", "micro_worker"),
        ("张志强", "grid_head_hours"),
    ]
    first = body["entries"][0]
    assert first["message"] == "锦丰1-1微网格微网格员"
    assert first["message_en"] == "Micro-grid worker of 锦丰1-1微网格"
    assert "*" in first["phone_masked"] and first["phone"] == ""


def test_at_asks_about_another_moment(
    net: Any, worker: User, gridhead: User, official: User
) -> None:
    staff(net, worker, gridhead)
    shift(official, ShiftKind.COMMUNITY_DUTY, net.c1, at(SATURDAY, "09:00"), at(SATURDAY, "21:00"))
    body = client_for(official).get(URL, {"grid": "M1", "at": "2027-03-13T12:00:00+08:00"}).json()
    assert [e["reason"] for e in body["entries"]] == ["micro_worker", "community_duty"]
    assert body["entries"][1]["until"].startswith("2027-03-13T21:00:00+08:00")


def test_the_worker_of_the_micro_grid_may_ask(net: Any, worker: User, gridhead: User) -> None:
    staff(net, worker, gridhead)
    assert client_for(worker).get(URL, {"grid": "M1"}).status_code == 200


def test_the_neighbouring_grid_is_refused(
    net: Any, worker: User, gridhead: User, neighbour: User
) -> None:
    staff(net, worker, gridhead)
    response = client_for(neighbour).get(URL, {"grid": "M1"})
    assert response.status_code == 403
    assert response.json()["message_en"] == "This grid lies outside your jurisdiction."


def test_a_resident_is_refused(net: Any, resident: User) -> None:
    assert client_for(resident).get(URL, {"grid": "M1"}).status_code == 403


def test_anonymous_is_refused(net: Any) -> None:
    assert client_for(None).get(URL, {"grid": "M1"}).status_code == 401


@pytest.mark.parametrize(
    "value", ["tomorrow", "2027-13-01T10:00+08:00", "2027-03-08T10:00", "2027-03-08"]
)
def test_a_malformed_or_naive_at_is_refused_naming_at(net: Any, gridhead: User, value: str) -> None:
    response = client_for(gridhead).get(URL, {"grid": "M1", "at": value})
    assert response.status_code == 422
    body = response.json()
    assert body["field"] == "at"
    assert body["message"] and body["message_en"] and body["message"] != body["message_en"]


@pytest.mark.parametrize("code", ["G1", "C1", "S", "NOPE"])
def test_a_grid_that_is_not_a_micro_grid_is_refused_naming_grid(
    net: Any, gridhead: User, code: str
) -> None:
    response = client_for(gridhead).get(URL, {"grid": code})
    assert response.status_code == 422
    assert response.json()["field"] == "grid"


def test_a_missing_grid_is_refused_naming_grid(net: Any, gridhead: User) -> None:
    response = client_for(gridhead).get(URL)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "grid"


def test_a_dedicated_grid_is_its_own_leaf(net: Any, official: User) -> None:
    # made directly: the fixture's grids leave no room under C1 for another boundary
    market = Grid.objects.create(
        code="D1",
        name="锦丰农贸市场",
        level=Level.GRID,
        kind=Kind.DEDICATED,
        dedicated_type="market",
        parent=net.c1,
        path=net.c1.path + "D1/",
        depth=net.c1.depth + 1,
    )
    Grid.objects.filter(pk=net.c1.pk).update(phone="02887654321")
    body = client_for(official).get(URL, {"grid": market.code}).json()
    assert [e["reason"] for e in body["entries"]] == ["duty_phone"]
