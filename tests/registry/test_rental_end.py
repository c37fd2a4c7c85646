"""Ending a rental when the tenants leave (``rental_end``): service, page (full and htmx) and
API; the date checked against today and the lease start; ending twice refused with 409;
jurisdiction; lists that show current rentals unless asked for all."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from finegrid.core.errors import Forbidden, InvalidInput, NotFound
from finegrid.core.models import AuditAction, AuditEvent
from finegrid.registry import services
from finegrid.registry.models import Rental
from tests.conftest import Net, client_for, sent_home
from tests.registry.helpers import home_in, make_id, register

HTMX = {"HTTP_HX_REQUEST": "true"}
START = dt.date(2025, 1, 1)
LEFT = dt.date(2025, 6, 30)


@pytest.fixture
def rental(net: Net, leader: Any) -> Rental:
    home = home_in(net.m1, "锦丰新城3栋1单元301")
    tenant = register(leader, home, "租客甲", relation="tenant")
    return services.rental_create(actor=leader, household=home, tenants=[tenant], lease_start=START)


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        return str(translation.gettext(message))


def ends() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(target_type="rental", action=AuditAction.UPDATE))


def post_json(c: Client, url: str, body: dict[str, Any]) -> Any:
    return c.post(url, json.dumps(body), content_type="application/json")


def page_url(rental: Rental) -> str:
    return f"/registry/rentals/{rental.pk}/end/"


def api_url(rental: Rental) -> str:
    return f"/api/v1/registry/rentals/{rental.pk}/end"


# --- service --------------------------------------------------------------------------------


def test_today_is_chengdus_today_even_before_8_am(worker: Any, rental: Rental) -> None:
    """07:30 in Chengdu is still yesterday in UTC: the date the worker sees is not "future"."""
    with time_machine.travel(dt.datetime(2026, 11, 22, 23, 30, tzinfo=dt.UTC), tick=False):
        services.rental_end(actor=worker, rental=rental, ended_on=dt.date(2026, 11, 23))
    assert Rental.objects.get(pk=rental.pk).ended_on == dt.date(2026, 11, 23)


def test_the_service_ends_a_rental_and_records_who_did(worker: Any, rental: Rental) -> None:
    services.rental_end(actor=worker, rental=rental, ended_on=LEFT)
    rental.refresh_from_db()
    assert rental.ended_on == LEFT and rental.lease_start == START and rental.lease_end is None
    (event,) = ends()
    assert event.actor == worker and event.target_id == str(rental.pk)
    assert event.fields == ["ended_on"] and event.grid_path == rental.grid_path


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ("tomorrow", "The date is in the future."),
        ("before the lease", "The date is before the lease start."),
    ],
)
def test_the_service_refuses_a_bad_date_naming_ended_on(
    worker: Any, rental: Rental, when: str, message: str
) -> None:
    day = dt.timedelta(days=1)
    ended_on = dt.date.today() + day if when == "tomorrow" else START - day
    with pytest.raises(InvalidInput) as exc:
        services.rental_end(actor=worker, rental=rental, ended_on=ended_on)
    assert exc.value.status == 422 and exc.value.field == "ended_on"
    assert str(exc.value.message) == zh(message)
    rental.refresh_from_db()
    assert rental.ended_on is None and not ends()


def test_the_service_refuses_to_end_a_rental_twice(worker: Any, rental: Rental) -> None:
    services.rental_end(actor=worker, rental=rental, ended_on=LEFT)
    stale = Rental.objects.get(pk=rental.pk)
    stale.ended_on = None  # as another worker's page still shows it
    with pytest.raises(InvalidInput) as exc:
        services.rental_end(actor=worker, rental=stale, ended_on=dt.date(2025, 7, 1))
    assert exc.value.status == 409 and exc.value.field == "ended_on"
    rental.refresh_from_db()
    assert rental.ended_on == LEFT and len(ends()) == 1


def test_the_service_refuses_the_neighbour_and_those_without_registry_duties(
    neighbour: Any, dept: Any, resident: Any, rental: Rental
) -> None:
    with pytest.raises(NotFound):
        services.rental_end(actor=neighbour, rental=rental, ended_on=LEFT)
    for outsider in (dept, resident):
        with pytest.raises(Forbidden):
            services.rental_end(actor=outsider, rental=rental, ended_on=LEFT)
    rental.refresh_from_db()
    assert rental.ended_on is None and not ends()


# --- page -----------------------------------------------------------------------------------


def test_the_full_page_offers_the_form_with_today_as_default(worker: Any, rental: Rental) -> None:
    response = client_for(worker).get(page_url(rental))
    body = response.content.decode()
    assert response.status_code == 200 and "<html" in body
    assert 'name="ended_on"' in body and dt.date.today().isoformat() in body


def test_htmx_gets_only_the_form(worker: Any, rental: Rental) -> None:
    response = client_for(worker).get(page_url(rental), **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert f'id="rental-end-{rental.pk}"' in body


def test_the_page_ends_the_rental_and_goes_back(worker: Any, rental: Rental) -> None:
    back = f"/registry/households/{rental.household_id}/"
    response = client_for(worker).post(page_url(rental), {"ended_on": "2025-06-30", "next": back})
    assert response.status_code == 302 and response["Location"] == back
    rental.refresh_from_db()
    assert rental.ended_on == LEFT
    (event,) = ends()
    assert event.actor == worker


def test_htmx_is_sent_on_to_the_list_after_ending(worker: Any, rental: Rental) -> None:
    response = client_for(worker).post(page_url(rental), {"ended_on": "2025-06-30"}, **HTMX)
    assert response.status_code == 200 and response["HX-Redirect"] == "/registry/rentals/"
    rental.refresh_from_db()
    assert rental.ended_on == LEFT and len(ends()) == 1


def test_the_page_refuses_a_link_back_to_another_site(worker: Any, rental: Rental) -> None:
    response = client_for(worker).post(
        page_url(rental), {"ended_on": "2025-06-30", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/registry/rentals/"


def test_the_page_shows_a_date_before_the_lease_beside_the_field(
    worker: Any, rental: Rental
) -> None:
    response = client_for(worker).post(page_url(rental), {"ended_on": "2024-12-31"}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 422
    assert 'data-field="ended_on"' in body and zh("The date is before the lease start.") in body
    rental.refresh_from_db()
    assert rental.ended_on is None and not ends()


def test_the_page_refuses_an_empty_date(worker: Any, rental: Rental) -> None:
    response = client_for(worker).post(page_url(rental), {"ended_on": ""})
    assert response.status_code == 422 and 'fg-field--error" data-field="ended_on"' in (
        response.content.decode()
    )
    rental.refresh_from_db()
    assert rental.ended_on is None and not ends()


def test_the_page_refuses_to_end_twice_with_409(worker: Any, rental: Rental) -> None:
    services.rental_end(actor=worker, rental=rental, ended_on=LEFT)
    response = client_for(worker).post(page_url(rental), {"ended_on": "2025-07-01"}, **HTMX)
    assert response.status_code == 409
    assert zh("The rental has already ended.") in response.content.decode()
    rental.refresh_from_db()
    assert rental.ended_on == LEFT and len(ends()) == 1


def test_the_page_answers_404_to_the_neighbour(neighbour: Any, rental: Rental) -> None:
    c = client_for(neighbour)
    assert c.get(page_url(rental)).status_code == 404
    assert c.post(page_url(rental), {"ended_on": "2025-06-30"}).status_code == 404
    rental.refresh_from_db()
    assert rental.ended_on is None and not ends()


def test_the_page_refuses_a_department_and_a_resident(
    dept: Any, resident: Any, rental: Rental
) -> None:
    response = client_for(dept).post(page_url(rental), {"ended_on": "2025-06-30"})
    assert response.status_code == 403
    response = client_for(resident).post(page_url(rental), {"ended_on": "2025-06-30"})
    assert sent_home(response)
    rental.refresh_from_db()
    assert rental.ended_on is None and not ends()


# --- lists ----------------------------------------------------------------------------------


def test_the_list_hides_ended_rentals_unless_asked(worker: Any, leader: Any, net: Net) -> None:
    gone = services.rental_create(actor=leader, household=home_in(net.m1, "已退租1号"))
    services.rental_create(actor=leader, household=home_in(net.m1, "在租2号"))
    services.rental_end(actor=leader, rental=gone, ended_on=LEFT)
    c = client_for(worker)
    current = c.get("/registry/rentals/").content.decode()
    assert "在租2号" in current and "已退租1号" not in current
    assert 'id="show-all"' in current and page_url(gone) not in current
    everything = c.get("/registry/rentals/?show=all").content.decode()
    assert "在租2号" in everything and "已退租1号" in everything and "2025-06-30" in everything
    assert 'id="show-current"' in everything


def test_the_household_page_offers_to_end_and_then_shows_the_end(
    worker: Any, rental: Rental
) -> None:
    c = client_for(worker)
    household = f"/registry/households/{rental.household_id}/"
    assert page_url(rental) in c.get(household).content.decode()
    services.rental_end(actor=worker, rental=rental, ended_on=LEFT)
    body = c.get(household).content.decode()
    assert page_url(rental) not in body and "2025-06-30" in body


def test_the_list_uses_a_constant_number_of_queries(leader: Any, net: Net) -> None:
    c = client_for(leader)
    services.rental_create(actor=leader, household=home_in(net.m1))
    c.get("/registry/rentals/")
    with CaptureQueriesContext(connection) as small:
        c.get("/registry/rentals/?show=all")
    for i in range(6):
        home = home_in(net.m1, f"出租{i}号")
        tenant = register(leader, home, f"租{i}", id_number=make_id(seq=f"{i:03d}"))
        made = services.rental_create(
            actor=leader, household=home, landlord=tenant, tenants=[tenant]
        )
        if i % 2:
            services.rental_end(actor=leader, rental=made, ended_on=LEFT)
    with CaptureQueriesContext(connection) as large:
        c.get("/registry/rentals/?show=all")
    assert len(large) == len(small)


# --- API ------------------------------------------------------------------------------------


def test_the_api_ends_a_rental(worker: Any, rental: Rental) -> None:
    r = post_json(client_for(worker), api_url(rental), {"ended_on": "2025-06-30"})
    assert r.status_code == 200, r.content
    assert r.json()["ended_on"] == "2025-06-30" and r.json()["id"] == rental.pk
    rental.refresh_from_db()
    assert rental.ended_on == LEFT
    (event,) = ends()
    assert event.actor == worker and event.fields == ["ended_on"]


def test_the_api_takes_today_when_no_date_is_given(worker: Any, rental: Rental) -> None:
    r = post_json(client_for(worker), api_url(rental), {})
    assert r.status_code == 200 and r.json()["ended_on"] == dt.date.today().isoformat()


def test_the_api_names_ended_on_for_a_future_date(worker: Any, rental: Rental) -> None:
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    r = post_json(client_for(worker), api_url(rental), {"ended_on": tomorrow})
    assert r.status_code == 422 and r.json()["field"] == "ended_on"
    rental.refresh_from_db()
    assert rental.ended_on is None and not ends()


def test_the_api_answers_409_to_ending_twice(worker: Any, rental: Rental) -> None:
    c = client_for(worker)
    assert post_json(c, api_url(rental), {"ended_on": "2025-06-30"}).status_code == 200
    r = post_json(c, api_url(rental), {"ended_on": "2025-07-01"})
    assert r.status_code == 409 and r.json()["field"] == "ended_on"
    rental.refresh_from_db()
    assert rental.ended_on == LEFT and len(ends()) == 1


def test_the_api_answers_404_to_the_neighbour_and_403_to_outsiders(
    neighbour: Any, dept: Any, resident: Any, rental: Rental
) -> None:
    assert post_json(client_for(neighbour), api_url(rental), {}).status_code == 404
    for outsider in (dept, resident):
        assert post_json(client_for(outsider), api_url(rental), {}).status_code == 403
    rental.refresh_from_db()
    assert rental.ended_on is None and not ends()


def test_the_api_list_filters_current_rentals_on_request(
    worker: Any, rental: Rental, leader: Any, net: Net
) -> None:
    other = services.rental_create(actor=leader, household=home_in(net.m1, "在租2号"))
    services.rental_end(actor=leader, rental=rental, ended_on=LEFT)
    c = client_for(worker)
    everything = c.get("/api/v1/registry/rentals").json()
    assert everything["count"] == 2
    current = c.get("/api/v1/registry/rentals?current=true").json()
    assert [r["id"] for r in current["items"]] == [other.pk]
    ended = c.get("/api/v1/registry/rentals?current=false").json()
    assert [r["id"] for r in ended["items"]] == [rental.pk]
    assert ended["items"][0]["ended_on"] == "2025-06-30"
