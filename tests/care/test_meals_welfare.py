"""At the door: delivered, or nobody opens and a welfare check starts for the micro-grid worker
with a 15-minute clock; cleared with a note it ends there; not cleared, the sweep starts the
emergency chain (enrolled) or opens a red case (not enrolled), once, whatever is retried."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from finegrid.accounts.models import User
from finegrid.care import services_meals
from finegrid.care.models import (
    CallRecipient,
    CallSource,
    EmergencyCall,
    MealDelivery,
    WelfareCheck,
    WelfareStatus,
)
from finegrid.cases.models import Case
from finegrid.notifications.models import Notification
from tests.care.helpers import enrol_elder
from tests.care.helpers_daily import api, person_in, staff, working_morning
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
BASE = "/api/v1/care"


@pytest.fixture
def morning():
    with time_machine.travel(working_morning(), tick=False) as traveller:
        yield traveller


@pytest.fixture
def rider(db):
    return User.objects.create_user(username="rider", password="x" * 12, display_name="丰行侠小王")


@pytest.fixture
def staffed(net, worker, gridhead, morning):
    staff(net, worker, gridhead, since=timezone.now() - dt.timedelta(days=30))


def meals_for(actor, person):
    services_meals.meal_subscriptions_create(
        actor=actor,
        specs=[
            services_meals.SubscriptionSpec(
                person=person.pk,
                days=[1, 2, 3, 4, 5, 6, 7],
                price="10",
                payer="self",
                deliverer="rider",
            )
        ],
    )


@pytest.fixture
def enrolled(net, leader, rider, staffed):
    elder = enrol_elder(net, leader)
    meals_for(leader, elder.enrolment.person)
    return elder


@pytest.fixture
def not_enrolled(net, leader, rider, staffed):
    person = person_in(leader, net.m1, name="刘奶奶")
    meals_for(leader, person)
    return person


def delivery_of(rider):
    body = client_for(rider).get(f"{BASE}/meal-rounds/today").json()
    return body["deliveries"][0]["id"]


def confirm(user, delivery, result, **extra):
    return api(
        client_for(user),
        "post",
        f"{BASE}/meal-deliveries/{delivery}/confirm",
        {"result": result, **extra},
    )


def test_a_meal_delivered_is_confirmed_once(enrolled, rider):
    d = delivery_of(rider)
    first = confirm(rider, d, "delivered")
    assert first.status_code == 200 and first.json()["status"] == "delivered"
    assert confirm(rider, d, "delivered").status_code == 200
    late = confirm(rider, d, "no_answer")
    assert late.status_code == 409 and late.json()["message_en"]
    delivery = MealDelivery.objects.get()
    assert delivery.status == "delivered" and delivery.confirmed_by == rider
    assert not WelfareCheck.objects.exists()


def test_no_answer_starts_a_welfare_check_for_the_micro_grid_worker(enrolled, rider, worker):
    d = delivery_of(rider)
    answer = confirm(rider, d, "no_answer")
    assert answer.status_code == 200, answer.content
    assert answer.json()["welfare"]["status"] == "open"
    check = WelfareCheck.objects.get()
    assert check.assigned_to == worker and check.opened_by == rider
    assert check.due_at == timezone.now() + dt.timedelta(minutes=15)
    notice = Notification.objects.get(user=worker, kind="care.welfare")
    assert "陈大爷" in notice.title and notice.link == f"/care/welfare/{check.pk}/"
    assert confirm(rider, d, "no_answer").status_code == 200  # the same tap twice: one check
    assert WelfareCheck.objects.count() == 1


def test_the_worker_clears_it_in_time_and_nothing_more_happens(enrolled, rider, worker, morning):
    confirm(rider, delivery_of(rider), "no_answer")
    check = WelfareCheck.objects.get()
    url = f"{BASE}/welfare-checks/{check.pk}/clear"
    refused = api(client_for(worker), "post", url, {"note": "  "})
    assert refused.status_code == 422 and refused.json()["field"] == "note"
    morning.shift(dt.timedelta(minutes=10))
    cleared = api(client_for(worker), "post", url, {"note": "在楼下晒太阳，已送餐"})
    assert cleared.status_code == 200 and cleared.json()["status"] == "cleared"
    morning.shift(dt.timedelta(minutes=10))
    assert services_meals.welfare_sweep() == 0
    check.refresh_from_db()
    assert (check.status, check.cleared_by, check.note) == (
        "cleared",
        worker,
        "在楼下晒太阳，已送餐",
    )
    assert not EmergencyCall.objects.exists()


def test_not_cleared_in_15_minutes_the_emergency_chain_starts(
    enrolled, rider, worker, gridhead, morning
):
    confirm(rider, delivery_of(rider), "no_answer")
    check = WelfareCheck.objects.get()
    morning.move_to(check.due_at - dt.timedelta(seconds=1))
    assert services_meals.welfare_sweep() == 0
    morning.move_to(check.due_at + dt.timedelta(seconds=1))
    assert services_meals.welfare_sweep() == 1
    call = EmergencyCall.objects.get()
    assert call.source == CallSource.MEAL and call.raised_by == rider
    assert (
        call.enrolment == enrolled.enrolment and call.idempotency_key == f"meal:welfare-{check.pk}"
    )
    assert CallRecipient.objects.filter(call=call, user=worker).exists()
    check.refresh_from_db()
    assert check.status == WelfareStatus.ESCALATED and check.call == call
    assert Notification.objects.filter(user=gridhead, kind="care.welfare").exists()
    assert services_meals.welfare_sweep() == 0
    assert EmergencyCall.objects.count() == 1
    late = api(
        client_for(worker), "post", f"{BASE}/welfare-checks/{check.pk}/clear", {"note": "好"}
    )
    assert late.status_code == 409 and str(call.pk) in late.json()["message"]


def test_not_enrolled_a_red_case_is_opened(not_enrolled, rider, morning):
    confirm(rider, delivery_of(rider), "no_answer")
    check = WelfareCheck.objects.get()
    morning.move_to(check.due_at + dt.timedelta(seconds=1))
    assert services_meals.welfare_sweep() == 1
    case = Case.objects.get()
    assert case.category.code == "special_care" and case.urgency == "critical"
    assert case.household_id == not_enrolled.household_id and "刘奶奶" in case.description
    check.refresh_from_db()
    assert check.status == WelfareStatus.ESCALATED and check.case == case
    assert not EmergencyCall.objects.exists()


def test_an_escalation_killed_half_way_is_finished_once(enrolled, rider, morning):
    confirm(rider, delivery_of(rider), "no_answer")
    check = WelfareCheck.objects.get()
    morning.move_to(check.due_at + dt.timedelta(seconds=1))
    # a sweep claimed it and raised the call, then died before recording it
    WelfareCheck.objects.filter(pk=check.pk).update(status=WelfareStatus.ESCALATING)
    services_meals.call_raise(
        enrolment=enrolled.enrolment,
        source=CallSource.MEAL,
        raised_by=rider,
        body=services_meals.welfare_call_body(check),
        idempotency_key=f"welfare-{check.pk}",
        caller="meal",
    )
    assert services_meals.welfare_sweep() == 1
    assert EmergencyCall.objects.count() == 1
    check.refresh_from_db()
    assert check.status == WelfareStatus.ESCALATED and check.call == EmergencyCall.objects.get()


def test_a_door_opened_at_the_second_knock_clears_the_check(enrolled, rider, morning):
    d = delivery_of(rider)
    confirm(rider, d, "no_answer")
    morning.shift(dt.timedelta(minutes=3))
    answer = confirm(rider, d, "delivered")
    assert answer.status_code == 200 and answer.json()["status"] == "delivered"
    assert answer.json()["welfare"]["status"] == "cleared"
    check = WelfareCheck.objects.get()
    assert check.status == WelfareStatus.CLEARED and check.cleared_by == rider
    morning.shift(dt.timedelta(minutes=20))
    assert services_meals.welfare_sweep() == 0 and not EmergencyCall.objects.exists()


def test_bad_answers_and_others_taps_are_refused_and_change_nothing(
    enrolled, rider, gridhead, neighbour
):
    d = delivery_of(rider)
    bad = confirm(rider, d, "maybe")
    assert bad.status_code == 422 and bad.json()["field"] == "result"
    assert confirm(gridhead, d, "delivered").status_code == 403
    assert confirm(neighbour, d, "delivered").status_code == 404
    assert MealDelivery.objects.get().status == "pending"


def test_yesterdays_meals_are_not_confirmed_today(enrolled, rider, morning):
    d = delivery_of(rider)
    morning.shift(dt.timedelta(days=1))
    late = confirm(rider, d, "delivered")
    assert late.status_code == 409 and MealDelivery.objects.get(pk=d).status == "pending"


def test_a_welfare_check_of_a_neighbouring_grid_is_refused(enrolled, rider, neighbour, worker):
    confirm(rider, delivery_of(rider), "no_answer")
    check = WelfareCheck.objects.get()
    assert api(client_for(neighbour), "get", f"{BASE}/welfare-checks/{check.pk}").status_code == 404
    cleared = api(
        client_for(neighbour), "post", f"{BASE}/welfare-checks/{check.pk}/clear", {"note": "好"}
    )
    assert cleared.status_code == 404
    assert api(client_for(neighbour), "get", f"{BASE}/welfare-checks").json() == []
    assert [c["id"] for c in api(client_for(worker), "get", f"{BASE}/welfare-checks").json()] == [
        check.pk
    ]
    assert WelfareCheck.objects.get().status == WelfareStatus.OPEN
