"""Registering a business (商户/门店) from the businesses page: placed by its micro-grid code or
its coordinates, checked by ``business_create``, jurisdiction, htmx partial and full page."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from finegrid.core import pii
from finegrid.core.models import AuditAction, AuditEvent
from finegrid.registry.models import Business
from tests.conftest import client_for, sent_home

URL = "/registry/businesses/new/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        return str(translation.gettext(message))


def body(**fields: Any) -> dict[str, Any]:
    return {
        "name": "丰乐面馆",
        "business_type": "restaurant",
        "address": "锦丰路12号",
        "micro_grid": "M1",
        "inspection_status": "pending",
        **fields,
    }


def test_the_businesses_page_offers_the_form(worker: Any) -> None:
    page = client_for(worker).get("/registry/businesses/").content.decode()
    assert 'id="add-business"' in page and URL in page


def test_it_registers_a_business_with_its_phone_masked(worker: Any, net: Any) -> None:
    response = client_for(worker).post(
        URL,
        body(
            contact_name="王老板",
            contact_phone="13812345678",
            licence_number="91510100MA61",
            inspection_status="passed",
            inspected_on="2025-03-01",
        ),
    )
    assert response.status_code == 302 and response["Location"] == "/registry/businesses/"
    business = Business.objects.get()
    assert business.name == "丰乐面馆" and business.micro_grid == net.m1
    assert business.grid_path == net.m1.path and business.inspection_status == "passed"
    assert business.contact_phone_masked == "138****5678"
    assert pii.decrypt(business.contact_phone_enc) == "13812345678"
    event = AuditEvent.objects.get(target_type="business")
    assert event.action == AuditAction.CREATE and event.actor == worker
    listed = client_for(worker).get("/registry/businesses/").content.decode()
    assert "丰乐面馆" in listed and "138****5678" in listed and "13812345678" not in listed


def test_it_places_a_business_by_its_coordinates(worker: Any, net: Any) -> None:
    response = client_for(worker).post(URL, body(micro_grid="", lat="30.01", lng="104.005"))
    assert response.status_code == 302
    assert Business.objects.get().micro_grid == net.m1


def test_each_bad_field_is_named_and_nothing_is_written(worker: Any) -> None:
    response = client_for(worker).post(
        URL,
        body(name=" ", business_type="", inspection_status="passed", contact_phone="12345"),
    )
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert set(errors) == {"name", "business_type", "inspected_on", "contact_phone"}
    page = response.content.decode()
    for field in errors:
        assert f'data-field="{field}"' in page
    assert zh("The name is required.") in page
    assert zh("Give the date of the inspection.") in page
    assert not Business.objects.exists()
    assert not AuditEvent.objects.filter(target_type="business").exists()


def test_a_form_that_cannot_be_read_is_refused_before_the_service(worker: Any) -> None:
    response = client_for(worker).post(URL, body(address="", lat="north", inspected_on="May"))
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"address", "lat", "inspected_on"}
    assert not Business.objects.exists()


def test_a_place_without_grid_or_coordinates_is_named(worker: Any) -> None:
    response = client_for(worker).post(URL, body(micro_grid=""))
    assert response.status_code == 422
    assert "lat" in response.context["form"].errors
    assert zh("Give a location or a micro-grid.") in response.content.decode()
    assert not Business.objects.exists()


def test_a_neighbouring_grid_is_refused(worker: Any, neighbour: Any) -> None:
    by_code = client_for(worker).post(URL, body(micro_grid="M2"))
    assert by_code.status_code == 422
    assert by_code.context["form"].errors["micro_grid"] == [
        zh("No grid with this code in your jurisdiction.")
    ]
    by_place = client_for(worker).post(URL, body(micro_grid="", lat="30.01", lng="104.015"))
    assert by_place.status_code == 422 and "lat" in by_place.context["form"].errors
    assert not Business.objects.exists()
    assert client_for(neighbour).post(URL, body(micro_grid="M2")).status_code == 302
    assert "丰乐面馆" not in client_for(worker).get("/registry/businesses/").content.decode()


def test_roles_without_registry_rights_are_refused(dept: Any, resident: Any) -> None:
    assert client_for(dept).get(URL).status_code == 403
    assert client_for(dept).post(URL, body()).status_code == 403
    assert sent_home(client_for(resident).get(URL))
    assert sent_home(client_for(resident).post(URL, body()))
    assert not Business.objects.exists()


def test_htmx_gets_the_form_alone_and_a_normal_request_the_whole_page(worker: Any) -> None:
    c = client_for(worker)
    partial = c.get(URL, **HTMX).content.decode()
    page = c.get(URL).content.decode()
    assert 'id="business-form"' in partial and "<html" not in partial
    assert 'id="business-form"' in page and "<html" in page
    # a worker of one micro-grid finds it filled in and offered
    assert 'value="M1"' in partial and '<option value="M1">' in partial


def test_htmx_gets_the_form_back_with_errors_then_a_redirect(worker: Any) -> None:
    c = client_for(worker)
    refused = c.post(URL, body(name=""), **HTMX)
    assert refused.status_code == 422
    assert "<html" not in refused.content.decode()
    assert 'data-field="name"' in refused.content.decode()
    assert not Business.objects.exists()
    done = c.post(URL, body(), **HTMX)
    assert done.status_code == 200 and done["HX-Redirect"] == "/registry/businesses/"
    assert Business.objects.get().name == "丰乐面馆"
