"""POST /api/v1/cases: a report from the phone, its Idempotency-Key, and the duplicates offered."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from finegrid.accounts.models import User
from finegrid.cases.models import Case, CaseEvent, Source, Status
from finegrid.notifications.models import Notification
from tests.cases.helpers import report, staff_net
from tests.conftest import Net, client_for

URL = "/api/v1/cases"
BODY = {"category": "sanitation", "description": "楼道堆放杂物", "lat": 30.01, "lng": 104.005}


def post(client: Client, body: dict[str, Any], key: str | None = None) -> Any:
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(URL, body, content_type="application/json", headers=headers)


def test_a_worker_reports_a_case_and_it_lands_in_the_micro_grid(
    net: Net, worker: User, gridhead: User
) -> None:
    staff_net(net, worker, gridhead)
    r = post(client_for(worker), {**BODY, "urgency": "urgent", "address": "锦丰新城3栋"})
    assert r.status_code == 201
    body = r.json()
    case = Case.objects.get()
    assert body["id"] == case.pk and body["number"] == case.number
    assert body["follow_code"] == case.follow_code
    assert body["category"] == {
        "code": "sanitation",
        "name": "环境卫生",
        "name_en": "Sanitation",
        "label": "环境卫生",
    }
    assert (body["micro_grid"]["code"], body["handling_grid"]["code"]) == ("M1", "G1")
    assert (body["status"], body["source"], body["urgency"]) == ("reported", "patrol", "urgent")
    assert body["reported_at"].endswith("+08:00") and body["duplicates"] == []
    assert (case.status, case.reporter, case.address) == (Status.REPORTED, worker, "锦丰新城3栋")
    assert CaseEvent.objects.filter(case=case, action="report").count() == 1
    assert set(Notification.objects.values_list("user__username", flat=True)) == {
        "worker",
        "gridhead",
    }


def test_a_resident_reports_as_a_resident_and_is_offered_no_one_elses_cases(
    net: Net, resident: User, worker: User
) -> None:
    report(worker)  # an open case right there, which the resident may not read
    r = post(client_for(resident), BODY)
    assert r.status_code == 201
    assert r.json()["source"] == "resident" and r.json()["duplicates"] == []
    assert Case.objects.filter(reporter=resident, source=Source.RESIDENT).count() == 1


def test_without_a_key_every_post_makes_a_case(net: Net, worker: User) -> None:
    c = client_for(worker)
    assert post(c, BODY).status_code == 201
    assert post(c, BODY).status_code == 201
    assert Case.objects.count() == 2


def test_a_replay_with_the_same_key_and_body_answers_the_first_case(net: Net, worker: User) -> None:
    c = client_for(worker)
    first = post(c, BODY, key="phone-1:report-7")
    again = post(c, BODY, key="phone-1:report-7")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert Case.objects.count() == 1 and CaseEvent.objects.count() == 1


def test_the_same_key_with_another_body_is_refused_naming_the_header(
    net: Net, worker: User
) -> None:
    c = client_for(worker)
    post(c, BODY, key="k-1")
    r = post(c, {**BODY, "description": "另一件事"}, key="k-1")
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "idempotency_key_reused" and body["field"] == "Idempotency-Key"
    assert body["message"] and body["message_en"]
    assert Case.objects.count() == 1 and CaseEvent.objects.count() == 1


def test_keys_belong_to_their_caller(net: Net, worker: User, gridhead: User) -> None:
    post(client_for(worker), BODY, key="k-1")
    r = post(client_for(gridhead), {**BODY, "description": "另一件事"}, key="k-1")
    assert r.status_code == 201
    assert Case.objects.count() == 2


def test_a_key_longer_than_100_characters_is_refused(net: Net, worker: User) -> None:
    r = post(client_for(worker), BODY, key="k" * 101)
    assert r.status_code == 422 and r.json()["field"] == "Idempotency-Key"
    assert Case.objects.count() == 0


def test_the_answer_offers_an_open_case_nearby_for_merging(
    net: Net, worker: User, gridhead: User
) -> None:
    earlier = report(worker, lat=30.0101, lng=104.0051)
    report(worker, category="gas", lat=30.0101, lng=104.0051)  # another category
    report(worker, lat=30.019, lng=104.009)  # a kilometre away
    r = post(client_for(gridhead), BODY, key="k-dup")
    dupes = r.json()["duplicates"]
    assert [(d["id"], d["number"]) for d in dupes] == [(earlier.pk, earlier.number)]
    assert 10 < dupes[0]["distance"] < 20 and dupes[0]["description"] == "楼道堆放杂物"
    # a replay answers the same list even though a newer case now stands nearby
    report(worker, lat=30.0101, lng=104.0051)
    assert post(client_for(gridhead), BODY, key="k-dup").json()["duplicates"] == dupes


def test_a_case_can_be_placed_by_household(net: Net, worker: User, leader: User) -> None:
    from finegrid.grids.services import household_create

    home = household_create(address="锦丰新城C区5栋", lat=30.005, lng=104.015)
    body = {"category": "dispute", "description": "邻里噪音", "household_id": home.pk}
    r = post(client_for(leader), body)
    assert r.status_code == 201
    assert r.json()["micro_grid"]["code"] == "M2" and r.json()["address"] == "锦丰新城C区5栋"
    assert Case.objects.get().household == home


BAD = [
    ({"lat": 31.5}, "lat"),  # outside every grid
    ({"lat": None, "lng": None}, "lat"),  # no location at all
    ({"category": "nonsense"}, "category"),
    ({"description": " "}, "description"),
    ({"urgency": "yesterday"}, "urgency"),
    ({"source": "pigeon"}, "source"),
    ({"reporter_phone": "12345"}, "reporter_phone"),
    ({"household_id": 999999, "lat": None, "lng": None}, "household_id"),
    ({"photos": ["202611-" + "0" * 32]}, "photos.0"),  # never uploaded
    ({"photos": ["../../etc/passwd"]}, "photos.0"),
    ({"lat": "north"}, "lat"),
]


@pytest.mark.parametrize(("changes", "field"), BAD)
def test_a_bad_report_names_the_field_in_both_languages_and_writes_nothing(
    net: Net, worker: User, changes: dict[str, Any], field: str
) -> None:
    r = post(client_for(worker), {**BODY, **changes}, key="k-bad")
    assert r.status_code == 422, r.content
    body = r.json()
    assert field in {e.get("field") for e in body["errors"]}
    assert body["message"] and body["message_en"]
    assert Case.objects.count() == 0 and CaseEvent.objects.count() == 0
    assert Notification.objects.count() == 0


def test_the_outside_location_error_reads_in_chinese_and_english(net: Net, worker: User) -> None:
    body = post(client_for(worker), {**BODY, "lat": 31.5}).json()
    assert body["message_en"] == "The location lies outside every grid."
    assert body["message"] != body["message_en"]


def test_a_missing_category_is_named(net: Net, worker: User) -> None:
    body = {k: v for k, v in BODY.items() if k != "category"}
    r = post(client_for(worker), body)
    assert r.status_code == 422 and r.json()["field"] == "category"
    assert Case.objects.count() == 0


def test_an_anonymous_caller_is_refused(net: Net) -> None:
    r = post(client_for(None), BODY)
    assert r.status_code == 401 and r.json()["message_en"]
    assert Case.objects.count() == 0
