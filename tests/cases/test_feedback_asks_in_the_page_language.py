"""The tracking page asks for a satisfaction choice in the page's language, not the browser's."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone

from finegrid.accounts.models import User
from finegrid.cases import services, taxonomy
from finegrid.cases.models import Case, Status
from tests.cases.helpers import report, staff_net
from tests.conftest import Net, client_for

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def _awaiting(net: Net, worker: User, gridhead: User) -> Case:
    staff_net(net, worker, gridhead)
    now = timezone.now()
    case = report(worker, now=now)
    services.case_accept(actor=gridhead, case=case, now=now)
    services.case_resolve(actor=gridhead, case=case, note="已清理", now=now)
    case.refresh_from_db()
    assert case.status == Status.AWAITING_FEEDBACK
    return case


def test_a_missing_choice_is_named_in_the_page_language(
    net: Net, worker: User, gridhead: User
) -> None:
    case = _awaiting(net, worker, gridhead)
    url = f"/track/{case.follow_code}/"
    r = client_for(None).post(url, {"comment": ""})
    assert r.status_code == 422 and "请选择您的满意程度。" in r.content.decode()
    english = client_for(None)
    english.cookies["django_language"] = "en"
    r = english.post(url, {"comment": ""})
    assert "Choose how satisfied you are." in r.content.decode()
    case.refresh_from_db()
    assert case.status == Status.AWAITING_FEEDBACK and case.satisfaction == ""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def test_an_english_browser_is_asked_in_chinese_on_a_chinese_page(
    browser: Any, live_server: Any, transactional_db: None, worker: User, gridhead: User, net: Net
) -> None:
    taxonomy.load(apps, None)  # a transactional database is flushed, data migrations included
    case = _awaiting(net, worker, gridhead)
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.goto(f"{live_server.url}/track/{case.follow_code}/")
    page.click("#feedback button[type=submit]")
    message = page.evaluate("document.querySelector('input[name=satisfaction]').validationMessage")
    assert message == "请选择您的满意程度。"
    page.check("input[name=satisfaction][value=satisfied]")
    assert page.evaluate("document.querySelector('#feedback').checkValidity()") is True
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/track/{case.follow_code}/")
    page.click("#feedback button[type=submit]")
    message = page.evaluate("document.querySelector('input[name=satisfaction]').validationMessage")
    assert message == "Choose how satisfied you are."
    context.close()
    case.refresh_from_db()
    assert case.status == Status.AWAITING_FEEDBACK
