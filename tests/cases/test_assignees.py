"""Who a case can be handed to: only people of the handling grid's subtree who can take it,
grouped by grid and role, searchable — on the case page, the queue, the API — and the services
refuse anyone else."""

from __future__ import annotations

import re
from typing import Any

import pytest

from finegrid.accounts.models import Role, RoleAssignment, User
from finegrid.cases import services
from finegrid.cases.models import Case, Department, Status
from tests.cases.helpers import MONDAY_10, report
from tests.conftest import Net, client_for

URL = "/api/v1/cases"


@pytest.fixture(autouse=True)
def _monday(time_machine: Any) -> None:
    time_machine.move_to(MONDAY_10, tick=False)


def person(username: str, role: str, grid: Any, name: str) -> User:
    user = User.objects.create_user(username=username, password="x" * 12, display_name=name)
    RoleAssignment.objects.create(user=user, role=role, grid=grid)
    return user


@pytest.fixture
def crowd(net: Net, worker: User, neighbour: User, gridhead: User, official: User) -> dict:
    """The case's own people and those of other grids who must not be offered."""
    return {
        "g1worker": person("g1worker", Role.GRID_WORKER, net.g1, "阿青"),
        "g2head": person("g2head", Role.GRID_HEAD, net.g2, "邻社区网格长"),
        "m3worker": person("m3worker", Role.MICRO_WORKER, net.m3, "邻社区微网格员"),
    }


def options(html: str) -> list[str]:
    return re.findall(r'<option value="(\d+)"', html)


def groups(html: str) -> list[str]:
    return re.findall(r'<optgroup label="([^"]+)">', html)


def english(user: User) -> Any:
    client = client_for(user)
    client.cookies["django_language"] = "en"
    return client


def _dispatch_form(page: str) -> str:
    start = page.index('data-action="dispatch"')
    return page[start : page.index("</form>", start)]


def test_the_dispatch_list_holds_only_the_handling_grids_people_grouped_by_grid_and_role(
    net: Net, worker: User, gridhead: User, official: User, leader: User, crowd: dict
) -> None:
    case = report(worker)
    services.case_accept(actor=gridhead, case=case)
    for viewer in (gridhead, leader):
        form = _dispatch_form(english(viewer).get(f"/cases/{case.pk}/").content.decode())
        assert options(form) == [str(gridhead.pk), str(crowd["g1worker"].pk), str(worker.pk)]
        assert groups(form) == [
            "锦丰第1网格 · Grid head",
            "锦丰第1网格 · Full-time grid worker",
            "锦丰1-1微网格 · Micro-grid worker",
        ]
        assert 'type="search"' in form and "/cases/assignees/?case=" in form
    zh = _dispatch_form(client_for(gridhead).get(f"/cases/{case.pk}/").content.decode())
    assert groups(zh)[0] == "锦丰第1网格 · 网格长"


def test_once_carried_up_the_community_sees_its_own_people_too(
    net: Net, worker: User, gridhead: User, official: User, crowd: dict
) -> None:
    case = report(worker)
    services.case_carry_up(actor=gridhead, case=case, to="community", reason="需社区协调")
    services.case_accept(actor=official, case=case)
    r = client_for(official).get(f"{URL}/{case.pk}/assignees")
    assert r.status_code == 200
    found = [
        (g["grid"]["code"], g["role"], [p["id"] for p in g["people"]]) for g in r.json()["groups"]
    ]
    assert found == [
        ("C1", "community_official", [official.pk]),
        ("G1", "grid_head", [gridhead.pk]),
        ("G1", "grid_worker", [crowd["g1worker"].pk]),
        ("M1", "micro_worker", [worker.pk]),
    ]
    # the grid head hands down or across, never up to the community
    mine = client_for(gridhead).get(f"{URL}/{case.pk}/assignees").json()["groups"]
    assert [g["grid"]["code"] for g in mine] == ["G1", "G1", "M1"]


def test_the_list_is_searchable_by_name_grid_or_role(
    net: Net, worker: User, gridhead: User, crowd: dict
) -> None:
    case = report(worker)
    r = client_for(gridhead).get(f"{URL}/{case.pk}/assignees", {"q": "蔡"})
    assert [p["id"] for g in r.json()["groups"] for p in g["people"]] == [worker.pk]
    page = client_for(gridhead).get("/cases/assignees/", {"case": case.pk, "q": "网格长"})
    assert page.status_code == 200
    assert options(page.content.decode()) == [str(gridhead.pk)]
    nobody = client_for(gridhead).get("/cases/assignees/", {"case": case.pk, "q": "邻社区"})
    assert options(nobody.content.decode()) == []


def test_the_service_refuses_an_assignee_outside_the_list_in_both_languages(
    net: Net, worker: User, gridhead: User, official: User, crowd: dict
) -> None:
    case = report(worker)
    services.case_accept(actor=gridhead, case=case)
    for outsider in ("official", "g2head", "m3worker", "neighbour"):
        r = client_for(gridhead).post(
            f"{URL}/{case.pk}/dispatch", {"assignee": outsider}, content_type="application/json"
        )
        assert r.status_code == 422 and r.json()["field"] == "assignee", outsider
        assert (
            "锦丰第1网格" in r.json()["message"] and "the grid handling" in r.json()["message_en"]
        )
    page = english(gridhead).post(f"/cases/{case.pk}/act/dispatch/", {"assignee": official.pk})
    assert page.status_code == 422
    case.refresh_from_db()
    assert (case.status, case.assignee) == (Status.ACCEPTED, None)


def test_a_neighbouring_grid_is_refused_the_list(
    net: Net, worker: User, neighbour: User, crowd: dict
) -> None:
    case = report(worker)
    for user in (neighbour, crowd["g2head"]):
        assert client_for(user).get(f"{URL}/{case.pk}/assignees").status_code == 404
        page = client_for(user).get("/cases/assignees/", {"case": case.pk})
        assert page.status_code == 404


def test_the_queues_bulk_list_offers_only_who_can_take_the_listed_cases(
    net: Net, worker: User, neighbour: User, gridhead: User, official: User, crowd: dict
) -> None:
    cases = [report(worker), report(worker, lng=104.006)]
    for case in cases:
        services.case_accept(actor=gridhead, case=case)
        services.case_dispatch(actor=gridhead, case=case, assignee=worker)
    page = english(official).get("/cases/").content.decode()
    bulk = page[page.index('id="bulk"') :]
    assert options(bulk) == [str(gridhead.pk), str(crowd["g1worker"].pk), str(worker.pk)]
    assert "锦丰第1网格 · Grid head" in groups(bulk)
    assert 'type="search"' in bulk
    found = client_for(official).get(
        "/cases/assignees/", {"bulk": "1", "case": [c.pk for c in cases], "q": "阿青"}
    )
    assert options(found.content.decode()) == [str(crowd["g1worker"].pk)]
    assert 'option value=""' in found.content.decode()  # the bulk list's prompt stays
    r = client_for(official).post(
        "/cases/bulk-reassign/", {"cases": [c.pk for c in cases], "assignee": neighbour.pk}
    )
    assert r.status_code == 302
    assert [Case.objects.get(pk=c.pk).assignee for c in cases] == [worker, worker]
    r = client_for(official).post(
        "/cases/bulk-reassign/", {"cases": [c.pk for c in cases], "assignee": gridhead.pk}
    )
    assert [Case.objects.get(pk=c.pk).assignee for c in cases] == [gridhead, gridhead]


def test_a_whistle_that_makes_the_case_follow_up_says_so_in_the_trace(
    net: Net, worker: User, gridhead: User
) -> None:
    case = report(worker)
    services.case_accept(actor=gridhead, case=case, track="coordinate")
    services.case_whistle(
        actor=gridhead, case=case, department=Department.objects.get(code="chengguan")
    )
    case.refresh_from_db()
    assert case.track == "follow_up"
    event = case.events.get(action="whistle")
    assert (event.data["track_from"], event.data["track_to"]) == ("coordinate", "follow_up")
    en = english(gridhead).get(f"/cases/{case.pk}/").content.decode()
    assert "Track: Coordinate → Follow up" in en
    zh = client_for(gridhead).get(f"/cases/{case.pk}/").content.decode()
    assert "办理方式: 协调办 → 跟踪办" in zh
    detail = client_for(gridhead).get(f"{URL}/{case.pk}").json()
    whistled = [e for e in detail["events"] if e["action"] == "whistle"][0]
    assert whistled["data"]["track_to"] == "follow_up"


def test_a_second_whistle_on_a_follow_up_case_records_no_change(
    net: Net, worker: User, gridhead: User
) -> None:
    case = report(worker)
    services.case_accept(actor=gridhead, case=case, track="follow_up")
    services.case_whistle(
        actor=gridhead, case=case, department=Department.objects.get(code="chengguan")
    )
    event = case.events.get(action="whistle")
    assert "track_to" not in event.data
    page = english(gridhead).get(f"/cases/{case.pk}/").content.decode()
    # only the acceptance changed the track (马上办 → 跟踪办), and the trace says that once
    assert page.count('data-change="track"') == 1
    assert "Track: Settle now → Follow up" in page
