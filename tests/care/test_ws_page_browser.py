"""The alert page in a real headless Chromium against a real ``finegrid serve``: two micro-grid
workers are alerted of one press; an alert sent again (the outbox sends at least once) is still
one alert; the first to take it walks it to the end, and the other is told it is taken."""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.care import servers

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
WAIT = 20_000  # ms; bounds a broken run only
# where 刘芳 stands when she arrives (inside M1)
HERE = {"latitude": 30.01, "longitude": 104.005, "accuracy": 15}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (make system)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def _page(browser: Any, base: str, username: str, password: str) -> tuple[Any, list[str]]:
    context = browser.new_context(
        viewport={"width": 390, "height": 800},
        locale="zh-CN",
        geolocation=HERE,
        permissions=["geolocation"],
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/accounts/login/?next=/care/alerts/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"{base}/care/alerts/")
    page.wait_for_selector("#alerts-connection[data-state=connected]", timeout=WAIT)
    return page, errors


def _heard(page: Any) -> int:
    return int(page.get_attribute("#alerts-connection", "data-heard") or 0)


def _send_again(env: dict[str, str], call_id: int, user_id: int) -> None:
    """Put the page's alert row back in the outbox, as a server killed after sending it (and
    before recording that) leaves it: the outbox sends it again."""
    code = (
        "from django.utils import timezone; from finegrid.care.models import Outbound; "
        f"Outbound.objects.filter(call_id={call_id}, user_id={user_id}, channel='ws')"
        ".update(status='pending', due_at=timezone.now())"
    )
    subprocess.run(  # noqa: S603 (our own CLI)
        [servers.FINEGRID, "shell", "-c", code],
        env=env,
        check=True,
        capture_output=True,
        cwd=servers.ROOT,
    )


def test_two_workers_are_alerted_once_and_the_first_to_take_it_closes_it(
    tmp_path: Path, browser: Any
) -> None:
    with servers.database(tmp_path, "page") as env:
        env.pop("FINEGRID_REDIS_URL", None)  # one server: the in-memory layer
        made = servers.setup(env, "--pair")
        with servers.servers(env, tmp_path, 1) as (server,):
            cai, cai_errors = _page(browser, server.base, "worker", made["password"])
            liu, liu_errors = _page(browser, server.base, "worker2", made["password"])
            assert cai.is_visible("#alerts-none")
            cai.click("#alerts-enable-btn")
            assert cai.is_visible("#alerts-enabled") and cai.is_hidden("#alerts-enable")

            status, call = server.post(
                "/api/v1/care/emergency-calls",
                {},
                {"X-Device-Key": made["key"], "Idempotency-Key": uuid.uuid4().hex},
            )
            assert status == 201, call
            card = f'#alerts-ringing [data-call="{call["id"]}"]'
            for page in (cai, liu):
                page.wait_for_selector(card, timeout=WAIT)
                assert page.is_visible("#alerts-overlay")
                assert "陈大爷" in page.inner_text(card)
                assert "我来处理" in page.inner_text(card)

            # the same alert again: still one
            before = _heard(cai)
            _send_again(env, call["id"], made["worker"]["id"])
            cai.wait_for_function(
                f"() => +document.querySelector('#alerts-connection').dataset.heard > {before}",
                timeout=WAIT,
            )
            assert cai.locator(card).count() == 1
            # and after a reload (the greeting sends it again)
            cai.reload()
            cai.wait_for_selector(card, timeout=WAIT)
            assert cai.locator("[data-call]").count() == 1

            liu.click(f"{card} button")
            mine = f'#alerts-mine [data-call="{call["id"]}"]'
            liu.wait_for_selector(mine, timeout=WAIT)
            assert liu.is_hidden("#alerts-overlay")
            # 蔡如欣 is told who took it, and her screen stops alerting
            note = f'#alerts-notes [data-call="{call["id"]}"]'
            cai.wait_for_selector(note, timeout=WAIT)
            assert "已由刘芳接单" in cai.inner_text(note)
            assert cai.is_hidden("#alerts-overlay")
            cai.click(f"{note} button")
            cai.wait_for_selector(note, state="detached", timeout=WAIT)
            assert cai.is_visible("#alerts-none")

            liu.click(f"{mine} button:has-text('我已出发')")
            liu.wait_for_selector(f'{mine}[data-status="on_way"]', timeout=WAIT)
            liu.click(f"{mine} button:has-text('我已到达')")
            liu.wait_for_selector(f'{mine}[data-status="arrived"]', timeout=WAIT)
            liu.click(f"{mine} button:has-text('结束呼叫')")
            liu.check("#alerts-outcomes input[value=helped]")
            liu.fill("#alerts-close-form textarea[name=note]", "已协助老人服药")
            liu.click("#alerts-close-form button[value=close]")
            liu.wait_for_selector(mine, state="detached", timeout=WAIT)
            assert liu.is_visible("#alerts-none")
            assert cai.locator("[data-call]").count() == 0

            # the call as the API tells it to 刘芳
            read = urllib.request.Request(  # noqa: S310 (loopback)
                f"{server.base}/api/v1/care/emergency-calls/{call['id']}",
                headers={"Authorization": f"Bearer {made['worker2']['token']}"},
            )
            with urllib.request.urlopen(read, timeout=30) as answer:  # noqa: S310
                done = json.loads(answer.read())
            assert done["status"] == "closed" and done["outcome"] == "helped"
            assert done["acknowledged_by"]["id"] == made["worker2"]["id"]
            assert done["arrival"]["lat"] == HERE["latitude"]
            [closed] = [e for e in done["events"] if e["kind"] == "closed"]
            assert closed["data"] == {"outcome": "helped", "note": "已协助老人服药"}
            assert cai_errors == [] and liu_errors == []
