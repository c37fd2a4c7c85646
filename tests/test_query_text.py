"""A control character in a URL's filters is refused naming the parameter, not failed on (a NUL
in a query made PostgreSQL raise: a 500 on every list page and the export)."""

from __future__ import annotations

import pytest

from finegrid.accounts.models import User
from finegrid.core.models import AuditEvent
from tests.conftest import Net, client_for

PAGES = [
    "/registry/people/?q=%E5%BC%A0%00",
    "/registry/people/?grid=C1%00",
    "/registry/special/?grid=C1%07",
    "/registry/businesses/?grid=C1%00",
    "/registry/rentals/?grid=C1%00",
    "/registry/people/export.xlsx?grid=C1%00",
]
API = [
    ("/api/v1/grids/layer?level=micro&parent=C1%00", "parent"),
    ("/api/v1/registry/people/export.xlsx?grid=C1%1b", "grid"),
    ("/api/v1/registry/people?q=%00", "q"),
    ("/api/v1/grids/C1%00", "path"),
]


@pytest.mark.parametrize("url", PAGES)
def test_a_page_answers_400_naming_the_parameter(net: Net, leader: User, url: str) -> None:
    response = client_for(leader).get(url)
    assert response.status_code == 400
    assert "含有无法保存的控制字符" in response.content.decode()
    english = client_for(leader)
    english.cookies["django_language"] = "en"
    response = english.get(url)
    assert response.status_code == 400
    assert "contains a control character" in response.content.decode()
    assert not AuditEvent.objects.filter(action="export").exists()


@pytest.mark.parametrize(("url", "field"), API)
def test_the_api_answers_422_naming_the_parameter(
    net: Net, leader: User, url: str, field: str
) -> None:
    response = client_for(leader).get(url)
    assert response.status_code == 422
    body = response.json()
    assert body["field"] == field and body["code"] == "invalid"
    assert "控制字符" in body["message"] and "control character" in body["message_en"]
    assert not AuditEvent.objects.filter(action="export").exists()


def test_a_line_break_in_a_search_still_searches(net: Net, leader: User) -> None:
    assert client_for(leader).get("/registry/people/", {"q": "张\n"}).status_code == 200
