"""Done when: in a real headless Chromium at phone size, a worker opens a printed code's URL,
checks in with the phone's position, and the check-in shows on the grid head's page."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from finegrid.accounts.models import Role, RoleAssignment, User
from finegrid.workforce.models import Checkin
from tests.conftest import PASSWORD, make_net
from tests.test_browser import ARGS, CHROMIUM
from tests.workforce.helpers_checkins import M1_CENTRE, serve

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
PHONE = {"width": 375, "height": 740}
# screenshots to look at after a run (the brief's /tmp/<helper>-*.png)
SHOTS = "/tmp"  # noqa: S108


def _shot(name: str) -> str:
    return f"{SHOTS}/checkins-{name}.png"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def _person(username: str, role: str, grid: Any, name: str) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, display_name=name)
    RoleAssignment.objects.create(user=user, role=role, grid=grid)
    return user


def _context(browser: Any, **extra: Any) -> tuple[Any, Any, list[str]]:
    context = browser.new_context(viewport=PHONE, locale="zh-CN", **extra)
    # the machine running the suite may be busy: a slow answer is not a failure here
    context.set_default_timeout(90_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return context, page, errors


def _log_in(page: Any, username: str) -> None:
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")


def test_a_worker_checks_in_at_a_printed_code_and_the_grid_head_sees_it(
    browser: Any, live_server: Any, transactional_db: None, settings: Any
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    net = make_net()
    _person("gridhead", Role.GRID_HEAD, net.g1, "张志强")
    worker = _person("worker", Role.MICRO_WORKER, net.m1, "蔡如欣")
    serve(worker, net.m1)
    base = live_server.url

    # the grid head prints the sheet of the grid's micro-grids
    head_context, head_page, head_errors = _context(browser)
    head_page.goto(f"{base}/workforce/codes/print?grid=G1&kind=micro")
    _log_in(head_page, "gridhead")
    card = head_page.locator("figure.card", has_text=net.m1.name)
    card.wait_for()
    head_page.screenshot(path=_shot("print"), full_page=True)
    printed = card.locator("code.payload").inner_text().strip()
    assert card.locator("svg").count() == 1

    # the worker's phone, with location allowed, 300 m north of the micro-grid's centre
    position = {"latitude": M1_CENTRE[0] + 300 / 111_320, "longitude": M1_CENTRE[1]}
    context, page, errors = _context(browser, geolocation=position, permissions=["geolocation"])
    page.goto(f"{base}/workforce/c/{printed}")
    _log_in(page, "worker")
    page.wait_for_url(f"**/workforce/c/{printed}")
    button = page.locator("#checkin-submit")
    page.wait_for_function("() => !document.getElementById('checkin-submit').disabled")
    assert net.m1.name in page.inner_text("#checkin-place")
    page.screenshot(path=_shot("phone-before"), full_page=True)
    button.click()
    result = page.locator("#checkin-result")
    result.wait_for()
    page.screenshot(path=_shot("phone-result"), full_page=True)
    assert "300 米" in page.inner_text("#checkin-distance") or "299 米" in page.inner_text(
        "#checkin-distance"
    )
    assert "距点位过远" in page.inner_text("#checkin-flag")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    checkin = Checkin.objects.get()
    assert (checkin.worker.user, checkin.flagged) == (worker, True)
    assert abs(checkin.lat - position["latitude"]) < 1e-5

    # the grid head's page shows it, marked
    head_page.goto(f"{base}/workforce/checkins/?grid=G1")
    row = head_page.locator(f"#checkin-{checkin.pk}")
    row.wait_for()
    assert "蔡如欣" in row.inner_text()
    assert row.locator("mark.fg-flag").count() == 1
    assert head_page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    head_page.screenshot(path=_shot("head"), full_page=True)
    assert errors == [] and head_errors == []
    context.close()
    head_context.close()
