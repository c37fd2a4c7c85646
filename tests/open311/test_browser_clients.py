"""Open311 for browser clients on other sites: CORS on the public GETs, paging of
requests.json, and answers that do not vary by the site's cookies."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from finegrid.accounts.models import User
from finegrid.cases.models import Case
from tests.cases.helpers import MONDAY_10, report
from tests.conftest import Net
from tests.open311.helpers import BASE, errors_of, json_of

ORIGIN = "https://map.example.org"


@pytest.fixture
def clock(time_machine: Any) -> None:
    time_machine.move_to(MONDAY_10, tick=False)


@pytest.fixture
def five(net: Net, worker: User, clock: None) -> list[Case]:
    return [report(None, source="resident", description=f"第{i}件") for i in range(5)]


def test_a_preflight_from_another_site_is_answered(net: Net) -> None:
    response = Client().options(
        f"{BASE}requests.json",
        headers={"Origin": ORIGIN, "Access-Control-Request-Method": "GET"},
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Credentials" not in response


def test_a_get_from_another_site_may_be_read_and_does_not_vary_by_cookie(
    five: list[Case],
) -> None:
    response = Client().get(f"{BASE}requests.json", headers={"Origin": ORIGIN})
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    vary = {v.strip() for v in response["Vary"].split(",")}
    assert "Accept-Language" in vary
    assert "Cookie" not in vary


def test_the_rest_of_the_site_is_not_shared_across_origins(net: Net) -> None:
    response = Client().get("/accounts/login/", headers={"Origin": ORIGIN})
    assert "Access-Control-Allow-Origin" not in response
    assert "Cookie" in response["Vary"]


def test_requests_come_in_pages_linked_by_the_link_header(five: list[Case]) -> None:
    newest_first = [c.number for c in sorted(five, key=lambda c: (c.reported_at, c.pk))][::-1]
    first = Client().get(f"{BASE}requests.json", {"page_size": "2"})
    assert [r["service_request_id"] for r in json_of(first)] == newest_first[:2]
    assert 'rel="next"' in first["Link"] and "page=2" in first["Link"]
    assert 'rel="prev"' not in first["Link"]
    last = Client().get(f"{BASE}requests.json", {"page_size": "2", "page": "3"})
    assert [r["service_request_id"] for r in json_of(last)] == newest_first[4:]
    assert 'rel="next"' not in last["Link"] and "page=2" in last["Link"]
    whole = Client().get(f"{BASE}requests.json")
    assert len(json_of(whole)) == 5
    assert "Link" not in whole


@pytest.mark.parametrize(
    ("params", "named"),
    [({"page": "0"}, "page"), ({"page_size": "1001"}, "page_size"), ({"page": "二"}, "page")],
)
def test_a_bad_page_is_refused_naming_the_parameter(
    net: Net, params: dict[str, str], named: str
) -> None:
    response = Client().get(f"{BASE}requests.json", params, headers={"Accept-Language": "en"})
    assert response.status_code == 400
    (message,) = errors_of(response)
    assert message.startswith(named)
