"""Done when: in a real headless Chromium, a worker reads the notification of a case dispatched
to them — the badge shows 1 without a reload, they open the inbox, click through to the case,
and the badge drops to 0."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps

from finegrid.accounts.models import User
from finegrid.cases import taxonomy
from finegrid.notifications.models import Notification
from tests.axe import serious_violations
from tests.conftest import PASSWORD, Net
from tests.notifications.helpers import dispatched_to

# Playwright's sync API runs an event loop in this thread; the live server and the ORM calls
# here are ordinary synchronous code, which Django would otherwise refuse in that context.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
PHONE = {"width": 375, "height": 740}
# Set FINEGRID_SCREENSHOTS to a folder to keep a screenshot of each step.
SHOTS = os.environ.get("FINEGRID_SCREENSHOTS", "")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def _shot(page: Any, name: str) -> None:
    # every page a step lands on is checked for accessibility (axe-core, serious and worse)
    assert serious_violations(page) == [], name
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


@pytest.fixture
def taxonomy_rows(transactional_db: None) -> None:
    # A transactional test database is flushed between tests, data migrations included.
    taxonomy.load(apps, None)


def test_a_worker_reads_the_notice_of_a_case_dispatched_to_them(
    browser: Any,
    live_server: Any,
    taxonomy_rows: None,
    net: Net,
    worker: User,
    gridhead: User,
    settings: Any,
) -> None:
    settings.INBOX_POLL_SECONDS = 1  # the page polls every 20 s; the test need not wait so long
    base = live_server.url
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/accounts/login/?next=/cases/mine/")
    page.fill("input[name=username]", "worker")
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"{base}/cases/mine/")
    page.wait_for_selector('#fg-inbox[data-unread="0"]')
    page.evaluate("window.fgSamePage = true")  # gone if the page reloads

    # the grid head dispatches a case to the worker while the page stays open
    case = dispatched_to(worker, gridhead)
    badge = page.wait_for_selector('#fg-inbox[data-unread="1"]', timeout=10_000)
    assert badge is not None and badge.is_visible()  # on a phone too, outside the folded menu
    assert page.inner_text("#fg-inbox .fg-count") == "1"
    assert page.evaluate("window.fgSamePage") is True  # no reload: the badge came by polling
    _shot(page, "inbox-01-badge-375")

    page.click("#fg-inbox")
    page.wait_for_url(f"{base}/notifications/")
    notice = Notification.objects.get(user=worker)
    row = page.locator(f'#notification-{notice.pk}[data-read="0"]')
    assert case.number in row.inner_text()
    _shot(page, "inbox-02-inbox-375")
    row.locator("a.fg-note-title").click()
    page.wait_for_url(f"{base}/cases/{case.pk}/")
    page.wait_for_selector('#fg-inbox[data-unread="0"]')
    assert page.locator("#fg-inbox .fg-count").count() == 0
    _shot(page, "inbox-03-case-375")
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
    page.set_viewport_size({"width": 1280, "height": 800})
    assert page.is_visible("#fg-inbox")
    _shot(page, "inbox-04-case-1280")
    assert errors == []
    context.close()


def test_the_open_inbox_shows_a_new_notice_and_marks_it_read_in_place(
    browser: Any,
    live_server: Any,
    taxonomy_rows: None,
    net: Net,
    worker: User,
    gridhead: User,
    settings: Any,
) -> None:
    settings.INBOX_POLL_SECONDS = 1
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/accounts/login/?next=/notifications/")
    page.fill("input[name=username]", "worker")
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"{base}/notifications/")
    page.wait_for_selector("#notifications-empty")
    page.evaluate("window.fgSamePage = true")

    case = dispatched_to(worker, gridhead)
    notice = Notification.objects.get(user=worker)
    row = page.wait_for_selector(f'#notification-{notice.pk}[data-read="0"]', timeout=10_000)
    assert row is not None and case.number in row.inner_text()
    assert page.evaluate("window.fgSamePage") is True  # the list was redrawn, not reloaded
    page.click(f"#notification-{notice.pk} button[type=submit]")
    page.wait_for_selector(f'#notification-{notice.pk}[data-read="1"]')
    page.wait_for_selector('#fg-inbox[data-unread="0"]')
    assert page.inner_text("#inbox-unread") == "0 条未读"
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert errors == []
    context.close()
