"""Rentals and businesses through the API: scoped lists, creation, masked contact phones."""

from __future__ import annotations

import json
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from finegrid.accounts.models import User
from finegrid.core import pii
from finegrid.registry import services
from finegrid.registry.models import Business, Rental
from tests.conftest import Net, client_for
from tests.registry.helpers import home_in, make_id, register


def post(c: Client, url: str, body: dict[str, Any]) -> Any:
    return c.post(url, json.dumps(body), content_type="application/json")


def test_a_rental_is_registered_with_landlord_and_tenants(worker: User, net: Net) -> None:
    home = home_in(net.m1)
    landlord = register(worker, home, "房东", id_number=make_id(seq="001"))
    tenant = register(worker, home, "租客", id_number=make_id(seq="002"))
    r = post(
        client_for(worker),
        "/api/v1/registry/rentals",
        {
            "household_id": home.pk,
            "landlord_id": landlord.pk,
            "tenant_ids": [tenant.pk],
            "registered": True,
            "lease_start": "2025-01-01",
            "lease_end": "2025-12-31",
        },
    )
    assert r.status_code == 201, r.content
    assert r.json()["tenants"] == [{"id": tenant.pk, "name": "租客"}]
    rental = Rental.objects.get()
    assert rental.landlord == landlord and list(rental.tenants.all()) == [tenant]


def test_a_lease_that_ends_before_it_starts_is_422(worker: User, net: Net) -> None:
    r = post(
        client_for(worker),
        "/api/v1/registry/rentals",
        {
            "household_id": home_in(net.m1).pk,
            "lease_start": "2025-02-01",
            "lease_end": "2025-01-01",
        },
    )
    assert r.status_code == 422 and r.json()["field"] == "lease_end"
    assert not Rental.objects.exists()


def test_a_rental_in_the_neighbouring_grid_is_refused(
    worker: User, neighbour: User, net: Net
) -> None:
    there = home_in(net.m2, "锦丰新城2栋1单元101")
    r = post(client_for(worker), "/api/v1/registry/rentals", {"household_id": there.pk})
    assert r.status_code == 404
    stranger = register(neighbour, there)
    r = post(
        client_for(worker),
        "/api/v1/registry/rentals",
        {"household_id": home_in(net.m1).pk, "tenant_ids": [stranger.pk]},
    )
    assert r.status_code == 404 and r.json()["field"] == "tenant_ids"
    services.rental_create(actor=neighbour, household=there)
    assert client_for(worker).get("/api/v1/registry/rentals").json()["count"] == 0
    assert not Rental.objects.filter(household__micro_grid=net.m1).exists()


def test_the_rental_list_uses_a_constant_number_of_queries(leader: User, net: Net) -> None:
    c = client_for(leader)
    services.rental_create(actor=leader, household=home_in(net.m1))
    c.get("/api/v1/registry/rentals?limit=1")
    with CaptureQueriesContext(connection) as small:
        c.get("/api/v1/registry/rentals?limit=1")
    for i in range(10):
        home = home_in(net.m1, f"出租{i}号")
        tenant = register(leader, home, f"租{i}", id_number=make_id(seq=f"{i:03d}"))
        services.rental_create(actor=leader, household=home, landlord=tenant, tenants=[tenant])
    with CaptureQueriesContext(connection) as large:
        assert c.get("/api/v1/registry/rentals?limit=100").json()["count"] == 11
    assert len(large) == len(small)


def test_a_business_is_registered_with_its_contact_phone_masked(worker: User, net: Net) -> None:
    r = post(
        client_for(worker),
        "/api/v1/registry/businesses",
        {
            "name": "丰乐面馆",
            "business_type": "restaurant",
            "address": "锦丰路12号",
            "micro_grid": "M1",
            "contact_name": "王老板",
            "contact_phone": "13812345678",
            "inspection_status": "passed",
            "inspected_on": "2025-03-01",
        },
    )
    assert r.status_code == 201, r.content
    assert r.json()["contact_phone_masked"] == "138****5678" and r.json()["grid"] == "M1"
    assert "13812345678" not in r.content.decode()
    business = Business.objects.get()
    assert pii.decrypt(business.contact_phone_enc) == "13812345678"
    listed = client_for(worker).get("/api/v1/registry/businesses").json()
    assert listed["count"] == 1 and listed["items"][0]["contact_phone_masked"] == "138****5678"


def test_a_business_without_an_inspection_date_is_422(worker: User, net: Net) -> None:
    r = post(
        client_for(worker),
        "/api/v1/registry/businesses",
        {
            "name": "丰乐面馆",
            "business_type": "restaurant",
            "address": "锦丰路12号",
            "micro_grid": "M1",
            "inspection_status": "passed",
        },
    )
    assert r.status_code == 422 and r.json()["field"] == "inspected_on"
    assert not Business.objects.exists()


def test_a_business_in_the_neighbouring_grid_is_refused(
    worker: User, neighbour: User, net: Net
) -> None:
    body = {"name": "小卖部", "business_type": "shop", "address": "锦丰路1号", "micro_grid": "M2"}
    r = post(client_for(worker), "/api/v1/registry/businesses", body)
    assert r.status_code == 404 and r.json()["field"] == "micro_grid"
    assert not Business.objects.exists()
    assert post(client_for(neighbour), "/api/v1/registry/businesses", body).status_code == 201
    assert client_for(worker).get("/api/v1/registry/businesses").json()["count"] == 0


def test_the_business_list_uses_a_constant_number_of_queries(leader: User, net: Net) -> None:
    c = client_for(leader)
    services.business_create(
        actor=leader, name="店0", business_type="shop", address="路0号", micro_grid=net.m1
    )
    c.get("/api/v1/registry/businesses?limit=1")
    with CaptureQueriesContext(connection) as small:
        c.get("/api/v1/registry/businesses?limit=1")
    for i in range(1, 10):
        services.business_create(
            actor=leader,
            name=f"店{i}",
            business_type="shop",
            address=f"路{i}号",
            micro_grid=net.m1 if i % 2 else net.m3,
        )
    with CaptureQueriesContext(connection) as large:
        assert len(c.get("/api/v1/registry/businesses?limit=100").json()["items"]) == 10
    assert len(large) == len(small)


def test_roles_without_registry_access_are_refused(dept: User, resident: User, net: Net) -> None:
    for user in (dept, resident):
        assert client_for(user).get("/api/v1/registry/rentals").status_code == 403
        assert client_for(user).get("/api/v1/registry/businesses").status_code == 403
