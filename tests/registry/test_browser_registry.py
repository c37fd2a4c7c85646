"""The registry's main flow on a phone, in a real headless Chromium (Debian's)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from finegrid.accounts.models import Role, RoleAssignment, User
from finegrid.core.models import AuditAction, AuditEvent
from finegrid.grids import services as grid_services
from finegrid.grids.models import Duty
from tests.conftest import make_net
from tests.registry.helpers import home_in, make_id, register

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


@pytest.fixture
def family(transactional_db: None, settings: Any) -> dict[str, Any]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    micro = make_net().m1
    admin = User.objects.create_superuser(username="root", password=PASSWORD)
    worker = User.objects.create_user(
        username="worker", password=PASSWORD, display_name="蔡如欣", phone="13800000000"
    )
    RoleAssignment.objects.create(user=worker, role=Role.MICRO_WORKER, grid=micro)
    grid_services.responsibility_assign(person=worker, duty=Duty.MICRO_WORKER, grid=micro)
    home = home_in(micro, "锦丰新城1栋1单元101")
    zhang = register(admin, home, "张三", id_number=make_id(), phone="13912345678", relation="head")
    register(admin, home, "王芳", relation="spouse")
    return {"zhang": zhang, "home": home}


def test_a_worker_finds_a_person_by_initials_and_shows_the_phone_with_a_reason(
    browser: Any, live_server: Any, family: dict[str, Any]
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    base = live_server.url
    page.goto(f"{base}/accounts/login/?next=/registry/people/")
    page.fill("input[name=username]", "worker")
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"{base}/registry/people/")

    page.locator("#q").press_sequentially("zs", delay=50)  # live search, no submit
    page.wait_for_selector('#people-list [data-person] a:has-text("张三")')
    assert "139****5678" in page.inner_text("#people-list")
    page.click('#people-list a:has-text("张三")')
    page.wait_for_selector("#person-facts")
    assert "13912345678" not in page.content()

    page.click('[data-unmask="phone"]')
    page.wait_for_selector("#pii-phone input[name=reason]")
    page.click("#pii-phone button[type=submit]")  # no reason yet
    page.wait_for_selector("#pii-phone .fg-field-error")
    assert not AuditEvent.objects.filter(action=AuditAction.UNMASK).exists()
    page.fill("#pii-phone input[name=reason]", "上门走访前电话联系")
    page.click("#pii-phone button[type=submit]")
    page.wait_for_selector('[data-unmasked="phone"]')
    assert page.inner_text('[data-unmasked="phone"]') == "13912345678"
    assert AuditEvent.objects.get(action=AuditAction.UNMASK).reason == "上门走访前电话联系"
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 375

    page.click(f'a[href="/registry/households/{family["home"].pk}/"] >> nth=0')
    page.wait_for_selector("#members")
    members = page.inner_text("#members")
    assert "张三" in members and "王芳" in members
    assert "蔡如欣" in page.inner_text("#household-worker")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
    assert errors == []
    context.close()
