"""GET requests, requests/{id} and tokens/{token}: public, filtered as the spec says, and
without the reporter's personal data."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from finegrid.accounts.models import User
from finegrid.cases import services
from finegrid.cases.models import Case, Department
from tests.cases.helpers import MONDAY_10, department_user, report, staff_net
from tests.conftest import Net
from tests.open311.helpers import BASE, errors_of, json_of, xml_of

EN = {"Accept-Language": "en"}


@pytest.fixture
def clock(time_machine: Any) -> None:
    time_machine.move_to(MONDAY_10, tick=False)


def get(path: str, **params: str) -> Any:
    return json_of(Client().get(f"{BASE}{path}", params, headers=EN))


def ids(body: list[dict[str, Any]]) -> list[str]:
    return [r["service_request_id"] for r in body]


def test_a_request_shows_the_spec_fields_and_no_personal_data(
    net: Net, worker: User, clock: None
) -> None:
    case = report(
        None,
        source="resident",
        description="楼道堆放杂物，联系我13812345678",
        reporter_name="王女士",
        reporter_phone="13912345678",
        photos=[{"url": "/api/v1/cases/photos/202611-" + "a" * 32}],
    )
    (row,) = get(f"requests/{case.number}.json")
    assert row["service_request_id"] == case.number
    assert (row["status"], row["service_code"], row["service_name"]) == (
        "open",
        "sanitation",
        "Sanitation",
    )
    assert row["requested_datetime"] == "2026-11-23T10:00:00+08:00"
    assert row["updated_datetime"] == "2026-11-23T10:00:00+08:00"
    assert (
        row["expected_datetime"]
        == case.resolve_due.astimezone(dt.timezone(dt.timedelta(hours=8))).isoformat()
    )
    assert row["agency_responsible"] == net.g1.name
    assert (row["lat"], row["long"]) == (30.01, 104.005)
    assert row["media_url"] == "http://testserver/api/v1/cases/photos/202611-" + "a" * 32
    assert "13812345678" not in row["description"] and "138****5678" in row["description"]
    text = str(row)
    for private in ("王女士", "139", case.follow_code):
        assert private not in text


def test_requests_list_in_xml(net: Net, worker: User, clock: None) -> None:
    case = report(worker)
    root = xml_of(Client().get(f"{BASE}requests.xml"))
    assert root.tag == "service_requests"
    assert [r.findtext("service_request_id") for r in root.findall("request")] == [case.number]
    assert root.findtext("request/status") == "open"
    assert root.findtext("request/long") == "104.005"


def test_requests_filter_by_status_code_dates_and_ids(
    net: Net, worker: User, gridhead: User, clock: None
) -> None:
    old = report(worker, category="dispute", now=MONDAY_10 - dt.timedelta(days=100))
    recent = report(worker, category="dispute", now=MONDAY_10 - dt.timedelta(days=3))
    today = report(worker, now=MONDAY_10)
    services.case_reject(actor=gridhead, case=recent, reason="不属于本网格", now=MONDAY_10)

    assert ids(get("requests.json")) == [today.number, recent.number]  # the last 90 days
    assert ids(get("requests.json", status="open")) == [today.number]
    assert ids(get("requests.json", status="closed")) == [recent.number]
    assert ids(get("requests.json", status="open,closed")) == [today.number, recent.number]
    assert ids(get("requests.json", service_code="dispute")) == [recent.number]
    assert ids(get("requests.json", service_code="dispute,sanitation")) == [
        today.number,
        recent.number,
    ]
    assert ids(
        get(
            "requests.json",
            start_date="2026-08-01T00:00:00+08:00",
            end_date="2026-08-31T00:00:00Z",
        )
    ) == [old.number]
    assert ids(get("requests.json", start_date="2026-11-20T00:00:00Z")) == [
        today.number,
        recent.number,
    ]
    # ids override every other filter
    assert ids(
        get("requests.json", service_request_id=f"{old.number},{today.number}", status="closed")
    ) == [today.number, old.number]


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"status": "pending"}, "status must be open or closed."),
        ({"start_date": "yesterday"}, "start_date is not a date"),
        ({"end_date": "2026-13-01"}, "end_date is not a date"),
        ({"start_date": "2026-11-01", "end_date": "2026-10-01"}, "start_date is after end_date."),
        ({"start_date": "2026-01-01", "end_date": "2026-11-01"}, "more than 90 days"),
    ],
)
def test_bad_filters_are_named_in_a_400(net: Net, params: dict[str, str], named: str) -> None:
    response = Client().get(f"{BASE}requests.xml", params, headers=EN)
    assert response.status_code == 400
    assert any(named in d for d in errors_of(response))


def test_a_case_closed_through_the_loop_shows_as_closed(
    net: Net, worker: User, gridhead: User, clock: None
) -> None:
    staff_net(net, worker, gridhead)
    dept = department_user(net.street)
    t = MONDAY_10
    case = report(worker, now=t)
    services.case_accept(actor=gridhead, case=case, now=t + dt.timedelta(minutes=5))
    whistle = services.case_whistle(
        actor=gridhead,
        case=case,
        department=Department.objects.get(code="chengguan"),
        now=t + dt.timedelta(minutes=10),
    )
    (row,) = get(f"requests/{case.number}.json")
    assert (row["status"], row["agency_responsible"]) == ("open", "City management enforcement")
    services.whistle_report_in(
        actor=dept, case=case, department=whistle.department, now=t + dt.timedelta(minutes=20)
    )
    services.whistle_resolve(
        actor=dept,
        case=case,
        department=whistle.department,
        note="已清运完毕",
        now=t + dt.timedelta(hours=2),
    )
    services.case_close(
        actor=gridhead, case=case, note="现场复核，已办结", now=t + dt.timedelta(hours=3)
    )
    (row,) = get(f"requests/{case.number}.json")
    assert (row["status"], row["status_notes"]) == ("closed", "现场复核，已办结")
    assert row["updated_datetime"] == "2026-11-23T13:00:00+08:00"


def test_rejected_and_merged_cases_say_why(
    net: Net, worker: User, gridhead: User, clock: None
) -> None:
    first = report(worker)
    duplicate = report(worker)
    out_of_scope = report(worker)
    services.case_merge(actor=gridhead, case=duplicate, into=first, now=MONDAY_10)
    services.case_reject(actor=gridhead, case=out_of_scope, reason="属于物业职责", now=MONDAY_10)
    rows = {r["service_request_id"]: r for r in get("requests.json")}
    assert rows[duplicate.number]["status"] == "closed"
    assert rows[duplicate.number]["status_notes"] == f"Merged into {first.number}."
    assert rows[out_of_scope.number]["status_notes"] == "属于物业职责"
    assert (rows[first.number]["status"], rows[first.number]["status_notes"]) == ("open", None)


def test_cases_of_other_modules_are_not_public(net: Net, clock: None) -> None:
    hidden = report(None, source="module")
    assert get("requests.json") == []
    response = Client().get(f"{BASE}requests/{hidden.number}.json")
    assert response.status_code == 404
    assert Client().get(f"{BASE}tokens/{hidden.follow_code}.json").status_code == 404


def test_an_unknown_request_is_404(net: Net) -> None:
    response = Client().get(f"{BASE}requests/20260101999999.xml", headers=EN)
    assert response.status_code == 404
    assert errors_of(response) == ["service_request_id 20260101999999 was not found."]


def test_a_follow_up_code_is_a_token_for_its_request(net: Net, worker: User) -> None:
    case = report(worker)
    body = json_of(Client().get(f"{BASE}tokens/{case.follow_code.lower()}.json"))
    assert body == [{"service_request_id": case.number, "token": case.follow_code.lower()}]
    root = xml_of(Client().get(f"{BASE}tokens/{case.follow_code}.xml"))
    assert root.findtext("request/service_request_id") == case.number
    assert Client().get(f"{BASE}tokens/NOPE2345.json").status_code == 404


def test_the_list_costs_the_same_queries_whatever_its_length(
    net: Net, worker: User, gridhead: User, clock: None, django_assert_num_queries: Any
) -> None:
    for _ in range(2):
        report(worker)
    with django_assert_num_queries(2):
        assert len(get("requests.json")) == 2
    for _ in range(6):
        case = report(worker)
        services.case_reject(actor=gridhead, case=case, reason="重复", now=MONDAY_10)
    with django_assert_num_queries(2):
        assert len(get("requests.json")) == 8
    assert Case.objects.count() == 8
