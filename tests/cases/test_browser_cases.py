"""Done when: in a real headless Chromium, a worker reports from a phone-sized page, the grid head
accepts and dispatches, a department is whistled, reports in and resolves, the reporter gives
feedback, the case closes — and the case page's trace shows every step."""

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
from finegrid.cases.models import Case, Department, Status
from tests.axe import serious_violations
from tests.cases.helpers import department_user, staff_net
from tests.conftest import PASSWORD, Net

# Playwright's sync API runs an event loop in this thread; the live server and the ORM calls
# here are ordinary synchronous code, which Django would otherwise refuse in that context.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
# Set FINEGRID_SCREENSHOTS to a folder to keep a screenshot of each step, at 375 and 1280 px.
SHOTS = os.environ.get("FINEGRID_SCREENSHOTS", "")
PHONE = {"width": 375, "height": 740}
DESK = {"width": 1280, "height": 860}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def taxonomy_rows(transactional_db: None) -> None:
    # A transactional test database is flushed between tests, data migrations included.
    taxonomy.load(apps, None)


def _page(browser: Any, viewport: dict[str, int], **kw: Any) -> tuple[Any, list[str]]:
    context = browser.new_context(viewport=viewport, locale="zh-CN", **kw)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page, errors


def _login(page: Any, base: str, username: str, password: str, then: str) -> None:
    page.goto(f"{base}/accounts/login/?next={then}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"{base}{then}")


def _act(page: Any, action: str, fill: dict[str, str] | None = None) -> None:
    item = page.locator(f'details.fg-act-item[data-action="{action}"]')
    item.locator("summary").click()
    for selector, value in (fill or {}).items():
        field = item.locator(selector)
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    item.locator("button[type=submit]").click()


def _shot(page: Any, name: str) -> None:
    # every page a step lands on is checked for accessibility (axe-core, serious and worse)
    assert serious_violations(page) == [], name
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_a_case_goes_round_the_loop_in_the_browser(
    browser: Any,
    live_server: Any,
    taxonomy_rows: None,
    net: Net,
    worker: User,
    gridhead: User,
) -> None:
    base = live_server.url
    staff_net(net, worker, gridhead)
    dept = department_user(net.street)
    dept.set_password(PASSWORD)
    dept.save()

    # 1. the micro-grid worker reports from a phone, with the phone's position
    phone, phone_errors = _page(
        browser,
        PHONE,
        geolocation={"latitude": 30.01, "longitude": 104.005},
        permissions=["geolocation"],
        has_touch=True,
        is_mobile=True,
    )
    _login(phone, base, "worker", PASSWORD, "/cases/new/")
    phone.select_option("select[name=category]", "sanitation")
    phone.fill("textarea[name=description]", "3栋楼道堆放杂物，堵塞消防通道")
    phone.click("#use-location")
    phone.wait_for_function("document.querySelector('input[name=lat]').value !== ''")
    _shot(phone, "01-report-375")
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= 375
    phone.click("#send")
    phone.wait_for_url(f"{base}/cases/*/")
    case = Case.objects.get()
    assert (case.micro_grid, case.reporter) == (net.m1, worker)
    assert case.number in phone.inner_text(".fg-messages")
    assert case.follow_code in phone.inner_text(".fg-messages")
    _shot(phone, "02-reported-375")
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= 375
    phone.goto(f"{base}/cases/mine/")
    phone.wait_for_selector(f'.fg-task[data-number="{case.number}"]')
    _shot(phone, "03-my-tasks-375")
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= 375

    # 2. the grid head, at a desk, accepts, dispatches and whistles the city management team
    desk, desk_errors = _page(browser, DESK)
    _login(desk, base, "gridhead", PASSWORD, "/cases/")
    desk.wait_for_selector(f'tr[data-number="{case.number}"]')
    _shot(desk, "04-queue-1280")
    desk.click(f'tr[data-number="{case.number}"] a')
    desk.wait_for_url(f"{base}/cases/{case.pk}/")
    _act(desk, "accept", {"select[name=track]": "now"})
    desk.wait_for_selector('#case-main[data-status="accepted"]')
    _act(desk, "dispatch", {"select[name=assignee]": str(worker.pk)})
    desk.wait_for_selector('#case-main[data-status="dispatched"]')
    chengguan = str(Department.objects.get(code="chengguan").pk)
    _act(
        desk, "whistle", {"select[name=department]": chengguan, "textarea[name=note]": "需城管执法"}
    )
    desk.wait_for_selector('#trace li[data-action="whistle"]')

    # 3. the department reports in and resolves in its own workspace
    dpage, dept_errors = _page(browser, DESK)
    _login(dpage, base, "cg", PASSWORD, "/cases/department/")
    dpage.wait_for_selector(f'tr[data-number="{case.number}"]')
    _shot(dpage, "05-department-1280")
    dpage.click(f'tr[data-number="{case.number}"] a')
    _act(dpage, "report_in", {"textarea[name=note]": "已到场"})
    dpage.wait_for_selector('#case-main[data-status="in_progress"]')
    _act(dpage, "dept_resolve", {"textarea[name=note]": "杂物已清运"})
    dpage.wait_for_selector('#case-main[data-status="awaiting_feedback"]')

    # 4. the reporter follows the link, with no login, and is satisfied
    public, public_errors = _page(browser, PHONE)
    public.goto(f"{base}/track/{case.follow_code}/")
    _shot(public, "06-track-375")
    public.click("#feedback label.fg-tile >> nth=0")
    public.click("#feedback button[type=submit]")
    public.wait_for_selector("#feedback", state="detached")
    assert public.evaluate("document.scrollingElement.scrollWidth") <= 375
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.satisfaction == "satisfied"

    # 5. the trace shows every step, on the desk and on the phone
    desk.goto(f"{base}/cases/{case.pk}/")
    steps = desk.eval_on_selector_all("#trace li", "els => els.map(e => e.dataset.action)")
    assert steps == [
        "report",
        "accept",
        "dispatch",
        "whistle",
        "report_in",
        "resolve",
        "request_feedback",
        "feedback",
        "close",
    ]
    _shot(desk, "07-case-closed-1280")
    phone.goto(f"{base}/cases/{case.pk}/")
    _shot(phone, "08-case-closed-375")
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= 375
    assert phone_errors == desk_errors == dept_errors == public_errors == []
