"""The main flows in a real headless Chromium (Debian's, never a downloaded build)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command

from finegrid.grids.models import Grid, Level
from tests.axe import serious_violations

# Playwright's sync API runs an event loop in this thread; the test server and the ORM calls
# here are ordinary synchronous code, which Django would otherwise refuse in that context.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def street(transactional_db: None, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed", scale="small", seed=1)


def _page(browser: Any, width: int = 1280, height: int = 800) -> tuple[Any, list[str]]:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page, errors


def _login(page: Any, base: str, username: str, lands: str = "/map/") -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "finegrid-demo")
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"{base}{lands}")


def test_the_leader_drills_down_from_community_to_micro_grid(
    browser: Any, live_server: Any, street: None
) -> None:
    page, errors = _page(browser)
    _login(page, live_server.url, "leader")
    community = Grid.objects.get(level=Level.COMMUNITY)
    poly = page.locator(f'path.grid-poly[data-code="{community.code}"]')
    poly.wait_for()
    poly.click()
    page.wait_for_selector(f'#grid-card[data-code="{community.code}"]')
    assert community.name in page.inner_text("#grid-card")
    grid = (
        Grid.objects.filter(parent=community, level=Level.GRID, kind="regular")
        .order_by("code")
        .first()
    )
    assert grid is not None
    page.locator(f'path.grid-poly[data-code="{grid.code}"]').wait_for()
    n_grids = page.locator("path.grid-poly").count()
    assert n_grids == Grid.objects.filter(parent=community).count()
    page.locator(f'path.grid-poly[data-code="{grid.code}"]').click()
    page.wait_for_selector(f'#grid-card[data-code="{grid.code}"]')
    micro = Grid.objects.filter(parent=grid).order_by("code").first()
    assert micro is not None
    page.locator(f'path.grid-poly[data-code="{micro.code}"]').wait_for()
    assert grid.name in page.inner_text("#grid-crumbs")
    assert errors == []
    assert serious_violations(page) == []


def test_the_worker_sees_only_their_own_micro_grid(
    browser: Any, live_server: Any, street: None
) -> None:
    page, errors = _page(browser, 375, 740)
    # a worker lands on today's work; the map is one tap away
    _login(page, live_server.url, "worker", lands="/workforce/home/")
    page.click("#home-map")
    page.wait_for_url(f"{live_server.url}/map/")
    own = Grid.objects.get(assignments__user__username="worker")
    page.wait_for_selector(f'#grid-card[data-code="{own.code}"]')
    codes = page.eval_on_selector_all("path.grid-poly", "els => els.map(e => e.dataset.code)")
    assert codes == [own.code]
    assert errors == []
    neighbour = Grid.objects.filter(parent=own.parent, level=Level.MICRO).exclude(pk=own.pk).first()
    assert neighbour is not None
    status = page.evaluate(
        "code => fetch('/api/v1/grids/' + code, {credentials: 'same-origin'}).then(r => r.status)",
        neighbour.code,
    )
    assert status == 404
    # usable on a phone: nothing wider than the screen
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
    assert serious_violations(page) == []


def test_the_public_board_prints_its_people_and_qr_code(
    browser: Any, live_server: Any, street: None
) -> None:
    page, errors = _page(browser, 375, 740)
    micro = Grid.objects.filter(level=Level.MICRO, kind="regular").order_by("code").first()
    assert micro is not None
    page.goto(f"{live_server.url}/board/{micro.code}/")
    assert micro.name in page.inner_text("body")
    worker_name = micro.responsibilities.filter(duty="micro_worker").first().person.display_name  # type: ignore[union-attr]
    assert worker_name in page.inner_text("body")
    qr = page.locator(f'img[src$="/board/{micro.code}/qr.svg"]')
    qr.wait_for()
    assert page.evaluate("img => img.naturalWidth", qr.element_handle()) > 0
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
    assert serious_violations(page) == []
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    assert errors == []
