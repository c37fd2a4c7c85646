"""In a real headless Chromium (Debian's): the street leader staffs a micro-grid and the public
board shows the new worker at once."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from finegrid.accounts.models import Role, RoleAssignment, User
from finegrid.grids import services
from finegrid.grids.models import Duty, Responsibility
from tests.conftest import make_net

# Playwright's sync API runs an event loop in this thread; see tests/test_browser.py.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
PASSWORD = "finegrid-demo"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def _user(username: str, name: str, role: str, grid: Any) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, display_name=name, phone="13800000000"
    )
    RoleAssignment.objects.create(user=user, role=role, grid=grid)
    return user


@pytest.fixture
def staffed(transactional_db: None, settings: Any) -> Any:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    net = make_net()
    _user("leader", "李建国", Role.STREET_LEADER, net.street)
    worker = _user("worker", "蔡如欣", Role.MICRO_WORKER, net.m1)
    services.responsibility_assign(person=worker, duty=Duty.MICRO_WORKER, grid=net.m1)
    _user("recruit", "李长明", Role.RESIDENT, net.m1)
    return net


def test_the_street_leader_assigns_a_micro_grid_worker_and_the_board_shows_them(
    browser: Any, live_server: Any, staffed: Any
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "leader")
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"{base}/map/")

    # from the grid's public board to its staffing page
    page.goto(f"{base}/board/M1/")
    page.click("#board-staffing")
    page.wait_for_url(f"{base}/grids/M1/staffing/")
    section = page.locator("#duty-micro_worker")
    assert "蔡如欣" in section.inner_text()
    section.locator('details[data-action="assign"] > summary').click()
    picker = section.locator('details[data-action="assign"] input[name=person]')
    picker.fill("李长")  # the picker offers the jurisdiction's people matching what is typed
    page.wait_for_function(
        """() => document.querySelector('#staffing-people option[value="recruit"]')
              && !document.querySelector('#staffing-people option[value="worker"]')"""
    )
    picker.fill("recruit")
    section.locator('details[data-action="assign"] button[type=submit]').click()
    page.locator('#duty-micro_worker li[data-holder="recruit"]').wait_for()
    assert "职责已任命" in page.inner_text("#staffing-notice")
    assert set(
        Responsibility.objects.current()
        .filter(grid=staffed.m1, duty=Duty.MICRO_WORKER)
        .values_list("person__username", flat=True)
    ) == {"worker", "recruit"}

    page.goto(f"{base}/board/M1/")
    assert "李长明" in page.inner_text("#grid-board")
    assert errors == []
    context.close()
