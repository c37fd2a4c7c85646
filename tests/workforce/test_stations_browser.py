"""The roster page in a real headless Chromium at 1280 px: the month's turns, a shift moved
outside the opening hours refused beside it (htmx), then moved within them."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from finegrid.workforce.models import Shift, ShiftKind
from finegrid.workforce.services_stations import station_roster_generate
from tests.conftest import PASSWORD
from tests.test_browser import ARGS, CHROMIUM, _page
from tests.workforce.helpers_stations import at, family_doctor, make_station, two_heads

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
SHOTS = Path(tempfile.gettempdir())


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.mark.django_db(transaction=True)
def test_the_official_edits_the_roster_at_1280_px(
    browser: Any,
    live_server: Any,
    net: Any,
    official: Any,
    gridhead: Any,  # noqa: F811
) -> None:
    two_heads(net, gridhead)
    station = make_station(net.c1)
    family_doctor(station)
    today = dt.date.today()
    station_roster_generate(actor=official, station=station, year=today.year, month=today.month)
    # next month too, so the page is full whatever the day the test runs
    nxt = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    station_roster_generate(actor=official, station=station, year=nxt.year, month=nxt.month)
    shift = (
        Shift.objects.filter(
            station=station,
            kind=ShiftKind.STATION_DUTY,
            starts_at__year=nxt.year,
            starts_at__month=nxt.month,
        )
        .order_by("starts_at")
        .first()
    )
    assert shift is not None

    page, errors = _page(browser, 1280, 900)
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "official")
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state("networkidle")
    page.goto(f"{base}/workforce/stations/{station.pk}/roster/?month={nxt:%Y-%m}")
    page.wait_for_selector("#roster")
    assert "值班表" in page.inner_text("h1")
    assert "张志强" in page.inner_text("#roster") or "王芳" in page.inner_text("#roster")
    row = page.locator(f"#shift-{shift.pk}")
    row.locator("input[name=start]").fill("07:00")
    row.locator("button[type=submit]").click()
    page.wait_for_selector(f"#shift-{shift.pk} .fg-error")
    assert "开放时间" in page.inner_text(f"#shift-{shift.pk}")
    page.screenshot(path=SHOTS / "stations-roster-refused.png", full_page=False)
    shift.refresh_from_db()
    assert shift.starts_at.astimezone(at(today, 0).tzinfo).hour == 9
    row = page.locator(f"#shift-{shift.pk}")
    row.locator("input[name=start]").fill("13:00")
    row.locator("button[type=submit]").click()
    page.wait_for_selector(f"#shift-{shift.pk}.fg-saved")
    shift.refresh_from_db()
    assert shift.starts_at.astimezone(at(today, 0).tzinfo).hour == 13
    page.screenshot(path=SHOTS / "stations-roster.png", full_page=False)
    assert not errors, errors
