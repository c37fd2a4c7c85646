"""The place picker in Chromium: the phone's position as a start, and the household search."""

from __future__ import annotations

from typing import Any

from finegrid.accounts.models import User
from finegrid.grids.services import household_create
from tests.cases.test_browser_cases import DESK, PHONE, _login, _page, browser  # noqa: F401
from tests.conftest import PASSWORD, Net


def test_the_phone_s_position_places_the_first_point(
    browser: Any,  # noqa: F811
    live_server: Any,
    net: Net,
    resident: User,
) -> None:
    page, errors = _page(
        browser,
        PHONE,
        geolocation={"latitude": 30.01, "longitude": 104.015},
        permissions=["geolocation"],
    )
    _login(page, live_server.url, "resident", PASSWORD, "/home/report/")
    page.wait_for_selector('#place-answer[data-grid="M2"]')
    assert page.input_value("input[name=lat]") == "30.010000"
    assert page.input_value("input[name=lng]") == "104.015000"
    assert "锦丰1-2微网格" in page.inner_text("#place-answer")
    assert page.locator("#place-map path.fg-place-point").count() == 1
    assert errors == []


def test_a_long_household_list_narrows_as_one_types(
    browser: Any,  # noqa: F811
    live_server: Any,
    net: Net,
    worker: User,
) -> None:
    for building in (1, 2, 15):
        for room in ("101", "201", "1001"):
            household_create(address=f"锦丰新城{building}栋1单元{room}号", lat=30.01, lng=104.005)
    page, errors = _page(browser, DESK)
    _login(page, live_server.url, "worker", PASSWORD, "/cases/new/")
    page.fill("#household-search", "15栋")
    shown = page.eval_on_selector_all(
        "select[name=household] option[value]:not([value='']):not([hidden])",
        "options => options.map(o => o.textContent)",
    )
    assert shown == ["锦丰新城15栋1单元101号", "锦丰新城15栋1单元201号", "锦丰新城15栋1单元1001号"]
    page.fill("#household-search", "2栋 201")
    shown = page.eval_on_selector_all(
        "select[name=household] option[value]:not([value='']):not([hidden])",
        "options => options.map(o => o.textContent)",
    )
    assert shown == ["锦丰新城2栋1单元201号"]
    assert errors == []
