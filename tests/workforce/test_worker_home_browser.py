"""In a real headless Chromium at phone size: the worker logs in, lands on today's work, and sees
the case assigned to them with its clock; the map is one tap away."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps

from finegrid.accounts.models import User
from finegrid.cases import taxonomy
from finegrid.notifications.services import notify
from tests.conftest import PASSWORD, Net
from tests.workforce.helpers_dutylists import import_for
from tests.workforce.helpers_home import assigned_case, checked_in, shift_ahead

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
# the screenshot to look at (FINEGRID_SCREENSHOTS names another folder)
SHOT = os.path.join(os.environ.get("FINEGRID_SCREENSHOTS", "/tmp"), "dutylists-home-375.png")  # noqa: S108


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def taxonomy_rows(transactional_db: None) -> None:
    # a transactional test database is flushed between tests, data migrations included
    taxonomy.load(apps, None)


def test_the_worker_lands_on_today_s_work_on_a_phone(
    browser: Any, live_server: Any, taxonomy_rows: None, net: Net, worker: User, gridhead: User
) -> None:
    import_for(net.street)
    case = assigned_case(net, worker, gridhead, category="sanitation")
    shift_ahead(worker, net.g1)
    checked_in(worker, net.m1)
    notify(users=[worker], kind="test", title="明天上午九点网格例会")
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "worker")
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"{base}/workforce/home/")
    card = page.locator(f'#home-tasks li[data-number="{case.number}"]')
    assert card.is_visible()
    assert "还剩" in card.locator("[data-clock]").inner_text()
    assert page.inner_text("h1") == "今日工作"
    # usable on a phone: nothing wider than the screen
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
    page.screenshot(path=SHOT, full_page=True)
    # the case opens in one tap, and says which duty-list task makes it the grid's
    card.locator("a").click()
    page.wait_for_url(f"{base}/cases/{case.pk}/")
    assert "巡查楼道堆放杂物" in page.inner_text("#case-route")
    page.go_back()
    page.click("#home-map")
    page.wait_for_url(f"{base}/map/")
    assert errors == []


def test_a_worker_reads_the_duty_lists_on_a_phone(
    browser: Any, live_server: Any, taxonomy_rows: None, net: Net, worker: User
) -> None:
    import_for(net.street)
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN")
    context.add_cookies(_session_cookie(worker, live_server.url))
    page = context.new_page()
    page.goto(f"{live_server.url}/workforce/duties/?grid=M1")
    page.click('details[data-kind="inspection"] > summary')
    assert "巡查楼道堆放杂物" in page.inner_text('details[data-kind="inspection"]')
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
    page.screenshot(path=SHOT.replace("home", "duties"), full_page=True)


def _session_cookie(user: User, base: str) -> list[dict[str, Any]]:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}]
