"""/care/figures/: a community's month against the TEC standard, and twelve months in a chart."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from finegrid.accounts.models import Role, RoleAssignment, User
from tests.care.helpers_figures import calls_of_a_month
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

URL = "/care/figures/"


@pytest.fixture
def month(net: Any, leader: Any, worker: Any, gridhead: Any) -> Iterator[str]:
    yield from calls_of_a_month(net, leader, worker, gridhead)


def test_the_page_shows_the_month_and_the_chart(month: str, official: Any) -> None:
    page = client_for(official).get(f"{URL}?community=C1&month={month}")
    assert page.status_code == 200
    html = page.content.decode()
    assert re.search(r'id="fig-calls">5<', html)
    assert "fg-figures-below" in html and "vendor/echarts/dist/echarts.min.js" in html
    data = json.loads(
        re.search(r'id="figures-data" type="application/json">(.*?)</script>', html, re.S).group(1)
    )
    assert data["months"][-1] == month and len(data["months"]) == 12
    assert data["calls"][-1] == 5 and data["within60"][-1] == 50.0
    assert (data["standard60"], data["standard180"]) == (97.5, 99.0)
    assert f'id="month-{month}"' in html


def test_bad_month_is_shown_beside_the_field(net: Any, official: Any) -> None:
    page = client_for(official).get(f"{URL}?month=2026-13")
    assert page.status_code == 422 and 'id="error-month"' in page.content.decode()


def test_the_neighbouring_grid_is_refused(net: Any, neighbour: Any, official: Any) -> None:
    other = User.objects.create_user(username="c2", password="x" * 12, display_name="高堆官员")
    RoleAssignment.objects.create(user=other, role=Role.COMMUNITY_OFFICIAL, grid=net.c2)
    assert client_for(other).get(f"{URL}?community=C1").status_code == 404
    assert "高堆社区" in client_for(other).get(URL).content.decode()
    assert client_for(neighbour).get(URL).status_code == 403
