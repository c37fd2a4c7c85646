"""上报社区 / 上报街道: the grid handling a case carries it one level up by hand, with a reason, in
the trace, telling the people there; through the service, the case page and the API."""

from __future__ import annotations

from typing import Any

import pytest

from finegrid.accounts.models import Role, RoleAssignment, User
from finegrid.cases import services
from finegrid.cases.models import Case, CaseEvent, Status
from finegrid.notifications.models import Notification
from tests.cases.helpers import MONDAY_10, report, staff_net
from tests.conftest import Net, client_for

URL = "/api/v1/cases"
BUTTON = 'class="fg-act-item" data-action="escalate"'


@pytest.fixture(autouse=True)
def _monday(time_machine: Any) -> None:
    # the cases are reported at MONDAY_10: every request of the test runs then too
    time_machine.move_to(MONDAY_10, tick=False)


def carry(user: User, case: Case, **body: Any) -> Any:
    return client_for(user).post(f"{URL}/{case.pk}/escalate", body, content_type="application/json")


def english(user: User) -> Any:
    client = client_for(user)
    client.cookies["django_language"] = "en"
    return client


def test_the_grid_head_carries_a_case_to_the_community_which_is_told(
    net: Net, worker: User, gridhead: User, official: User
) -> None:
    staff_net(net, worker, gridhead)
    case = report(worker)
    services.case_accept(actor=gridhead, case=case)
    services.case_dispatch(actor=gridhead, case=case, assignee=worker)
    before = Case.objects.get(pk=case.pk)

    r = carry(gridhead, case, to="community", reason="涉及多个小区，需社区协调")

    assert r.status_code == 200, r.content
    body = r.json()
    assert body["handling_grid"]["code"] == "C1" and body["status"] == "dispatched"
    assert body["events"][-1]["action"] == "escalate"
    assert body["events"][-1]["actor"]["name"] == "张志强"
    assert body["events"][-1]["data"]["to_grid"] == "C1"
    case.refresh_from_db()
    assert (case.handling_grid, case.escalation_level, case.assignee) == (net.c1, 1, worker)
    # carrying a case up buys no time: the deadlines stay, only the escalation timer restarts
    assert (case.accept_due, case.resolve_due) == (before.accept_due, before.resolve_due)
    assert case.escalate_at is not None and case.escalate_at > MONDAY_10
    event = CaseEvent.objects.get(case=case, action="escalate")
    assert (event.actor, event.note) == (gridhead, "涉及多个小区，需社区协调")
    assert (event.data["from_grid"], event.data["to_grid"], event.data["manual"]) == (
        "G1",
        "C1",
        True,
    )
    told = Notification.objects.get(kind="case.escalated", user=official)
    assert case.number in told.title and told.link == f"/cases/{case.pk}/"
    assert not Notification.objects.filter(kind="case.escalated", user=gridhead).exists()


def test_the_community_carries_it_on_to_the_street_one_level_at_a_time(
    net: Net, worker: User, gridhead: User, official: User, leader: User
) -> None:
    case = report(worker)
    r = carry(gridhead, case, to="street", reason="需街道统筹")
    assert r.status_code == 409 and r.json()["field"] == "to"
    assert "锦丰社区" in r.json()["message"] and "one level at a time" in r.json()["message_en"]
    assert Case.objects.get(pk=case.pk).handling_grid == net.g1

    assert carry(gridhead, case, to="community", reason="需社区协调").status_code == 200
    # the community now holds it: the grid head no longer decides where it goes
    assert carry(gridhead, case, to="street", reason="再上报").status_code == 403
    r = carry(official, case, to="street", reason="需街道统筹城管与住建")
    assert r.status_code == 200 and r.json()["handling_grid"]["code"] == "S"
    assert Notification.objects.filter(kind="case.escalated", user=leader).exists()
    case.refresh_from_db()
    assert (case.handling_grid, case.escalation_level, case.escalate_at) == (net.street, 2, None)

    r = carry(leader, case, to="street", reason="再上报")
    assert r.status_code == 409 and r.json()["field"] == "to"
    assert (
        "top of the net" in r.json()["message_en"] and r.json()["message"] != r.json()["message_en"]
    )
    assert CaseEvent.objects.filter(case=case, action="escalate").count() == 2


def test_a_reason_is_required_and_named(net: Net, worker: User, gridhead: User) -> None:
    case = report(worker)
    for body in ({"to": "community"}, {"to": "community", "reason": "  "}):
        r = carry(gridhead, case, **body)
        assert r.status_code == 422 and r.json()["field"] == "reason"
        assert r.json()["message"] and r.json()["message_en"] == "Give a reason."
    r = carry(gridhead, case, to="city", reason="x")
    assert r.status_code == 422 and r.json()["field"] == "to"
    case.refresh_from_db()
    assert (case.handling_grid, case.escalation_level) == (net.g1, 0)
    assert not CaseEvent.objects.filter(case=case, action="escalate").exists()


def test_a_closed_case_cannot_be_carried_up(net: Net, worker: User, gridhead: User) -> None:
    case = report(worker)
    services.case_reject(actor=gridhead, case=case, reason="不属于受理范围")
    r = carry(gridhead, case, to="community", reason="需社区协调")
    assert r.status_code == 409 and r.json()["field"] == "status"
    assert r.json()["message"] and "Only an open case" in r.json()["message_en"]
    case.refresh_from_db()
    assert (case.status, case.handling_grid) == (Status.REJECTED, net.g1)


def test_a_neighbouring_grid_is_refused(net: Net, worker: User, neighbour: User) -> None:
    other = User.objects.create_user(username="g2head", password="x" * 12, display_name="邻网格长")
    RoleAssignment.objects.create(user=other, role=Role.GRID_HEAD, grid=net.g2)
    case = report(worker)
    for user in (neighbour, other):
        r = carry(user, case, to="community", reason="越界上报")
        assert r.status_code == 404
        page = client_for(user).post(
            f"/cases/{case.pk}/act/escalate/", {"to": "community", "reason": "越界上报"}
        )
        assert page.status_code == 404
    case.refresh_from_db()
    assert (case.handling_grid, case.escalation_level) == (net.g1, 0)


def test_the_case_page_offers_the_next_level_and_shows_the_move_in_the_trace(
    net: Net, worker: User, gridhead: User
) -> None:
    case = report(worker)
    client = english(gridhead)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert BUTTON in page and "Escalate to the community" in page

    r = client.post(
        f"/cases/{case.pk}/act/escalate/",
        {"to": "community", "reason": "需社区协调"},
        headers={"HX-Request": "true"},
    )

    assert r.status_code == 200
    body = r.content.decode()
    assert body.lstrip().startswith('<div id="case-main"')
    assert "Carried up to the community" in body and "需社区协调" in body
    assert "锦丰第1网格 → 锦丰社区" in body
    # now the community's to carry further: the grid head has no such button any more
    assert BUTTON not in body
    assert Case.objects.get(pk=case.pk).handling_grid == net.c1
    zh = client_for(gridhead).get(f"/cases/{case.pk}/").content.decode()
    assert "上报社区" in zh


def test_a_missing_reason_on_the_page_is_shown_beside_the_field(
    net: Net, worker: User, gridhead: User
) -> None:
    case = report(worker)
    r = english(gridhead).post(f"/cases/{case.pk}/act/escalate/", {"to": "community"})
    assert r.status_code == 422
    body = r.content.decode()
    assert 'fg-field--error" data-field="reason"' in body and "Give a reason." in body
    assert Case.objects.get(pk=case.pk).handling_grid == net.g1


def test_a_stale_page_asking_the_same_level_twice_is_told_on_top(
    net: Net, worker: User, gridhead: User, official: User
) -> None:
    case = report(worker)
    services.case_carry_up(actor=gridhead, case=case, to="community", reason="需社区协调")
    r = english(official).post(
        f"/cases/{case.pk}/act/escalate/", {"to": "community", "reason": "重复点击"}
    )
    assert r.status_code == 409
    assert "one level at a time" in r.content.decode()
    case.refresh_from_db()
    assert (case.handling_grid, case.escalation_level) == (net.c1, 1)


def test_the_sweeps_own_escalation_names_both_grids_in_the_trace_too(
    net: Net, worker: User, gridhead: User, time_machine: Any
) -> None:
    import datetime as dt

    case = report(worker)
    later = MONDAY_10 + dt.timedelta(hours=3)  # past the two working hours to accept
    time_machine.move_to(later, tick=False)
    services.cases_sweep(now=later)
    page = english(gridhead).get(f"/cases/{case.pk}/").content.decode()
    assert "Escalated" in page and "锦丰第1网格 → 锦丰社区" in page
    assert Case.objects.get(pk=case.pk).handling_grid == net.c1
