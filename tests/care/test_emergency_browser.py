"""Issue 11's whole path in a real headless Chromium against a real ``finegrid serve`` (with its
escalation sweep and outbox): 陈大爷 presses the big button on his phone, the micro-grid worker's
alert page rings, nobody answers, the grid head's page rings when the step's time is up, the grid
head takes it, sets off, arrives with the phone's position and closes it; 陈大爷's page follows;
the trace shows every step; a worker of the neighbouring micro-grid cannot read the call.

The community's chain is two 10-second steps; the grid head holds an extended shift, so the test
does not depend on the hour it runs at.
"""

from __future__ import annotations

import json
import os
import shutil
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.axe import serious_violations
from tests.care import servers

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
WAIT = 30_000  # ms; bounds a broken run only
STEP = 10  # seconds per step of the chain
HERE = {"latitude": 30.01, "longitude": 104.005, "accuracy": 12}
SHOTS = os.environ.get("FINEGRID_SCREENSHOTS", "/tmp")  # noqa: S108


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (make system)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def _login(browser: Any, base: str, username: str, password: str, then: str) -> tuple[Any, list]:
    context = browser.new_context(
        viewport={"width": 390, "height": 820},
        locale="zh-CN",
        geolocation=HERE,
        permissions=["geolocation"],
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/accounts/login/?next={then}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"{base}{then}")
    return page, errors


def _read(base: str, call_id: int, token: str) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(  # noqa: S310 (loopback)
        f"{base}/api/v1/care/emergency-calls/{call_id}",
        headers={"Authorization": f"Bearer {token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read() or b"{}")


def test_a_press_nobody_answers_reaches_the_grid_head_who_closes_it(
    tmp_path: Path, browser: Any
) -> None:
    with servers.database(tmp_path, "sos") as env:
        env.pop("FINEGRID_REDIS_URL", None)  # one server: the in-memory layer
        made = servers.setup(env, "--chain", str(STEP), "--head-shift", "--neighbour")
        with servers.servers(env, tmp_path, 1) as (server,):
            base = server.base
            worker, worker_errors = _login(
                browser, base, "worker", made["password"], "/care/alerts/"
            )
            head, head_errors = _login(browser, base, "gridhead", made["password"], "/care/alerts/")
            for page in (worker, head):
                page.wait_for_selector("#alerts-connection[data-state=connected]", timeout=WAIT)
                page.click("#alerts-enable-btn")
            elder, elder_errors = _login(browser, base, "chen", "x" * 12, "/care/button/")

            # 陈大爷: one press, a confirmation
            elder.click("#sos-press")
            elder.wait_for_selector("#sos-confirm:not([hidden])")
            assert "现在呼叫求助吗" in elder.inner_text("#sos-confirm")
            elder.click("#sos-yes")
            elder.wait_for_selector("#sos-status:not([hidden])", timeout=WAIT)
            status, listed = 0, []
            request = urllib.request.Request(  # noqa: S310 (loopback)
                f"{base}/api/v1/care/emergency-calls?status=all",
                headers={"Authorization": f"Bearer {made['gridhead']['token']}"},
            )
            with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
                status, listed = answer.status, json.loads(answer.read())
            assert status == 200 and len(listed) == 1
            call_id = listed[0]["id"]
            elder.screenshot(path=f"{SHOTS}/care-01-pressed-390.png", full_page=True)

            # the micro-grid worker's page rings; the grid head's does not yet
            card = f'#alerts-ringing [data-call="{call_id}"]'
            worker.wait_for_selector(card, timeout=WAIT)
            assert worker.is_visible("#alerts-overlay") and "陈大爷" in worker.inner_text(card)
            assert head.locator(card).count() == 0
            worker.screenshot(path=f"{SHOTS}/care-02-worker-alerted-390.png", full_page=True)

            # nobody answers: after the step's seconds the grid head's page rings
            head.wait_for_selector(card, timeout=WAIT)
            assert head.is_visible("#alerts-overlay")
            head.screenshot(path=f"{SHOTS}/care-03-gridhead-alerted-390.png", full_page=True)
            assert serious_violations(head) == []
            _status, detail = _read(base, call_id, made["gridhead"]["token"])
            assert [s["state"] for s in detail["steps"]] == ["started", "started"]
            assert detail["status"] == "alerting" and detail["step"] == 1

            # the grid head takes it to the end
            head.click(f"{card} button")
            mine = f'#alerts-mine [data-call="{call_id}"]'
            head.wait_for_selector(mine, timeout=WAIT)
            note = f'#alerts-notes [data-call="{call_id}"]'
            worker.wait_for_selector(note, timeout=WAIT)
            assert "张志强" in worker.inner_text(note) and worker.is_hidden("#alerts-overlay")
            elder.wait_for_function(
                "() => document.querySelector('#sos').dataset.status === 'acknowledged'",
                timeout=WAIT,
            )
            assert "张志强" in elder.inner_text("#sos-status")
            head.click(f"{mine} button:has-text('我已出发')")
            head.wait_for_selector(f'{mine}[data-status="on_way"]', timeout=WAIT)
            head.click(f"{mine} button:has-text('我已到达')")
            head.wait_for_selector(f'{mine}[data-status="arrived"]', timeout=WAIT)
            head.click(f"{mine} button:has-text('结束呼叫')")
            head.check("#alerts-outcomes input[value=hospital]")
            head.fill("#alerts-close-form textarea[name=note]", "送医，突发心梗")
            head.click("#alerts-close-form button[value=close]")
            head.wait_for_selector(mine, state="detached", timeout=WAIT)
            elder.wait_for_function(
                "() => document.querySelector('#sos').dataset.status === 'closed'", timeout=WAIT
            )

            # the trace shows every step
            head.goto(f"{base}/care/calls/{call_id}/")
            kinds = head.eval_on_selector_all(
                "#call-trace tr[data-kind]", "rows => rows.map(r => r.dataset.kind)"
            )
            assert kinds == [
                "pressed",
                "step",
                "step",
                "acknowledged",
                "on_way",
                "arrived",
                "closed",
            ]
            assert "已送医" in head.inner_text("#call-outcome")
            head.screenshot(path=f"{SHOTS}/care-04-trace-390.png", full_page=True)
            assert serious_violations(head) == []
            _status, done = _read(base, call_id, made["gridhead"]["token"])
            assert done["status"] == "closed" and done["outcome"] == "hospital"
            assert done["acknowledged_by"]["id"] == made["gridhead"]["id"]
            assert done["arrival"]["lat"] == HERE["latitude"]

            # a worker of the neighbouring micro-grid cannot read it, by API or page
            refused, _body = _read(base, call_id, made["neighbour"]["token"])
            assert refused == 404
            other, _e = _login(browser, base, "neighbour", made["password"], "/care/alerts/")
            assert other.goto(f"{base}/care/calls/{call_id}/").status == 404
            assert serious_violations(worker) == []
            assert worker_errors == [] and head_errors == [] and elder_errors == []
