"""Registering a rental (出租房) from the household page: landlord and tenants among its members,
the lease checked by ``rental_create``, jurisdiction, htmx partial and full page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import translation

from finegrid.core.models import AuditAction, AuditEvent
from finegrid.grids.models import Household
from finegrid.registry.models import Person, Rental
from tests.conftest import client_for, sent_home
from tests.registry.helpers import home_in, register

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def home(net: Any, leader: Any) -> Household:
    home = home_in(net.m1, "锦丰新城3栋1单元301")
    register(leader, home, "房东", relation="head")
    register(leader, home, "租客甲", relation="tenant")
    register(leader, home, "租客乙", relation="tenant")
    return home


def url(home: Household) -> str:
    return f"/registry/households/{home.pk}/rentals/new/"


def pk(name: str) -> int:
    return Person.objects.get(name=name).pk


def test_the_household_page_offers_the_rental_form(worker: Any, home: Household) -> None:
    body = client_for(worker).get(f"/registry/households/{home.pk}/").content.decode()
    assert 'id="add-rental"' in body and url(home) in body
    form = client_for(worker).get(url(home)).content.decode()
    # the tenants are a group of boxes: the group is named, no label points at nothing
    assert "<legend>租客</legend>" in form and 'for=""' not in form


def test_it_registers_a_rental_with_landlord_tenants_and_lease(
    worker: Any, home: Household
) -> None:
    response = client_for(worker).post(
        url(home),
        {
            "landlord": pk("房东"),
            "tenants": [pk("租客甲"), pk("租客乙")],
            "registered": "on",
            "lease_start": "2025-01-01",
            "lease_end": "2025-12-31",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/registry/households/{home.pk}/"
    rental = Rental.objects.get()
    assert rental.household == home and rental.landlord is not None
    assert rental.landlord.name == "房东" and rental.registered
    assert sorted(t.name for t in rental.tenants.all()) == ["租客乙", "租客甲"]
    assert (rental.lease_start, rental.lease_end) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert rental.grid_path == home.grid_path
    event = AuditEvent.objects.get(target_type="rental")
    assert event.action == AuditAction.CREATE and event.actor == worker
    assert event.target_id == str(rental.pk)
    page = client_for(worker).get(f"/registry/households/{home.pk}/").content.decode()
    assert "2025-12-31" in page and "租客甲" in page


def test_a_lease_that_ends_before_it_starts_is_shown_beside_lease_end(
    worker: Any, home: Household
) -> None:
    with translation.override("zh-hans"):
        zh = str(translation.gettext("The lease ends before it starts."))
    response = client_for(worker).post(
        url(home), {"lease_start": "2025-02-01", "lease_end": "2025-01-01"}
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert 'data-field="lease_end"' in body and "fg-field--error" in body
    assert zh in body
    assert not Rental.objects.exists()
    assert not AuditEvent.objects.filter(target_type="rental").exists()


def test_unreadable_dates_and_strangers_are_named_and_nothing_is_written(
    worker: Any, neighbour: Any, home: Household, net: Any
) -> None:
    stranger = register(neighbour, home_in(net.m2, "锦丰新城9栋"), "外人")
    response = client_for(worker).post(
        url(home), {"landlord": stranger.pk, "tenants": [stranger.pk], "lease_start": "someday"}
    )
    assert response.status_code == 422
    form = response.context["form"]
    assert set(form.errors) == {"landlord", "tenants", "lease_start"}
    assert not Rental.objects.exists()


def test_a_neighbouring_grid_is_refused(neighbour: Any, home: Household) -> None:
    c = client_for(neighbour)
    assert c.get(url(home)).status_code == 404
    assert c.post(url(home), {"lease_start": "2025-01-01"}).status_code == 404
    assert not Rental.objects.exists()


def test_roles_without_registry_rights_are_refused(
    dept: Any, resident: Any, home: Household
) -> None:
    assert client_for(dept).get(url(home)).status_code == 403
    assert client_for(dept).post(url(home), {"registered": "on"}).status_code == 403
    assert sent_home(client_for(resident).get(url(home)))
    assert sent_home(client_for(resident).post(url(home), {"registered": "on"}))
    assert client_for(None).post(url(home), {}).status_code == 302  # to the login page
    assert not Rental.objects.exists()


def test_htmx_gets_the_form_alone_and_a_normal_request_the_whole_page(
    official: Any, home: Household
) -> None:
    c = client_for(official)
    partial = c.get(url(home), **HTMX).content.decode()
    page = c.get(url(home)).content.decode()
    assert 'id="rental-form"' in partial and "<html" not in partial
    assert 'id="rental-form"' in page and "<html" in page
    assert "房东" in partial and "租客乙" in partial


def test_htmx_gets_the_form_back_with_errors_then_a_redirect(
    official: Any, home: Household
) -> None:
    c = client_for(official)
    refused = c.post(url(home), {"lease_start": "2025-02-01", "lease_end": "2025-01-01"}, **HTMX)
    assert refused.status_code == 422
    assert "<html" not in refused.content.decode() and 'data-field="lease_end"' in (
        refused.content.decode()
    )
    assert not Rental.objects.exists()
    done = c.post(url(home), {"tenants": [pk("租客甲")]}, **HTMX)
    assert done.status_code == 200
    assert done["HX-Redirect"] == f"/registry/households/{home.pk}/"
    assert Rental.objects.get().tenants.get().name == "租客甲"
