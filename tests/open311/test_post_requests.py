"""POST requests: a key bound to a jurisdiction, every parameter checked, nothing half-written."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from finegrid.cases.models import Case, CaseEvent, Source, Status, Urgency
from finegrid.grids.services import household_create
from finegrid.open311.models import ApiKey
from finegrid.open311.services import api_key_revoke
from tests.cases.helpers import MONDAY_10
from tests.conftest import Net
from tests.open311.helpers import IN_M3, errors_of, json_of, key_for, post, report_data, xml_of

EN = {"Accept-Language": "en"}


@pytest.fixture
def clock(time_machine: Any) -> None:
    time_machine.move_to(MONDAY_10, tick=False)


def nothing_written() -> bool:
    return Case.objects.count() == 0 and CaseEvent.objects.count() == 0


def test_a_good_key_reports_a_case_in_its_jurisdiction(net: Net, clock: None) -> None:
    key = key_for(net.c1)
    response = post(
        Client(),
        **report_data(
            key,
            first_name="女士",
            last_name="王",
            phone="13812345678",
            media_url="https://img.example.cn/a.jpg",
            **{"attribute[urgency]": "urgent"},
        ),
    )
    assert response.status_code == 201
    (answer,) = json_of(response)
    case = Case.objects.get()
    assert answer["service_request_id"] == case.number and isinstance(case.number, str)
    assert answer["account_id"] is None and case.follow_code in answer["service_notice"]
    assert (case.source, case.micro_grid, case.urgency) == (Source.OPEN311, net.m1, "urgent")
    assert (case.reporter_name, case.reporter_phone_masked) == ("王女士", "138****5678")
    assert case.photos == [{"url": "https://img.example.cn/a.jpg"}]
    assert case.idempotency_key == ""


def test_clients_post_without_a_csrf_token(net: Net) -> None:
    client = Client(enforce_csrf_checks=True)
    assert post(client, **report_data(key_for(net.street))).status_code == 201


def test_the_answer_comes_in_xml_too(net: Net, clock: None) -> None:
    response = post(Client(), "xml", **report_data(key_for(net.street)))
    assert response.status_code == 201
    root = xml_of(response)
    assert root.tag == "service_requests"
    assert root.findtext("request/service_request_id") == Case.objects.get().number
    assert root.find("request/account_id") is not None


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("api_key", [None, "", "fg311_not-a-real-key"])
def test_a_missing_or_wrong_key_is_403_and_writes_nothing(
    net: Net, fmt: str, api_key: str | None
) -> None:
    key_for(net.street)
    data = report_data("x", api_key=api_key)
    response = post(Client(), fmt, headers=EN, **data)
    assert response.status_code == 403
    assert errors_of(response)[0].startswith("api_key ")
    assert nothing_written()


def test_a_revoked_key_is_refused(net: Net) -> None:
    raw = key_for(net.street)
    api_key_revoke(key=ApiKey.objects.get())
    assert post(Client(), **report_data(raw)).status_code == 403
    assert nothing_written()


def test_a_key_cannot_report_outside_its_jurisdiction(net: Net) -> None:
    raw = key_for(net.c1, name="锦丰社区小程序")
    response = post(Client(), headers=EN, **report_data(raw, **IN_M3))
    assert response.status_code == 400
    assert errors_of(response) == [
        "The location lies outside the jurisdiction of this api_key (锦丰社区)."
    ]
    assert nothing_written()


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"service_code": None}, "service_code was not provided."),
        ({"description": None}, "description was not provided."),
        ({"description": "长" * 4001}, "description is longer than 4,000 characters."),
        ({"lat": None, "long": None}, "A location was not provided"),
        ({"long": None}, "lat and long must both be sent"),
        ({"lat": "north"}, "lat and long must both be sent"),
        ({"lat": "95"}, "lat and long are out of range."),
        ({"lat": "31.5"}, "outside every grid"),
        ({"lat": None, "long": None, "address_id": "999"}, "address_id 999 was not found."),
        ({"lat": None, "long": None, "address_string": "无此地址"}, "address_string could not"),
        ({"phone": "12345"}, "phone is not a mainland mobile number"),
        ({"media_url": "javascript:alert(1)"}, "media_url is not a web address"),
        ({"attribute[urgency]": "whenever"}, "attribute[urgency] has a value"),
        ({"attribute[colour]": "red"}, "attribute[colour] is not an attribute of this service."),
        ({"service_code": "gas"}, "attribute[danger_now] was not provided."),
        ({"service_code": "dispute", "attribute[households]": "-2"}, "attribute[households]"),
    ],
)
def test_each_bad_parameter_is_named_in_a_400_and_nothing_is_written(
    net: Net, changes: dict[str, Any], named: str
) -> None:
    raw = key_for(net.street)
    response = post(Client(), headers=EN, **report_data(raw, **changes))
    assert response.status_code == 400
    assert any(named in d for d in errors_of(response)), errors_of(response)
    assert nothing_written()


def test_several_bad_parameters_are_all_named(net: Net) -> None:
    raw = key_for(net.street)
    response = post(
        Client(), "xml", headers=EN, **report_data(raw, description=None, phone="1", lat=None)
    )
    assert response.status_code == 400
    descriptions = errors_of(response)
    assert len(descriptions) == 3
    assert nothing_written()


def test_an_unknown_service_code_is_404_as_the_spec_says(net: Net) -> None:
    raw = key_for(net.street)
    response = post(Client(), headers=EN, **report_data(raw, service_code="pothole"))
    assert response.status_code == 404
    assert errors_of(response) == ["service_code pothole was not found."]
    assert nothing_written()


def test_a_household_places_the_report_by_address_id_or_address_string(net: Net) -> None:
    home = household_create(address="锦丰新城C区5栋", lat=30.005, lng=104.015)
    raw = key_for(net.c1)
    by_id = post(Client(), **report_data(raw, lat=None, long=None, address_id=str(home.pk)))
    by_text = post(
        Client(), **report_data(raw, lat=None, long=None, address_string="锦丰新城C区5栋")
    )
    assert (by_id.status_code, by_text.status_code) == (201, 201)
    assert {c.household_id for c in Case.objects.all()} == {home.pk}
    assert {c.micro_grid_id for c in Case.objects.all()} == {net.m2.pk}


def test_a_household_outside_the_key_jurisdiction_is_refused(net: Net) -> None:
    home = household_create(address="高堆小区1栋", lat=30.01, lng=104.03)
    raw = key_for(net.c1)
    response = post(Client(), **report_data(raw, lat=None, long=None, address_id=str(home.pk)))
    assert response.status_code == 400
    assert nothing_written()


def test_attributes_are_kept_with_the_case(net: Net) -> None:
    raw = key_for(net.street)
    response = post(
        Client(),
        **report_data(raw, service_code="gas", **{"attribute[danger_now]": "yes"}),
    )
    assert response.status_code == 201
    case = Case.objects.get()
    assert case.urgency == Urgency.CRITICAL  # danger now makes it critical
    assert case.description.startswith("楼下垃圾三天没人清运\n\n")
    assert case.status == Status.REPORTED


def test_an_idempotency_key_replay_answers_the_first_case(net: Net, clock: None) -> None:
    raw = key_for(net.street)
    headers = {"Idempotency-Key": "retry-1"}
    first = post(Client(), headers=headers, **report_data(raw))
    again = post(Client(), headers=headers, **report_data(raw))
    assert (first.status_code, again.status_code) == (201, 201)
    assert json_of(first) == json_of(again) and again["Idempotent-Replayed"] == "true"
    case = Case.objects.get()
    assert case.idempotency_key == f"o311:{ApiKey.objects.get().pk}:retry-1"


def test_the_same_idempotency_key_with_another_body_is_refused(net: Net, clock: None) -> None:
    raw = key_for(net.street)
    headers = {"Idempotency-Key": "retry-1", **EN}
    post(Client(), headers=headers, **report_data(raw))
    response = post(Client(), headers=headers, **report_data(raw, description="另一件事"))
    assert response.status_code == 400
    assert errors_of(response)[0].startswith("Idempotency-Key: ")
    assert Case.objects.count() == 1


def test_idempotency_keys_of_two_clients_do_not_collide(net: Net, clock: None) -> None:
    one, two = key_for(net.street, "一"), key_for(net.street, "二")
    headers = {"Idempotency-Key": "same"}
    post(Client(), headers=headers, **report_data(one))
    post(Client(), headers=headers, **report_data(two))
    assert Case.objects.count() == 2


def test_get_and_post_only(net: Net) -> None:
    assert Client().put("/open311/v2/requests.json").status_code == 405
