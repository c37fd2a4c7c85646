"""/api/v1/care/meal-rounds/today: a deliverer's round of the day, in walking order, made on
first asking; 300 meals load in a fixed number of queries; names masked for a rider; an official
sees only their jurisdiction's meals, a neighbouring grid's head none."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from finegrid.accounts.models import Role, RoleAssignment, User
from finegrid.care import services_meals
from finegrid.care.models import MealDelivery, MealRound
from tests.care.helpers_daily import many_people, working_morning
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
URL = "/api/v1/care/meal-rounds/today"


@pytest.fixture
def morning():
    with time_machine.travel(working_morning(), tick=False) as traveller:
        yield traveller


@pytest.fixture
def rider(db):
    return User.objects.create_user(username="rider", password="x" * 12, display_name="丰行侠小王")


def subscribe(actor, people, deliverer="rider", days=(1, 2, 3, 4, 5, 6, 7)):
    return services_meals.meal_subscriptions_create(
        actor=actor,
        specs=[
            services_meals.SubscriptionSpec(
                person=p.pk, days=list(days), price="10", payer="subsidy", deliverer=deliverer
            )
            for p in people
        ],
    )


def load(client, url=URL):
    """The round's answer and the number of queries it took, not counting the INSERTs that
    make a round's deliveries on its first load (SQLite takes 999 parameters a statement, so
    those come in batches of 62 rows; PostgreSQL makes them in one)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    reads = [q for q in queries.captured_queries if not q["sql"].startswith("INSERT OR IGNORE")]
    inserts = len(queries) - len(reads)
    assert inserts <= 1 + len(response.json()["deliveries"]) // 60
    return response.json(), len(reads) + min(inserts, 1)


def test_a_round_of_300_loads_in_a_fixed_number_of_queries(
    net, leader, rider, morning, django_assert_max_num_queries
):
    subscribe(leader, many_people(net.m1, 30))
    small_client = client_for(rider)
    small_client.get("/api/v1/care/welfare-checks")  # the session's own queries, once
    small, small_first = load(small_client)
    _, small_again = load(small_client)
    assert len(small["deliveries"]) == 30
    MealDelivery.objects.all().delete()
    MealRound.objects.all().delete()
    subscribe(leader, many_people(net.m2, 270))
    client = client_for(rider)
    client.get("/api/v1/care/welfare-checks")
    big, first = load(client)
    with django_assert_max_num_queries(small_again):
        big, again = load(client)
    assert (first, again) == (small_first, small_again)
    assert len(big["deliveries"]) == 300 and big["counts"]["pending"] == 300
    print(f"\nround of 30 or 300: {first} queries on its first load, {again} after")


def test_the_round_walks_building_by_building_unit_by_unit_floor_by_floor(
    net, leader, rider, morning
):
    subscribe(leader, many_people(net.m1, 40, buildings=4, units=2))
    body, _n = load(client_for(rider))
    walk = [(d["building"], d["unit"], d["floor"]) for d in body["deliveries"]]
    key = [(int(b.rstrip("栋")), u, f) for b, u, f in walk]
    assert key == sorted(key)
    assert walk[0][0] == "1栋" and walk[-1][0] == "4栋"
    assert [d["seq"] for d in body["deliveries"]] == list(range(1, 41))


def test_a_rider_sees_masked_names_an_official_full_ones(net, leader, rider, gridhead, morning):
    subscribe(leader, many_people(net.m1, 3))
    mine, _n = load(client_for(rider))
    assert [d["person"] for d in mine["deliveries"]] == ["独****"] * 3
    theirs, _n = load(client_for(gridhead), f"{URL}?deliverer=rider")
    assert sorted(d["person"] for d in theirs["deliveries"]) == ["独居000", "独居001", "独居002"]


def test_an_official_sees_only_the_meals_of_their_jurisdiction(net, leader, rider, morning):
    subscribe(leader, many_people(net.m1, 2) + many_people(net.m3, 3))
    head2 = User.objects.create_user(username="head2", password="x" * 12)
    RoleAssignment.objects.create(user=head2, role=Role.GRID_HEAD, grid=net.g2)
    body, _n = load(client_for(head2), f"{URL}?deliverer=rider")
    assert len(body["deliveries"]) == 3


def test_the_round_of_a_neighbouring_grid_is_refused(
    net, leader, rider, gridhead, neighbour, morning
):
    subscribe(leader, many_people(net.m3, 3))
    assert client_for(gridhead).get(f"{URL}?deliverer=rider").status_code == 404
    subscribe(leader, many_people(net.m1, 1))
    assert client_for(neighbour).get(f"{URL}?deliverer=rider").status_code == 404
    resident_view = client_for(User.objects.create_user(username="nosy", password="x" * 12))
    assert resident_view.get(f"{URL}?deliverer=rider").status_code == 404


def test_only_the_days_of_the_subscription_are_delivered(net, leader, rider, morning):
    today = timezone.localdate().isoweekday()
    other = today % 7 + 1
    people = many_people(net.m1, 2)
    subscribe(leader, people[:1], days=(today,))
    subscribe(leader, people[1:], days=(other,))
    body, _n = load(client_for(rider))
    assert len(body["deliveries"]) == 1


def test_a_subscription_added_later_joins_the_round_in_its_place(net, leader, rider, morning):
    people = many_people(net.m1, 6, buildings=3, units=1)
    subscribe(leader, people[:5])
    first, _n = load(client_for(rider))
    assert len(first["deliveries"]) == 5
    subscribe(leader, people[5:])
    second, _n = load(client_for(rider))
    assert len(second["deliveries"]) == 6 and MealRound.objects.count() == 1
    assert MealDelivery.objects.count() == 6


def test_an_ended_subscription_is_not_delivered_the_next_day(net, leader, rider, morning):
    (sub,) = subscribe(leader, many_people(net.m1, 1))
    services_meals.meal_subscription_end(actor=leader, subscription_id=sub.pk, reason="搬走")
    morning.shift(dt.timedelta(days=1))
    body, _n = load(client_for(rider))
    assert body["deliveries"] == []
