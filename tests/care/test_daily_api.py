"""/api/v1/care contact plans, contacts and the quiet list: who may read and set them, bad input
refused whole and naming its rows, a neighbouring grid refused, and the database after each."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from finegrid.care import services_daily
from finegrid.care.models import CareContact, ContactPlan, ContactWatch
from finegrid.registry.models import CareKind
from finegrid.registry.services import care_tag_add
from finegrid.workforce.models import HouseholdVisit
from tests.care.helpers_daily import api, person_in, staff, working_morning
from tests.conftest import client_for
from tests.workforce.helpers_patrols import make_worker

pytestmark = pytest.mark.django_db
BASE = "/api/v1/care"


@pytest.fixture
def morning():
    with time_machine.travel(working_morning(), tick=False) as traveller:
        yield traveller


@pytest.fixture
def elder(net, leader, worker, gridhead, morning):
    staff(net, worker, gridhead, since=timezone.now() - dt.timedelta(days=30))
    person = person_in(leader, net.m1)
    services_daily.watches_sync()
    return person


# --- plans -----------------------------------------------------------------------------------


def test_the_grid_head_reads_the_plans_of_their_community(gridhead):
    body = api(client_for(gridhead), "get", f"{BASE}/contact-plans").json()
    assert [c["community"]["code"] for c in body] == ["C1"]
    plans = {p["tag_kind"]: p for p in body[0]["plans"]}
    assert plans["living_alone"]["every_days"] == 1 and plans["living_alone"]["default"]
    assert plans["aged_80"]["every_days"] == 7 and plans["aged_80"]["visit_only"]
    assert plans["disabled"]["every_days"] == 30


def test_an_official_sets_a_plan_and_the_watches_follow(official, elder):
    before = ContactWatch.objects.get(person=elder).due_at
    rows = [{"tag_kind": "living_alone", "every_days": 2, "escalate_hours": 6}]
    response = api(client_for(official), "put", f"{BASE}/contact-plans/C1", {"plans": rows})
    assert response.status_code == 200, response.content
    plans = {p["tag_kind"]: p for p in response.json()["plans"]}
    assert plans["living_alone"]["every_days"] == 2 and not plans["living_alone"]["default"]
    assert plans["disabled"]["default"]  # not named: the default still
    row = ContactPlan.objects.get(community__code="C1")
    assert (row.tag_kind, row.every_days, row.escalate_hours) == ("living_alone", 2, 6)
    watch = ContactWatch.objects.get(person=elder)
    assert watch.every_days == 2 and watch.due_at == before + dt.timedelta(days=1)


def test_bad_plans_are_refused_whole_naming_each_row(official, elder):
    ok = [{"tag_kind": "living_alone", "every_days": 3, "escalate_hours": 4}]
    assert (
        api(client_for(official), "put", f"{BASE}/contact-plans/C1", {"plans": ok}).status_code
        == 200
    )
    bad = [
        {"tag_kind": "living_alone", "every_days": 1, "escalate_hours": 4},
        {"tag_kind": "pets", "every_days": 0, "escalate_hours": 4},
        {"tag_kind": "disabled", "every_days": 30, "escalate_hours": 999},
    ]
    response = api(client_for(official), "put", f"{BASE}/contact-plans/C1", {"plans": bad})
    assert response.status_code == 422
    errors = {(e["row"], e["field"]) for e in response.json()["errors"]}
    assert errors == {(2, "tag_kind"), (2, "every_days"), (3, "escalate_hours")}
    assert all(e["message"] and e["message_en"] for e in response.json()["errors"])
    assert list(ContactPlan.objects.values_list("tag_kind", "every_days")) == [("living_alone", 3)]
    assert ContactWatch.objects.get(person=elder).every_days == 3


def test_a_grid_head_may_not_set_the_plans(gridhead):
    rows = [{"tag_kind": "living_alone", "every_days": 2, "escalate_hours": 6}]
    response = api(client_for(gridhead), "put", f"{BASE}/contact-plans/C1", {"plans": rows})
    assert response.status_code == 403
    assert not ContactPlan.objects.exists()


def test_the_neighbouring_community_is_refused(official):
    rows = [{"tag_kind": "living_alone", "every_days": 2, "escalate_hours": 6}]
    response = api(client_for(official), "put", f"{BASE}/contact-plans/C2", {"plans": rows})
    assert response.status_code == 404
    assert api(client_for(official), "get", f"{BASE}/contact-plans?community=C2").status_code == 404
    assert not ContactPlan.objects.exists()


def test_switching_a_kind_off_ends_its_watches(official, elder):
    rows = [{"tag_kind": "living_alone", "every_days": 1, "escalate_hours": 4, "active": False}]
    assert (
        api(client_for(official), "put", f"{BASE}/contact-plans/C1", {"plans": rows}).status_code
        == 200
    )
    assert not ContactWatch.objects.filter(person=elder).exists()


# --- contacts --------------------------------------------------------------------------------


def test_a_worker_logs_a_call_once_however_often_it_is_sent(elder, worker, morning):
    morning.shift(dt.timedelta(days=1))
    body = {"person": elder.pk, "kind": "phone", "note": "身体还好"}
    first = api(client_for(worker), "post", f"{BASE}/contacts", body, HTTP_IDEMPOTENCY_KEY="c1")
    assert first.status_code == 201, first.content
    assert first.json()["kind"] == "phone" and first.json()["reached"] is True
    assert first.json()["watches"][0]["tag_kind"] == "living_alone"
    again = api(client_for(worker), "post", f"{BASE}/contacts", body, HTTP_IDEMPOTENCY_KEY="c1")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    contact = CareContact.objects.get()
    assert contact.recorded_by == worker and contact.note == "身体还好"
    watch = ContactWatch.objects.get(person=elder)
    assert watch.last_contact_at == timezone.now() and watch.last_contact_kind == "phone"


def test_a_visit_by_a_serving_worker_is_the_workforces_household_visit(net, elder, worker):
    make_worker(worker, net.m1)
    body = {"person": elder.pk, "kind": "visit"}
    response = api(client_for(worker), "post", f"{BASE}/contacts", body)
    assert response.status_code == 201, response.content
    visit = HouseholdVisit.objects.get()
    assert visit.household_id == elder.household_id and visit.outcome == "met"
    assert response.json()["visit"] == visit.pk == CareContact.objects.get().visit_id


def test_a_visit_by_an_official_is_a_care_contact_only(elder, gridhead):
    response = api(
        client_for(gridhead), "post", f"{BASE}/contacts", {"person": elder.pk, "kind": "visit"}
    )
    assert response.status_code == 201 and response.json()["visit"] is None
    assert not HouseholdVisit.objects.exists()


def test_bad_contacts_are_refused_naming_the_field_and_change_nothing(elder, worker):
    ahead = (timezone.now() + dt.timedelta(hours=2)).isoformat()
    body = {"person": elder.pk, "kind": "fax", "at": ahead}
    response = api(client_for(worker), "post", f"{BASE}/contacts", body)
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"kind", "at"}
    old = (timezone.now() - dt.timedelta(days=8)).isoformat()
    body = {"person": elder.pk, "kind": "phone", "at": old}
    response = api(client_for(worker), "post", f"{BASE}/contacts", body)
    assert response.status_code == 422 and response.json()["field"] == "at"
    assert not CareContact.objects.exists()
    assert ContactWatch.objects.get(person=elder).last_contact_at is None


def test_a_worker_of_the_neighbouring_micro_grid_is_refused(elder, neighbour):
    body = {"person": elder.pk, "kind": "phone"}
    response = api(client_for(neighbour), "post", f"{BASE}/contacts", body)
    assert response.status_code == 404 and response.json()["field"] == "person"
    assert (
        api(client_for(neighbour), "get", f"{BASE}/contacts?person={elder.pk}").status_code == 404
    )
    assert not CareContact.objects.exists()


def test_a_persons_contacts_are_listed_newest_first(elder, worker, morning):
    services_daily.contact_record(actor=worker, person_id=elder.pk, kind="phone")
    morning.shift(dt.timedelta(hours=1))
    services_daily.contact_record(actor=worker, person_id=elder.pk, kind="message")
    body = api(client_for(worker), "get", f"{BASE}/contacts?person={elder.pk}").json()
    assert [c["kind"] for c in body] == ["message", "phone"]


# --- the quiet list --------------------------------------------------------------------------


def overdue(morning, person):
    latest = ContactWatch.objects.filter(person=person).order_by("-due_at").first()
    morning.move_to(latest.due_at + dt.timedelta(hours=1))


def test_the_grid_head_sees_who_has_gone_quiet(elder, gridhead, morning):
    assert api(client_for(gridhead), "get", f"{BASE}/quiet").json() == []
    overdue(morning, elder)
    services_daily.contacts_sweep()
    rows = api(client_for(gridhead), "get", f"{BASE}/quiet?grid=G1").json()
    assert len(rows) == 1
    row = rows[0]
    assert row["person"] == {"id": elder.pk, "name": "陈大爷"}
    assert row["phone"] == "139****1111" and row["tag_kind"] == "living_alone"
    assert row["stage"] == "worker" and row["overdue_hours"] == 1
    assert row["micro_grid"]["code"] == "M1" and row["last_contact_at"] is None


def test_a_contact_takes_a_person_off_the_list(elder, gridhead, worker, morning):
    overdue(morning, elder)
    services_daily.contact_record(actor=worker, person_id=elder.pk, kind="phone")
    assert api(client_for(gridhead), "get", f"{BASE}/quiet?grid=G1").json() == []


def test_a_visit_not_yet_swept_takes_a_person_off_the_list(net, elder, gridhead, worker, morning):
    from finegrid.workforce.services_patrols import household_visit_record

    make_worker(worker, net.m1)
    overdue(morning, elder)
    household_visit_record(actor=worker, household_id=elder.household_id, outcome="met")
    assert api(client_for(gridhead), "get", f"{BASE}/quiet?grid=G1").json() == []


def test_the_quiet_list_of_a_neighbouring_grid_is_refused(
    net, leader, elder, gridhead, neighbour, morning
):
    other = person_in(leader, net.m3, name="赵大爷")
    services_daily.watches_sync()
    overdue(morning, other)
    assert api(client_for(gridhead), "get", f"{BASE}/quiet?grid=G2").status_code == 404
    assert api(client_for(gridhead), "get", f"{BASE}/quiet?grid=M3").status_code == 404
    mine = api(client_for(gridhead), "get", f"{BASE}/quiet").json()
    assert [r["person"]["name"] for r in mine] == ["陈大爷"]
    assert api(client_for(neighbour), "get", f"{BASE}/quiet?grid=M1").status_code == 404
    assert api(client_for(neighbour), "get", f"{BASE}/quiet").json() == []


def test_a_kind_the_role_does_not_see_is_not_listed(
    official, leader, worker, gridhead, elder, morning
):
    rows = [{"tag_kind": "low_income", "every_days": 1, "escalate_hours": 4}]
    assert (
        api(client_for(official), "put", f"{BASE}/contact-plans/C1", {"plans": rows}).status_code
        == 200
    )
    care_tag_add(actor=leader, person=elder, kind=CareKind.LOW_INCOME)
    services_daily.watches_sync()
    assert ContactWatch.objects.filter(person=elder).count() == 2
    overdue(morning, elder)
    seen_by_head = {r["tag_kind"] for r in api(client_for(gridhead), "get", f"{BASE}/quiet").json()}
    assert seen_by_head == {"living_alone", "low_income"}
    seen_by_worker = {r["tag_kind"] for r in api(client_for(worker), "get", f"{BASE}/quiet").json()}
    assert seen_by_worker == {"living_alone"}


def test_the_quiet_list_reads_the_same_queries_for_two_people_or_twelve(
    net, leader, gridhead, morning
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        client = client_for(gridhead)
        client.get(f"{BASE}/contact-plans")  # the session's own queries, once
        with CaptureQueriesContext(connection) as queries:
            rows = api(client, "get", f"{BASE}/quiet?grid=G1").json()
        return len(rows), len(queries)

    for i in range(2):
        person_in(leader, net.m1, name=f"独居{i}号")
    services_daily.watches_sync()
    overdue(morning, ContactWatch.objects.first().person)
    two = count()
    for i in range(2, 12):
        person_in(leader, net.m1 if i % 2 else net.m2, name=f"独居{i}号")
    services_daily.watches_sync()
    overdue(morning, ContactWatch.objects.order_by("-due_at").first().person)
    twelve = count()
    assert (two[0], twelve[0]) == (2, 12)
    assert twelve[1] == two[1] <= 7, twelve
    print(f"\nquiet list: {twelve[1]} queries")
