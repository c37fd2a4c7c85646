"""Marking a business closed (``business_close``): service, page (full and htmx) and API; a
future date refused; closing twice refused with 409; jurisdiction; lists that show open
businesses unless asked for all."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from finegrid.core.errors import Forbidden, InvalidInput, NotFound
from finegrid.core.models import AuditAction, AuditEvent
from finegrid.registry import services
from finegrid.registry.models import Business
from tests.conftest import Net, client_for, sent_home

HTMX = {"HTTP_HX_REQUEST": "true"}
CLOSED = dt.date(2025, 6, 30)


def make(actor: Any, grid: Any, name: str = "丰乐面馆") -> Business:
    return services.business_create(
        actor=actor, name=name, business_type="restaurant", address="锦丰路12号", micro_grid=grid
    )


@pytest.fixture
def business(net: Net, leader: Any) -> Business:
    return make(leader, net.m1)


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        return str(translation.gettext(message))


def closes() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(target_type="business", action=AuditAction.UPDATE))


def post_json(c: Client, url: str, body: dict[str, Any]) -> Any:
    return c.post(url, json.dumps(body), content_type="application/json")


def page_url(business: Business) -> str:
    return f"/registry/businesses/{business.pk}/close/"


def api_url(business: Business) -> str:
    return f"/api/v1/registry/businesses/{business.pk}/close"


# --- service --------------------------------------------------------------------------------


def test_the_service_closes_a_business_and_records_who_did(worker: Any, business: Business) -> None:
    services.business_close(actor=worker, business=business, closed_on=CLOSED)
    business.refresh_from_db()
    assert business.closed_on == CLOSED
    (event,) = closes()
    assert event.actor == worker and event.target_id == str(business.pk)
    assert event.fields == ["closed_on"] and event.grid_path == business.grid_path


def test_the_service_refuses_a_future_date_naming_closed_on(
    worker: Any, business: Business
) -> None:
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    with pytest.raises(InvalidInput) as exc:
        services.business_close(actor=worker, business=business, closed_on=tomorrow)
    assert exc.value.status == 422 and exc.value.field == "closed_on"
    assert str(exc.value.message) == zh("The date is in the future.")
    business.refresh_from_db()
    assert business.closed_on is None and not closes()


def test_the_service_refuses_to_close_twice(worker: Any, business: Business) -> None:
    services.business_close(actor=worker, business=business, closed_on=CLOSED)
    stale = Business.objects.get(pk=business.pk)
    stale.closed_on = None  # as another worker's page still shows it
    with pytest.raises(InvalidInput) as exc:
        services.business_close(actor=worker, business=stale, closed_on=dt.date(2025, 7, 1))
    assert exc.value.status == 409 and exc.value.field == "closed_on"
    business.refresh_from_db()
    assert business.closed_on == CLOSED and len(closes()) == 1


def test_the_service_refuses_the_neighbour_and_those_without_registry_duties(
    neighbour: Any, dept: Any, resident: Any, business: Business
) -> None:
    with pytest.raises(NotFound):
        services.business_close(actor=neighbour, business=business, closed_on=CLOSED)
    for outsider in (dept, resident):
        with pytest.raises(Forbidden):
            services.business_close(actor=outsider, business=business, closed_on=CLOSED)
    business.refresh_from_db()
    assert business.closed_on is None and not closes()


# --- page -----------------------------------------------------------------------------------


def test_the_full_page_offers_the_form_with_today_as_default(
    worker: Any, business: Business
) -> None:
    response = client_for(worker).get(page_url(business))
    body = response.content.decode()
    assert response.status_code == 200 and "<html" in body and "丰乐面馆" in body
    assert 'name="closed_on"' in body and dt.date.today().isoformat() in body


def test_htmx_gets_only_the_form(worker: Any, business: Business) -> None:
    response = client_for(worker).get(page_url(business), **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert f'id="business-close-{business.pk}"' in body


def test_the_page_closes_the_business_and_goes_back_to_the_list(
    worker: Any, business: Business
) -> None:
    response = client_for(worker).post(page_url(business), {"closed_on": "2025-06-30"})
    assert response.status_code == 302 and response["Location"] == "/registry/businesses/"
    business.refresh_from_db()
    assert business.closed_on == CLOSED
    (event,) = closes()
    assert event.actor == worker


def test_htmx_is_sent_on_after_closing(worker: Any, business: Business) -> None:
    back = "/registry/businesses/?grid=M1"
    response = client_for(worker).post(
        page_url(business), {"closed_on": "2025-06-30", "next": back}, **HTMX
    )
    assert response.status_code == 200 and response["HX-Redirect"] == back
    business.refresh_from_db()
    assert business.closed_on == CLOSED and len(closes()) == 1


def test_the_page_shows_a_future_date_beside_the_field(worker: Any, business: Business) -> None:
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    response = client_for(worker).post(page_url(business), {"closed_on": tomorrow}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 422
    assert 'data-field="closed_on"' in body and zh("The date is in the future.") in body
    business.refresh_from_db()
    assert business.closed_on is None and not closes()


def test_the_page_refuses_to_close_twice_with_409(worker: Any, business: Business) -> None:
    services.business_close(actor=worker, business=business, closed_on=CLOSED)
    response = client_for(worker).post(page_url(business), {"closed_on": "2025-07-01"})
    assert response.status_code == 409
    assert zh("The business has already closed.") in response.content.decode()
    business.refresh_from_db()
    assert business.closed_on == CLOSED and len(closes()) == 1


def test_the_page_answers_404_to_the_neighbour(neighbour: Any, business: Business) -> None:
    c = client_for(neighbour)
    assert c.get(page_url(business)).status_code == 404
    assert c.post(page_url(business), {"closed_on": "2025-06-30"}).status_code == 404
    business.refresh_from_db()
    assert business.closed_on is None and not closes()


def test_the_page_refuses_a_department_and_a_resident(
    dept: Any, resident: Any, business: Business
) -> None:
    response = client_for(dept).post(page_url(business), {"closed_on": "2025-06-30"})
    assert response.status_code == 403
    response = client_for(resident).post(page_url(business), {"closed_on": "2025-06-30"})
    assert sent_home(response)
    business.refresh_from_db()
    assert business.closed_on is None and not closes()


# --- lists ----------------------------------------------------------------------------------


def test_the_list_hides_closed_businesses_unless_asked(worker: Any, leader: Any, net: Net) -> None:
    gone = make(leader, net.m1, "已关门小卖部")
    make(leader, net.m1, "营业中面馆")
    services.business_close(actor=leader, business=gone, closed_on=CLOSED)
    c = client_for(worker)
    current = c.get("/registry/businesses/").content.decode()
    assert "营业中面馆" in current and "已关门小卖部" not in current
    assert 'id="show-all"' in current and page_url(gone) not in current
    everything = c.get("/registry/businesses/?show=all").content.decode()
    assert "营业中面馆" in everything and "已关门小卖部" in everything
    assert "2025-06-30" in everything and 'id="show-current"' in everything


def test_the_list_uses_a_constant_number_of_queries(leader: Any, net: Net) -> None:
    c = client_for(leader)
    make(leader, net.m1)
    c.get("/registry/businesses/")
    with CaptureQueriesContext(connection) as small:
        c.get("/registry/businesses/?show=all")
    for i in range(6):
        made = make(leader, net.m1 if i % 2 else net.m2, f"商户{i}")
        if i % 3 == 0:
            services.business_close(actor=leader, business=made, closed_on=CLOSED)
    with CaptureQueriesContext(connection) as large:
        c.get("/registry/businesses/?show=all")
    assert len(large) == len(small)


# --- API ------------------------------------------------------------------------------------


def test_the_api_closes_a_business(worker: Any, business: Business) -> None:
    r = post_json(client_for(worker), api_url(business), {"closed_on": "2025-06-30"})
    assert r.status_code == 200, r.content
    assert r.json()["closed_on"] == "2025-06-30" and r.json()["grid"] == "M1"
    business.refresh_from_db()
    assert business.closed_on == CLOSED
    (event,) = closes()
    assert event.actor == worker and event.fields == ["closed_on"]


def test_the_api_takes_today_when_no_date_is_given(worker: Any, business: Business) -> None:
    r = post_json(client_for(worker), api_url(business), {})
    assert r.status_code == 200 and r.json()["closed_on"] == dt.date.today().isoformat()


def test_the_api_names_closed_on_for_a_future_date(worker: Any, business: Business) -> None:
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    r = post_json(client_for(worker), api_url(business), {"closed_on": tomorrow})
    assert r.status_code == 422 and r.json()["field"] == "closed_on"
    business.refresh_from_db()
    assert business.closed_on is None and not closes()


def test_the_api_answers_409_to_closing_twice(worker: Any, business: Business) -> None:
    c = client_for(worker)
    assert post_json(c, api_url(business), {"closed_on": "2025-06-30"}).status_code == 200
    r = post_json(c, api_url(business), {"closed_on": "2025-07-01"})
    assert r.status_code == 409 and r.json()["field"] == "closed_on"
    business.refresh_from_db()
    assert business.closed_on == CLOSED and len(closes()) == 1


def test_the_api_answers_404_to_the_neighbour_and_403_to_outsiders(
    neighbour: Any, dept: Any, resident: Any, business: Business
) -> None:
    assert post_json(client_for(neighbour), api_url(business), {}).status_code == 404
    for outsider in (dept, resident):
        assert post_json(client_for(outsider), api_url(business), {}).status_code == 403
    business.refresh_from_db()
    assert business.closed_on is None and not closes()


def test_the_api_list_filters_open_businesses_on_request(
    worker: Any, business: Business, leader: Any, net: Net
) -> None:
    other = make(leader, net.m1, "营业中面馆")
    services.business_close(actor=leader, business=business, closed_on=CLOSED)
    c = client_for(worker)
    assert c.get("/api/v1/registry/businesses").json()["count"] == 2
    current = c.get("/api/v1/registry/businesses?current=true").json()
    assert [b["id"] for b in current["items"]] == [other.pk]
    closed = c.get("/api/v1/registry/businesses?current=false").json()
    assert [b["id"] for b in closed["items"]] == [business.pk]
    assert closed["items"][0]["closed_on"] == "2025-06-30"
