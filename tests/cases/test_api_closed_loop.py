"""The five steps through the JSON API: a worker reports, the grid head accepts, dispatches and
whistles, the department reports in and resolves, the reporter answers by follow-up code, the case
closes, and GET shows every step."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from finegrid.accounts.models import User
from finegrid.cases.models import Case, CaseEvent, Status, Whistle, WhistleStatus
from tests.cases.helpers import MONDAY_10, department_user, staff_net
from tests.conftest import Net, client_for

URL = "/api/v1/cases"


def act(client: Client, case_id: int, action: str, **body: Any) -> Any:
    return client.post(f"{URL}/{case_id}/{action}", body, content_type="application/json")


def test_a_case_goes_round_the_whole_loop_through_the_api(
    net: Net, worker: User, gridhead: User, time_machine: Any
) -> None:
    staff_net(net, worker, gridhead)
    dept = department_user(net.street)
    time_machine.move_to(MONDAY_10, tick=False)
    w, g, d, anyone = client_for(worker), client_for(gridhead), client_for(dept), client_for(None)

    created = w.post(
        URL,
        {
            "category": "city_management",
            "description": "占道经营",
            "lat": 30.01,
            "lng": 104.005,
            "reporter_phone": "13812345678",
        },
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="walk-1",
    ).json()
    case_id, code = created["id"], created["follow_code"]
    assert created["reported_at"] == "2026-11-23T10:00:00+08:00"

    steps = [
        (g, "accept", {"track": "coordinate"}, "accepted"),
        (g, "dispatch", {"assignee": "worker"}, "dispatched"),
        (w, "progress", {"note": "摊主不听劝阻"}, "dispatched"),
        (g, "whistle", {"department": "chengguan", "note": "请城管到场"}, "dispatched"),
        (d, "report-in", {"department": "chengguan"}, "in_progress"),
        (
            d,
            "department-resolve",
            {"department": "chengguan", "note": "已劝离"},
            "awaiting_feedback",
        ),
    ]
    for minutes, (client, action, body, status) in enumerate(steps, start=1):
        time_machine.move_to(MONDAY_10 + dt.timedelta(minutes=10 * minutes), tick=False)
        r = act(client, case_id, action, **body)
        assert r.status_code == 200, (action, r.content)
        assert r.json()["status"] == status, action
    assert Whistle.objects.get().status == WhistleStatus.RESOLVED

    public = anyone.get(f"{URL}/track/{code.lower()}").json()
    assert public["awaiting_feedback"] is True and public["status"] == "awaiting_feedback"
    r = anyone.post(
        f"{URL}/track/{code}/feedback",
        {"satisfaction": "satisfied", "comment": "很快"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "closed"
    case = Case.objects.get()
    assert (case.status, case.satisfaction, case.track) == (Status.CLOSED, "satisfied", "follow_up")

    detail = g.get(f"{URL}/{case_id}").json()
    trace = [(e["action"], e["from_status"], e["to_status"]) for e in detail["events"]]
    assert trace == [
        ("report", "", "reported"),
        ("accept", "reported", "accepted"),
        ("dispatch", "accepted", "dispatched"),
        ("progress", "dispatched", "dispatched"),
        ("whistle", "dispatched", "dispatched"),
        ("report_in", "dispatched", "in_progress"),
        ("resolve", "in_progress", "resolved"),
        ("request_feedback", "resolved", "awaiting_feedback"),
        ("feedback", "awaiting_feedback", "awaiting_feedback"),
        ("close", "awaiting_feedback", "closed"),
    ]
    actors = [e["actor"]["name"] if e["actor"] else None for e in detail["events"]]
    assert actors == [
        "蔡如欣",
        "张志强",
        "张志强",
        "蔡如欣",
        "张志强",
        "城管王队",
        "城管王队",
        None,
        None,
        None,
    ]
    assert detail["events"][4]["note"] == "请城管到场" and detail["events"][4]["label"]
    assert detail["events"][6]["at"] == "2026-11-23T11:00:00+08:00"
    assert detail["whistles"][0]["department"]["code"] == "chengguan"
    assert detail["whistles"][0]["status"] == "resolved"
    assert detail["reporter_phone_masked"] == "138****5678" and "13812345678" not in str(detail)
    assert detail["assignee"] == {"id": worker.pk, "name": "蔡如欣"}
    assert CaseEvent.objects.filter(case=case).count() == len(trace)


def test_the_public_trace_shows_no_names_phones_or_notes(
    net: Net, worker: User, gridhead: User
) -> None:
    created = (
        client_for(worker)
        .post(
            URL,
            {
                "category": "sanitation",
                "description": "垃圾",
                "lat": 30.01,
                "lng": 104.005,
                "reporter_name": "王女士",
                "reporter_phone": "13812345678",
            },
            content_type="application/json",
        )
        .json()
    )
    act(client_for(gridhead), created["id"], "accept", note="张志强已受理，电话13900000000")
    body = client_for(None).get(f"{URL}/track/{created['follow_code']}").json()
    assert [e["action"] for e in body["events"]] == ["report", "accept"]
    text = str(body)
    for secret in ("王女士", "138", "张志强", "139", "蔡如欣", "垃圾"):
        assert secret not in text
    assert body["category"] == "环境卫生" and body["status"] == "accepted"


def test_feedback_before_resolution_is_refused_and_changes_nothing(net: Net, worker: User) -> None:
    created = (
        client_for(worker)
        .post(
            URL,
            {"category": "sanitation", "description": "垃圾", "lat": 30.01, "lng": 104.005},
            content_type="application/json",
        )
        .json()
    )
    r = client_for(None).post(
        f"{URL}/track/{created['follow_code']}/feedback",
        {"satisfaction": "satisfied"},
        content_type="application/json",
    )
    assert r.status_code == 409 and r.json()["message_en"]
    assert Case.objects.get().satisfaction == "" and CaseEvent.objects.count() == 1


def test_an_unknown_follow_code_answers_404(net: Net) -> None:
    r = client_for(None).get(f"{URL}/track/NOPE2345")
    assert r.status_code == 404 and r.json()["field"] == "code"


def test_dissatisfied_feedback_reopens_and_a_visit_back_closes(
    net: Net, gridhead: User, resident: User
) -> None:
    g = client_for(gridhead)
    created = (
        client_for(resident)
        .post(
            URL,
            {"category": "sanitation", "description": "垃圾", "lat": 30.01, "lng": 104.005},
            content_type="application/json",
        )
        .json()
    )
    case_id, code = created["id"], created["follow_code"]
    act(g, case_id, "accept")
    assert act(g, case_id, "resolve", note="已清运").json()["status"] == "awaiting_feedback"
    r = client_for(None).post(
        f"{URL}/track/{code}/feedback",
        {"satisfaction": "dissatisfied", "comment": "还是很脏"},
        content_type="application/json",
    )
    assert r.json()["status"] == "reopened"
    act(g, case_id, "accept")
    act(g, case_id, "resolve", note="再次清运")
    r = act(g, case_id, "visit-back", note="电话回访，满意")
    assert r.status_code == 200 and r.json()["status"] == "closed"
    assert Case.objects.get().status == Status.CLOSED


def test_reject_merge_reassign_return_reopen_and_supervise(
    net: Net, worker: User, gridhead: User, official: User, leader: User
) -> None:
    g = client_for(gridhead)
    body = {"category": "sanitation", "description": "垃圾", "lat": 30.01, "lng": 104.005}
    ids = [
        client_for(worker).post(URL, body, content_type="application/json").json()["id"]
        for _ in range(3)
    ]
    first, second, third = ids
    number = Case.objects.get(pk=first).number

    assert act(g, second, "merge", into=number).json()["merged_into"] == number
    assert act(g, third, "reject", reason="不属于受理范围").json()["status"] == "rejected"
    act(g, first, "accept")
    act(g, first, "dispatch", assignee=str(worker.pk))
    # a handler of the grid handling the case (the community official works above it)
    assert act(g, first, "reassign", assignee="gridhead").json()["assignee"]["name"] == "张志强"
    assert act(client_for(official), first, "return", reason="需网格处理").json()["status"] == (
        "returned"
    )
    r = act(client_for(leader), first, "supervise", supervisor="official")
    assert r.json()["supervisor"]["name"] == "胡晓梅"
    act(g, first, "accept")
    act(g, first, "resolve", note="已处理")
    r = act(g, first, "reopen", reason="复发")
    assert r.status_code == 200 and r.json()["status"] == "reopened"
    assert [s for s in Case.objects.order_by("pk").values_list("status", flat=True)] == [
        "reopened",
        "merged",
        "rejected",
    ]


def test_a_reason_is_required_to_reject(net: Net, worker: User, gridhead: User) -> None:
    body = {"category": "sanitation", "description": "垃圾", "lat": 30.01, "lng": 104.005}
    case_id = client_for(worker).post(URL, body, content_type="application/json").json()["id"]
    r = act(client_for(gridhead), case_id, "reject", reason=" ")
    assert r.status_code == 422 and r.json()["field"] == "reason"
    r = act(client_for(gridhead), case_id, "reject")
    assert r.status_code == 422 and r.json()["field"] == "reason"
    assert Case.objects.get().status == Status.REPORTED and CaseEvent.objects.count() == 1


def test_unknown_department_and_handler_are_named(net: Net, worker: User, gridhead: User) -> None:
    body = {"category": "sanitation", "description": "垃圾", "lat": 30.01, "lng": 104.005}
    case_id = client_for(worker).post(URL, body, content_type="application/json").json()["id"]
    g = client_for(gridhead)
    act(g, case_id, "accept")
    r = act(g, case_id, "whistle", department="nasa")
    assert r.status_code == 422 and r.json()["field"] == "department"
    r = act(g, case_id, "dispatch", assignee="nobody")
    assert r.status_code == 422 and r.json()["field"] == "assignee"
    assert Case.objects.get().status == Status.ACCEPTED and not Whistle.objects.exists()
