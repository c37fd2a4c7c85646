"""The pages of the meal rounds: the rider's phone page of today's round (delivered / no answer
at each door), the worker's welfare check page, and a grid's subscriptions with the form to add
one; a neighbouring grid is refused."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from finegrid.accounts.models import User
from finegrid.care import services_meals
from finegrid.care.models import MealDelivery, MealSubscription, WelfareCheck
from finegrid.care.ready_daily import register_daily
from tests.care.helpers_daily import many_people, person_in, staff, working_morning
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _registered():
    register_daily()


@pytest.fixture
def morning():
    with time_machine.travel(working_morning(), tick=False) as traveller:
        yield traveller


@pytest.fixture
def rider(db):
    return User.objects.create_user(username="rider", password="x" * 12, display_name="丰行侠小王")


@pytest.fixture
def round_of_three(net, leader, worker, gridhead, rider, morning):
    staff(net, worker, gridhead, since=timezone.now() - dt.timedelta(days=30))
    people = many_people(net.m1, 3)
    services_meals.meal_subscriptions_create(
        actor=leader,
        specs=[
            services_meals.SubscriptionSpec(
                person=p.pk, days=[1, 2, 3, 4, 5, 6, 7], price="10", payer="self", deliverer="rider"
            )
            for p in people
        ],
    )
    return people


def test_the_rider_sees_todays_round_with_a_button_for_each_door(round_of_three, rider):
    page = client_for(rider).get("/care/meals/round/")
    assert page.status_code == 200
    text = page.content.decode()
    assert text.count('value="no_answer"') == 3 and "独****" in text and "独居000" not in text


def test_a_tap_at_the_door_answers_the_card(round_of_three, rider, worker):
    client = client_for(rider)
    client.get("/care/meals/round/")
    d = MealDelivery.objects.order_by("walk_key").first()
    card = client.post(
        f"/care/meals/deliveries/{d.pk}/confirm/",
        {"result": "no_answer", "seq": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert card.status_code == 200
    assert f'id="delivery-{d.pk}"' in card.content.decode()
    check = WelfareCheck.objects.get()
    assert check.assigned_to == worker
    home = client_for(worker).get("/workforce/home/")
    assert d.person.name in home.content.decode()  # the alert, among the unread notices


def test_the_worker_clears_the_check_on_its_page(round_of_three, rider, worker):
    client_for(rider).get("/care/meals/round/")
    d = MealDelivery.objects.first()
    services_meals.meal_delivery_confirm(actor=rider, delivery_id=d.pk, result="no_answer")
    check = WelfareCheck.objects.get()
    page = client_for(worker).get(f"/care/welfare/{check.pk}/")
    assert page.status_code == 200 and "独居" in page.content.decode()
    refused = client_for(worker).post(f"/care/welfare/{check.pk}/", {"note": ""})
    assert refused.status_code == 422 and "fg-error" in refused.content.decode()
    done = client_for(worker).post(f"/care/welfare/{check.pk}/", {"note": "人在家，耳背没听见"})
    assert done.status_code == 302
    assert WelfareCheck.objects.get().status == "cleared"


def test_a_welfare_check_page_of_a_neighbouring_grid_is_refused(round_of_three, rider, neighbour):
    client_for(rider).get("/care/meals/round/")
    d = MealDelivery.objects.first()
    services_meals.meal_delivery_confirm(actor=rider, delivery_id=d.pk, result="no_answer")
    check = WelfareCheck.objects.get()
    assert client_for(neighbour).get(f"/care/welfare/{check.pk}/").status_code == 404
    assert (
        client_for(neighbour).post(f"/care/welfare/{check.pk}/", {"note": "x"}).status_code == 404
    )
    assert WelfareCheck.objects.get().status == "open"


def test_a_grid_head_adds_a_subscription_on_the_page(net, leader, gridhead, rider):
    person = person_in(leader, net.m1, name="孙大爷")
    client = client_for(gridhead)
    assert client.get("/care/meals/subscriptions/?grid=G1").status_code == 200
    refused = client.post(
        "/care/meals/subscriptions/?grid=G1",
        {"person": person.pk, "days": ["1"], "price": "abc", "payer": "self", "deliverer": "rider"},
    )
    assert refused.status_code == 422 and "error-price" in refused.content.decode()
    assert not MealSubscription.objects.exists()
    done = client.post(
        "/care/meals/subscriptions/?grid=G1",
        {
            "person": person.pk,
            "days": ["1", "3"],
            "price": "9.5",
            "payer": "family",
            "deliverer": "rider",
            "diet": "low_salt",
        },
    )
    assert done.status_code == 302
    sub = MealSubscription.objects.get()
    assert (sub.days, sub.payer, sub.diet, str(sub.price)) == ("13", "family", "low_salt", "9.50")
    assert "孙大爷" in client.get("/care/meals/subscriptions/?grid=G1").content.decode()


def test_the_subscriptions_page_of_a_neighbouring_grid_is_refused(net, gridhead, neighbour):
    assert client_for(gridhead).get("/care/meals/subscriptions/?grid=G2").status_code == 404
    assert client_for(neighbour).get("/care/meals/subscriptions/?grid=M1").status_code == 404
