"""Discovery, the service list and service definitions, in JSON and XML and both languages."""

from __future__ import annotations

from django.test import Client

from finegrid.cases.models import Category
from tests.conftest import Net
from tests.open311.helpers import BASE, errors_of, json_of, xml_of


def test_discovery_names_the_endpoint_and_both_formats(db: None) -> None:
    body = json_of(Client().get(f"{BASE}discovery.json"))
    (endpoint,) = body["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert body["changeset"] and body["contact"] and body["key_service"]

    root = xml_of(Client().get(f"{BASE}discovery.xml"))
    assert root.tag == "discovery"
    formats = [f.text for f in root.findall("endpoints/endpoint/formats/format")]
    assert formats == ["text/xml", "application/json"]


def test_services_list_every_category_in_chinese_by_default(db: None) -> None:
    body = json_of(Client().get(f"{BASE}services.json"))
    codes = [s["service_code"] for s in body]
    assert codes[:3] == ["safety_hazard", "gas", "fire"]
    assert len(codes) == Category.objects.filter(active=True).count() == 11
    gas = body[1]
    assert gas["service_name"] == "燃气"
    assert (gas["metadata"], gas["type"]) == (True, "realtime")
    assert gas["group"] and gas["keywords"] and gas["description"]


def test_services_speak_english_when_asked(db: None) -> None:
    by_header = json_of(Client().get(f"{BASE}services.json", headers={"Accept-Language": "en"}))
    by_param = json_of(Client().get(f"{BASE}services.json?locale=en_US"))
    for body in (by_header, by_param):
        gas = body[1]
        assert (gas["service_name"], gas["group"]) == ("Gas safety", "Safety")
        assert gas["description"].startswith("A smell of gas")


def test_services_in_xml_follow_the_spec_elements(db: None) -> None:
    root = xml_of(Client().get(f"{BASE}services.xml", headers={"Accept-Language": "en"}))
    assert root.tag == "services"
    first = root.find("service")
    assert first is not None
    assert [c.tag for c in first] == [
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ]
    assert (first.findtext("service_code"), first.findtext("metadata")) == (
        "safety_hazard",
        "true",
    )


def test_a_service_definition_lists_its_attributes(db: None) -> None:
    body = json_of(Client().get(f"{BASE}services/gas.json", headers={"Accept-Language": "en"}))
    assert body["service_code"] == "gas"
    urgency, danger = body["attributes"]
    assert (urgency["code"], urgency["datatype"], urgency["required"], urgency["order"]) == (
        "urgency",
        "singlevaluelist",
        False,
        1,
    )
    assert [v["key"] for v in urgency["values"]] == ["normal", "urgent", "critical"]
    assert (danger["code"], danger["required"], danger["order"]) == ("danger_now", True, 2)

    root = xml_of(Client().get(f"{BASE}services/gas.xml"))
    assert root.tag == "service_definition"
    keys = [v.text for v in root.findall("attributes/attribute/values/value/key")]
    assert keys == ["normal", "urgent", "critical", "yes", "no"]
    assert root.find("attributes/attribute/variable").text == "true"  # type: ignore[union-attr]


def test_an_unknown_service_is_404_in_the_spec_error_form(net: Net) -> None:
    response = Client().get(f"{BASE}services/pothole.json", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert errors_of(response) == ["service_code pothole was not found."]
    response = Client().get(f"{BASE}services/pothole.xml")
    assert response.status_code == 404
    assert "pothole" in errors_of(response)[0]


def test_an_unknown_format_is_not_served(db: None) -> None:
    assert Client().get(f"{BASE}services.csv").status_code == 404
