"""/api/v1/care/meal-subscriptions: a person subscribed to meals (days, diet, price, who pays,
deliverer), several at once all or none, changes and ending; a neighbouring grid refused."""

from __future__ import annotations

import pytest

from finegrid.accounts.models import User
from finegrid.care.models import MealSubscription
from tests.care.helpers_daily import api, person_in
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
URL = "/api/v1/care/meal-subscriptions"


@pytest.fixture
def rider(db):
    return User.objects.create_user(username="rider", password="x" * 12, display_name="丰行侠小王")


@pytest.fixture
def elder(net, leader):
    return person_in(leader, net.m1)


def spec(person, **extra):
    return {
        "person": person.pk,
        "days": [1, 3, 5],
        "diet": "soft",
        "price": "12.50",
        "payer": "subsidy",
        "deliverer": "rider",
        **extra,
    }


def test_a_grid_head_subscribes_a_person_to_meals(elder, gridhead, rider):
    response = api(client_for(gridhead), "post", URL, spec(elder))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["days"] == [1, 3, 5] and body["diet"] == "soft" and body["price"] == "12.50"
    assert body["payer"] == "subsidy" and body["deliverer"]["username"] == "rider"
    assert body["person"]["name"] == "陈大爷"
    sub = MealSubscription.objects.get()
    assert (sub.days, sub.deliverer, sub.created_by, sub.community.code) == (
        "135",
        rider,
        gridhead,
        "C1",
    )
    listed = api(client_for(gridhead), "get", f"{URL}?grid=M1").json()
    assert [s["id"] for s in listed] == [sub.pk]


def test_bad_fields_are_named_and_nothing_is_written(elder, gridhead, rider):
    bad = spec(elder, days=[0, 8], price="-3", payer="bank", diet="cake", deliverer="nobody")
    response = api(client_for(gridhead), "post", URL, bad)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"days", "price", "payer", "diet", "deliverer"}
    assert all(e["message"] and e["message_en"] for e in response.json()["errors"])
    assert not MealSubscription.objects.exists()


def test_several_at_once_are_all_or_none_naming_the_bad_rows(net, leader, gridhead, rider):
    a = person_in(leader, net.m1, name="甲大爷")
    b = person_in(leader, net.m2, name="乙奶奶")
    rows = [spec(a), spec(b, price="12.345"), spec(a)]
    response = api(client_for(gridhead), "post", f"{URL}/bulk", {"subscriptions": rows})
    assert response.status_code == 422
    errors = {(e["row"], e["field"]) for e in response.json()["errors"]}
    assert errors == {(2, "price"), (3, "person")}
    assert not MealSubscription.objects.exists()
    good = api(client_for(gridhead), "post", f"{URL}/bulk", {"subscriptions": rows[:1] + [spec(b)]})
    assert good.status_code == 201 and len(good.json()) == 2
    assert MealSubscription.objects.count() == 2


def test_a_person_has_one_open_subscription(elder, gridhead, rider):
    assert api(client_for(gridhead), "post", URL, spec(elder)).status_code == 201
    again = api(client_for(gridhead), "post", URL, spec(elder))
    assert again.status_code == 422 and again.json()["field"] == "person"
    assert MealSubscription.objects.count() == 1


def test_a_subscription_is_changed_and_ended(elder, gridhead, rider):
    sub = api(client_for(gridhead), "post", URL, spec(elder)).json()
    changed = api(client_for(gridhead), "patch", f"{URL}/{sub['id']}", {"days": [7], "price": 8})
    assert changed.status_code == 200 and changed.json()["days"] == [7]
    assert changed.json()["price"] == "8.00"
    refused = api(client_for(gridhead), "post", f"{URL}/{sub['id']}/end", {"reason": " "})
    assert refused.status_code == 422 and refused.json()["field"] == "reason"
    ended = api(client_for(gridhead), "post", f"{URL}/{sub['id']}/end", {"reason": "住院"})
    assert ended.status_code == 200 and ended.json()["ended_at"]
    assert MealSubscription.objects.get().end_reason == "住院"
    assert api(client_for(gridhead), "get", URL).json() == []


def test_the_neighbouring_grid_is_refused(net, leader, elder, gridhead, neighbour, rider):
    other = person_in(leader, net.m3, name="赵大爷")
    response = api(client_for(gridhead), "post", URL, spec(other))
    assert response.status_code == 422 and response.json()["field"] == "person"
    assert not MealSubscription.objects.exists()
    sub = api(client_for(gridhead), "post", URL, spec(elder)).json()
    assert api(client_for(neighbour), "get", URL).json() == []
    assert api(client_for(neighbour), "get", f"{URL}?grid=M1").status_code == 404
    patched = api(client_for(neighbour), "patch", f"{URL}/{sub['id']}", {"days": [2]})
    assert patched.status_code == 404
    assert MealSubscription.objects.get().days == "135"


def test_a_micro_grid_worker_may_not_subscribe(elder, worker, rider):
    response = api(client_for(worker), "post", URL, spec(elder))
    assert response.status_code == 403 and response.json()["message_en"]
    assert not MealSubscription.objects.exists()
