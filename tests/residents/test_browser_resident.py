"""Done when: in a real headless Chromium a resident logs in to their home and reports with a
map — a tap places the point, the report appears under My reports, and the database holds the
case with the source "resident" in the micro-grid of the tapped point."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from shapely.geometry import shape

from finegrid.accounts.models import User
from finegrid.cases.models import Case, Source
from finegrid.registry.models import Person
from tests.test_browser import _page, browser, street  # noqa: F401 (fixtures)

# Set FINEGRID_SCREENSHOTS to a folder to keep a screenshot of each step.
SHOTS = os.environ.get("FINEGRID_SCREENSHOTS", "")


def _shot(page: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _pixel(page: Any, grid: Any, lat: float, lng: float) -> tuple[float, float]:
    """Where a point of ``grid`` is on screen, from the outline's box on the picker map (a
    micro-grid is small enough for the projection to be linear across it)."""
    box = page.locator("#place-map .leaflet-overlay-pane path").first.bounding_box()
    x = box["x"] + (lng - grid.min_lng) / (grid.max_lng - grid.min_lng) * box["width"]
    y = box["y"] + (grid.max_lat - lat) / (grid.max_lat - grid.min_lat) * box["height"]
    return x, y


def test_a_resident_reports_with_a_map_from_their_home(
    browser: Any,  # noqa: F811
    live_server: Any,
    street: None,  # noqa: F811
) -> None:
    base = live_server.url
    page, errors = _page(browser, 375, 740)
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "resident")
    page.fill("input[name=password]", "finegrid-demo")
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"{base}/home/")
    resident = User.objects.get(username="resident")
    home = Person.objects.select_related("household__micro_grid").get(user=resident).household
    assert home is not None
    micro = home.micro_grid
    assert micro.name in page.inner_text("#my-grid")
    assert home.address in page.inner_text("#my-grid")
    assert page.locator("#my-workers li").count() >= 1
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
    _shot(page, "resident-01-home-375")

    page.click("#report-problem")
    page.wait_for_url(f"{base}/home/report/")
    page.wait_for_selector('#place-map[data-ready="true"]')
    assert page.locator("select[name=source]").count() == 0
    page.select_option("select[name=category]", "sanitation")
    page.fill("textarea[name=description]", "单元门口垃圾桶满溢，无人清运")
    point = shape(micro.boundary).representative_point()
    page.mouse.click(*_pixel(page, micro, point.y, point.x))
    page.wait_for_selector(f'#place-answer[data-grid="{micro.code}"]')
    assert micro.name in page.inner_text("#place-answer")
    lat = float(page.input_value("input[name=lat]"))
    lng = float(page.input_value("input[name=lng]"))
    assert abs(lat - point.y) < 1e-4 and abs(lng - point.x) < 1e-4
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
    _shot(page, "resident-02-report-375")

    page.click("#send")
    page.wait_for_url(f"{base}/home/")
    case = Case.objects.filter(reporter=resident).order_by("-id").first()
    assert case is not None and case.description == "单元门口垃圾桶满溢，无人清运"
    assert case.source == Source.RESIDENT
    assert case.micro_grid == micro
    assert abs(case.lat - lat) < 1e-6 and abs(case.lng - lng) < 1e-6  # type: ignore[operator]
    card = page.locator(f'#my-reports [data-number="{case.number}"]')
    assert case.follow_code in card.inner_text()
    assert case.follow_code in page.inner_text(".fg-messages")
    _shot(page, "resident-03-reported-375")
    assert errors == []
