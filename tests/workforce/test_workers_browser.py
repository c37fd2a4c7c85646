"""In a real headless Chromium (Debian's) at 1280 px: a community official finds a worker in
their grid's list, suspends them with a reason and reinstates them; the history shows both."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from finegrid.accounts.models import Role, RoleAssignment, User
from finegrid.workforce.models import Worker, WorkerEvent, WorkerStatus
from tests.conftest import make_net
from tests.workforce.helpers_workers import profile

# Playwright's sync API runs an event loop in this thread; see tests/test_browser.py.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
PASSWORD = "finegrid-demo"
# Set FINEGRID_SCREENSHOTS to a folder to keep a screenshot of each step.
SHOTS = os.environ.get("FINEGRID_SCREENSHOTS", "")


def _shot(page: Any, name: str) -> None:
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(Path(SHOTS) / f"workers-{name}.png"), full_page=True)


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
def staffed(transactional_db: None, settings: Any) -> Worker:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    net = make_net()
    official = _user("official", "胡晓梅", Role.COMMUNITY_OFFICIAL, net.c1)
    worker = _user("worker", "蔡如欣", Role.MICRO_WORKER, net.m1)
    return profile(worker, net.m1, actor=official)


def test_a_community_official_suspends_and_reinstates_a_worker(
    browser: Any, live_server: Any, staffed: Worker
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "official")
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"{base}/map/")

    page.goto(f"{base}/workforce/workers/?grid=G1")
    assert "锦丰第1网格" in page.locator("h1").inner_text()
    _shot(page, "list")
    page.click("#workers a:has-text('蔡如欣')")
    page.wait_for_url(f"{base}/workforce/workers/{staffed.pk}/")

    page.fill("#worker-moves input[name=reason]", "连续三次巡查未到岗")
    page.click("button[data-move=suspended]")
    page.wait_for_selector('#worker[data-status="suspended"]')
    assert "连续三次巡查未到岗" in page.locator("#worker-events").inner_text()
    _shot(page, "suspended")

    page.fill("#worker-moves input[name=reason]", "")
    page.click("button[data-move=active]")  # refused without a reason, beside the field
    page.wait_for_selector("#worker-moves .fg-field-error")
    assert Worker.objects.get(pk=staffed.pk).status == WorkerStatus.SUSPENDED

    page.fill("#worker-moves input[name=reason]", "已整改，恢复上岗")
    page.click("button[data-move=active]")
    page.wait_for_selector('#worker[data-status="active"]')
    _shot(page, "reinstated")
    assert page.locator("#worker-events li").count() == 6
    assert not errors
    w = Worker.objects.get(pk=staffed.pk)
    assert w.status == WorkerStatus.ACTIVE
    assert list(WorkerEvent.objects.filter(worker=w).values_list("reason", flat=True))[-2:] == [
        "连续三次巡查未到岗",
        "已整改，恢复上岗",
    ]
    context.close()
