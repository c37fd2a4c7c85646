"""Withdrawing a whistle (撤回吹哨): the grid calls off a whistle the department has not resolved.
Through the service, the case page and the API; the neighbouring grid, the wrong role and the
wrong moment are refused and change nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from finegrid.accounts.models import User
from finegrid.cases import selectors, services
from finegrid.cases.models import Case, CaseEvent, Department, Status, Whistle, WhistleStatus
from finegrid.core.errors import Forbidden, InvalidInput, NotFound
from finegrid.notifications.models import Notification
from tests.cases.helpers import MONDAY_10, department_user, report, staff_net
from tests.conftest import Net, client_for

URL = "/api/v1/cases"
T = MONDAY_10


def english(user: User) -> Any:
    client = client_for(user)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture(autouse=True)
def _an_hour_after_the_report(time_machine: Any) -> Any:
    # the whistle is blown at T + 10 min; whatever the test does next happens after it
    time_machine.move_to(T + dt.timedelta(hours=1), tick=False)
    return time_machine


def chengguan() -> Department:
    return Department.objects.get(code="chengguan")


def whistled(worker: User, gridhead: User) -> Case:
    """A case in M1, accepted by G1's grid head, who whistled the city management team."""
    case = report(worker, now=T)
    services.case_accept(actor=gridhead, case=case, now=T + dt.timedelta(minutes=5))
    services.case_whistle(
        actor=gridhead, case=case, department=chengguan(), now=T + dt.timedelta(minutes=10)
    )
    case.refresh_from_db()
    return case


def written() -> tuple[Any, ...]:
    """Everything a withdrawal writes, to show a refused one wrote nothing."""
    return (
        list(Whistle.objects.values_list("status", "updated_at")),
        CaseEvent.objects.count(),
        Notification.objects.count(),
        list(Case.objects.values_list("status", "department_id", "updated_at")),
    )


# --- the service ------------------------------------------------------------------------------


def test_the_grid_head_withdraws_a_whistle_and_the_department_is_told(
    net: Net, worker: User, gridhead: User
) -> None:
    staff_net(net, worker, gridhead)
    dept = department_user(net.street)
    case = whistled(worker, gridhead)
    assert case.department == chengguan()
    now = T + dt.timedelta(minutes=20)
    whistle = services.whistle_withdraw(
        actor=gridhead, case=case, department=chengguan(), reason="吹错了部门", now=now
    )
    assert whistle.status == WhistleStatus.WITHDRAWN
    assert Whistle.objects.get().status == WhistleStatus.WITHDRAWN
    case.refresh_from_db()
    assert case.status == Status.DISPATCHED and case.department is None
    event = CaseEvent.objects.filter(case=case).latest("id")
    assert (event.action, event.actor, event.note, event.at) == (
        "withdraw_whistle",
        gridhead,
        "吹错了部门",
        now,
    )
    assert (event.from_status, event.to_status) == (Status.DISPATCHED, Status.DISPATCHED)
    assert event.data == {"department": "chengguan"}
    notice = Notification.objects.get(kind="case.whistle_withdrawn")
    assert notice.user == dept and case.number in notice.title
    assert notice.link == f"/cases/{case.pk}/"
    assert list(selectors.department_whistles(user=dept)) == []


def test_a_whistle_the_department_reported_in_to_may_still_be_withdrawn(
    net: Net, worker: User, gridhead: User
) -> None:
    dept = department_user(net.street)
    case = whistled(worker, gridhead)
    services.whistle_report_in(actor=dept, case=case, department=chengguan())
    services.whistle_withdraw(
        actor=gridhead, case=case, department=chengguan(), reason="已自行处理"
    )
    assert Whistle.objects.get().status == WhistleStatus.WITHDRAWN


def test_a_withdrawn_whistle_cannot_be_reported_in_or_resolved(
    net: Net, worker: User, gridhead: User
) -> None:
    dept = department_user(net.street)
    case = whistled(worker, gridhead)
    services.whistle_withdraw(actor=gridhead, case=case, department=chengguan(), reason="撤回")
    before = written()
    with pytest.raises(services.IllegalTransition) as refused:
        services.whistle_report_in(actor=dept, case=case, department=chengguan())
    assert refused.value.as_dict()["code"] == "illegal_transition"
    assert refused.value.as_dict()["field"] == "department"
    assert refused.value.as_dict()["message"] == "网格已撤回此次吹哨：无需报到或办结。"
    assert refused.value.as_dict()["message_en"] == (
        "The grid withdrew this whistle: there is nothing to report in or resolve."
    )
    with pytest.raises(services.IllegalTransition):
        services.whistle_resolve(actor=dept, case=case, department=chengguan(), note="已清理")
    assert written() == before


def test_a_resolved_whistle_cannot_be_withdrawn_and_nothing_is_written(
    net: Net, worker: User, gridhead: User
) -> None:
    dept = department_user(net.street)
    case = whistled(worker, gridhead)
    services.whistle_report_in(actor=dept, case=case, department=chengguan())
    services.whistle_resolve(actor=dept, case=case, department=chengguan(), note="已清理")
    before = written()
    with pytest.raises(services.IllegalTransition) as refused:
        services.whistle_withdraw(actor=gridhead, case=case, department=chengguan(), reason="撤回")
    problem = refused.value.as_dict()
    assert refused.value.status == 409 and problem["field"] == "status"
    assert problem["message_en"] == "A resolved whistle cannot be withdrawn."
    assert problem["message"]
    assert written() == before
    assert Whistle.objects.get().status == WhistleStatus.RESOLVED


def test_a_whistle_is_withdrawn_once(net: Net, worker: User, gridhead: User) -> None:
    case = whistled(worker, gridhead)
    services.whistle_withdraw(actor=gridhead, case=case, department=chengguan(), reason="撤回")
    before = written()
    with pytest.raises(services.IllegalTransition) as refused:
        services.whistle_withdraw(actor=gridhead, case=case, department=chengguan(), reason="再撤")
    assert refused.value.field == "status"
    assert written() == before


def test_a_reason_is_required(net: Net, worker: User, gridhead: User) -> None:
    case = whistled(worker, gridhead)
    before = written()
    with pytest.raises(InvalidInput) as refused:
        services.whistle_withdraw(actor=gridhead, case=case, department=chengguan(), reason="  ")
    assert refused.value.field == "reason"
    assert written() == before
    assert Whistle.objects.get().status == WhistleStatus.WHISTLED


def test_a_department_never_whistled_is_named(net: Net, worker: User, gridhead: User) -> None:
    case = whistled(worker, gridhead)
    with pytest.raises(NotFound) as refused:
        services.whistle_withdraw(
            actor=gridhead, case=case, department=Department.objects.get(code="police"), reason="x"
        )
    assert refused.value.field == "department"


def test_a_user_of_the_neighbouring_grid_is_refused(
    net: Net, worker: User, gridhead: User, neighbour: User
) -> None:
    case = whistled(worker, gridhead)
    before = written()
    with pytest.raises(NotFound):
        services.whistle_withdraw(actor=neighbour, case=case, department=chengguan(), reason="x")
    assert written() == before


def test_only_who_may_whistle_may_withdraw(net: Net, worker: User, gridhead: User) -> None:
    dept = department_user(net.street)
    case = whistled(worker, gridhead)
    before = written()
    for who in (worker, dept):  # a micro-grid worker, the department itself
        with pytest.raises(Forbidden):
            services.whistle_withdraw(actor=who, case=case, department=chengguan(), reason="x")
    assert written() == before


def test_another_open_whistle_keeps_the_case_with_its_department(
    net: Net, worker: User, gridhead: User
) -> None:
    case = whistled(worker, gridhead)
    police = Department.objects.get(code="police")
    services.case_whistle(actor=gridhead, case=case, department=police)
    services.whistle_withdraw(actor=gridhead, case=case, department=police, reason="不需要了")
    case.refresh_from_db()
    assert case.department == chengguan()
    assert dict(Whistle.objects.values_list("department__code", "status")) == {
        "chengguan": WhistleStatus.WHISTLED,
        "police": WhistleStatus.WITHDRAWN,
    }


def test_the_department_may_be_whistled_again_after_a_withdrawal(
    net: Net, worker: User, gridhead: User
) -> None:
    case = whistled(worker, gridhead)
    services.whistle_withdraw(actor=gridhead, case=case, department=chengguan(), reason="先撤回")
    again = services.case_whistle(actor=gridhead, case=case, department=chengguan())
    assert again.status == WhistleStatus.WHISTLED
    assert Whistle.objects.filter(status=WhistleStatus.WITHDRAWN).count() == 1


def test_a_withdrawn_whistles_clocks_stop(
    net: Net, worker: User, gridhead: User, time_machine: Any
) -> None:
    dept = department_user(net.street)
    police = Department.objects.get(code="police")
    police.staff.add(dept)
    case = whistled(worker, gridhead)
    services.case_whistle(actor=gridhead, case=case, department=police)  # stays open
    withdrawn = Whistle.objects.get(department=chengguan())
    services.whistle_withdraw(actor=gridhead, case=case, department=chengguan(), reason="撤回")
    # past its report-in deadline the sweep has nothing to say about it
    notices = Notification.objects.filter(user=dept).count()
    counts = services.cases_sweep(now=withdrawn.report_in_due + dt.timedelta(hours=1))
    assert counts["escalated"] == 0
    assert Notification.objects.filter(user=dept).count() == notices
    case.refresh_from_db()
    assert case.escalation_level == 0 and case.handling_grid == net.g1
    # past its resolve deadline the workspace neither lists it nor, asked for all, flags it
    time_machine.move_to(withdrawn.resolve_due + dt.timedelta(hours=1), tick=False)
    client = client_for(dept)

    def rows(url: str) -> dict[str, str]:
        body = client.get(url).content.decode()
        found = [row for row in body.split("<tr")[1:] if f'data-number="{case.number}"' in row]
        return {
            name: row for row in found for name in (chengguan().name, police.name) if name in row
        }

    assert list(rows("/cases/department/")) == [police.name]
    every = rows("/cases/department/?all=1")
    assert "is-overdue" not in every[chengguan().name]
    assert "is-overdue" in every[police.name]  # the open whistle's clock still runs


# --- the case page ----------------------------------------------------------------------------


def _buttons(body: str) -> set[str]:
    import re

    return set(re.findall(r'class="fg-act-item" data-action="([a-z_]+)"', body))


def test_the_grid_head_withdraws_from_the_case_page(net: Net, worker: User, gridhead: User) -> None:
    dept = department_user(net.street)
    case = whistled(worker, gridhead)
    client = english(gridhead)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "withdraw_whistle" in _buttons(page) and "Withdraw the whistle" in page
    assert f'name="department" value="{chengguan().pk}"' in page
    assert "report_in" in _buttons(client_for(dept).get(f"/cases/{case.pk}/").content.decode())
    response = client.post(
        f"/cases/{case.pk}/act/withdraw_whistle/",
        {"department": chengguan().pk, "reason": "吹错了部门"},
    )
    assert response.status_code == 302
    assert Whistle.objects.get().status == WhistleStatus.WITHDRAWN
    assert CaseEvent.objects.filter(case=case).latest("id").action == "withdraw_whistle"
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "withdraw_whistle" not in _buttons(page)
    assert 'data-action="withdraw_whistle"' in page  # in the trace
    assert "Whistle withdrawn" in page and "吹错了部门" in page
    # the department's workspace and case page no longer offer it
    dept_client = client_for(dept)
    assert case.number not in dept_client.get("/cases/department/").content.decode()
    assert _buttons(dept_client.get(f"/cases/{case.pk}/").content.decode()) == set()


def test_a_missing_reason_is_shown_beside_the_field(net: Net, worker: User, gridhead: User) -> None:
    case = whistled(worker, gridhead)
    before = written()
    response = english(gridhead).post(
        f"/cases/{case.pk}/act/withdraw_whistle/", {"department": chengguan().pk, "reason": ""}
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert 'fg-field--error" data-field="reason"' in body and "Give a reason." in body
    assert written() == before


def test_withdrawing_a_resolved_whistle_from_the_page_is_refused(
    net: Net, worker: User, gridhead: User
) -> None:
    dept = department_user(net.street)
    case = whistled(worker, gridhead)
    services.whistle_report_in(actor=dept, case=case, department=chengguan())
    services.whistle_resolve(actor=dept, case=case, department=chengguan(), note="已清理")
    before = written()
    response = english(gridhead).post(
        f"/cases/{case.pk}/act/withdraw_whistle/", {"department": chengguan().pk, "reason": "撤回"}
    )
    assert response.status_code == 409
    assert "A resolved whistle cannot be withdrawn." in response.content.decode()
    assert written() == before


def test_a_stale_report_in_on_a_withdrawn_whistle_says_why(
    net: Net, worker: User, gridhead: User
) -> None:
    dept = department_user(net.street)
    case = whistled(worker, gridhead)
    services.whistle_withdraw(actor=gridhead, case=case, department=chengguan(), reason="撤回")
    before = written()
    response = english(dept).post(
        f"/cases/{case.pk}/act/report_in/", {"department": chengguan().pk, "note": "已到场"}
    )
    assert response.status_code == 409
    assert "The grid withdrew this whistle" in response.content.decode()
    assert written() == before


def test_the_neighbour_gets_404_from_the_page(
    net: Net, worker: User, gridhead: User, neighbour: User
) -> None:
    case = whistled(worker, gridhead)
    before = written()
    response = client_for(neighbour).post(
        f"/cases/{case.pk}/act/withdraw_whistle/", {"department": chengguan().pk, "reason": "x"}
    )
    assert response.status_code == 404
    assert written() == before


def test_a_worker_sees_no_withdraw_button_and_is_refused(
    net: Net, worker: User, gridhead: User
) -> None:
    case = whistled(worker, gridhead)
    client = english(worker)
    assert "withdraw_whistle" not in _buttons(client.get(f"/cases/{case.pk}/").content.decode())
    before = written()
    response = client.post(
        f"/cases/{case.pk}/act/withdraw_whistle/", {"department": chengguan().pk, "reason": "x"}
    )
    assert response.status_code == 403
    assert written() == before


# --- the API ----------------------------------------------------------------------------------


def withdraw(user: User, case: Case, code: str = "chengguan", **body: Any) -> Any:
    return client_for(user).post(
        f"{URL}/{case.pk}/whistles/{code}/withdraw", body, content_type="application/json"
    )


def test_the_api_withdraws_and_answers_the_case(net: Net, worker: User, gridhead: User) -> None:
    dept = department_user(net.street)
    case = whistled(worker, gridhead)
    r = withdraw(gridhead, case, reason="吹错了部门")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "dispatched" and body["department"] is None
    assert [w["status"] for w in body["whistles"]] == ["withdrawn"]
    assert body["events"][-1]["action"] == "withdraw_whistle"
    assert body["events"][-1]["note"] == "吹错了部门"
    assert Whistle.objects.get().status == WhistleStatus.WITHDRAWN
    assert Notification.objects.filter(kind="case.whistle_withdrawn", user=dept).exists()
    listed = client_for(dept).get(f"{URL}?department=chengguan").json()
    assert listed["count"] == 0


def test_the_api_refuses_the_neighbouring_grid_with_404(
    net: Net, worker: User, gridhead: User, neighbour: User
) -> None:
    case = whistled(worker, gridhead)
    before = written()
    r = withdraw(neighbour, case, reason="x")
    assert r.status_code == 404 and r.json()["field"] == "id"
    assert written() == before


def test_the_api_refuses_the_department_with_403(net: Net, worker: User, gridhead: User) -> None:
    dept = department_user(net.street)
    case = whistled(worker, gridhead)
    before = written()
    assert withdraw(dept, case, reason="x").status_code == 403
    assert written() == before


def test_the_api_refuses_a_resolved_whistle_with_409(
    net: Net, worker: User, gridhead: User
) -> None:
    dept = department_user(net.street)
    case = whistled(worker, gridhead)
    services.whistle_report_in(actor=dept, case=case, department=chengguan())
    services.whistle_resolve(actor=dept, case=case, department=chengguan(), note="已清理")
    before = written()
    r = withdraw(gridhead, case, reason="撤回")
    assert r.status_code == 409
    body = r.json()
    assert body["code"] == "illegal_transition" and body["field"] == "status"
    assert body["message_en"] == "A resolved whistle cannot be withdrawn." and body["message"]
    assert written() == before


def test_the_api_names_a_missing_reason_and_an_unknown_department(
    net: Net, worker: User, gridhead: User
) -> None:
    case = whistled(worker, gridhead)
    before = written()
    r = withdraw(gridhead, case, reason="")
    assert r.status_code == 422 and r.json()["field"] == "reason"
    r = withdraw(gridhead, case, code="nasa", reason="x")
    assert r.status_code == 422 and r.json()["field"] == "department"
    r = withdraw(gridhead, case, code="police", reason="x")
    assert r.status_code == 404 and r.json()["field"] == "department"
    assert written() == before


def test_the_api_refuses_a_report_in_on_a_withdrawn_whistle(
    net: Net, worker: User, gridhead: User
) -> None:
    dept = department_user(net.street)
    case = whistled(worker, gridhead)
    withdraw(gridhead, case, reason="撤回")
    before = written()
    r = client_for(dept).post(
        f"{URL}/{case.pk}/report-in", {"department": "chengguan"}, content_type="application/json"
    )
    assert r.status_code == 409
    body = r.json()
    assert body["field"] == "department"
    assert body["message_en"] == (
        "The grid withdrew this whistle: there is nothing to report in or resolve."
    )
    assert body["message"] == "网格已撤回此次吹哨：无需报到或办结。"
    assert written() == before
