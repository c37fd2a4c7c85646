"""The worker's alert page /care/alerts/: a shell for the socket, in the page's language."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _config(html: str) -> dict[str, Any]:
    found = re.search(r'<script id="alerts-config" type="application/json">(.*?)</script>', html)
    assert found, "the page carries its configuration"
    config: dict[str, Any] = json.loads(found.group(1))
    return config


def test_the_page_asks_for_a_login(net: Any) -> None:
    answer = client_for(None).get("/care/alerts/")
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/")


def test_the_worker_s_page_holds_the_socket_in_chinese(worker: Any) -> None:
    answer = client_for(worker).get("/care/alerts/")
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "紧急呼叫提醒" in html and "开启提醒" in html
    assert "/static/care/alerts.js" in html
    config = _config(html)
    assert config["ws"] == "/ws/alerts/" and config["user"] == worker.pk
    assert config["api"] == "/api/v1/care/emergency-calls"
    assert config["lang"] == "zh-hans" and config["texts"]["acknowledge"] == "我来处理"
    assert [o[0] for o in config["outcomes"]] == [
        "false_alarm",
        "helped",
        "called_120",
        "hospital",
    ]
    assert config["statuses"]["on_way"] and config["login"].endswith("next=/care/alerts/")


def test_the_page_in_english_is_complete(worker: Any) -> None:
    client = client_for(worker)
    client.cookies["django_language"] = "en"
    html = client.get("/care/alerts/").content.decode()
    assert "Emergency alerts" in html and "Enable alerts" in html
    config = _config(html)
    assert config["lang"] == "en" and config["texts"]["acknowledge"] == "I'll take it"
    cjk = re.compile("[\u4e00-\u9fff]")
    assert not [t for t in config["texts"].values() if cjk.search(t)]
    assert not [label for _v, label in config["outcomes"] if cjk.search(label)]


def test_the_worker_s_home_links_the_alert_page(worker: Any, net: Any) -> None:
    html = client_for(worker).get("/workforce/home/").content.decode()
    card = html[html.index('data-card="care"') :]
    assert "紧急呼叫提醒" in card[:800] and 'href="/care/alerts/"' in card[:800]


def test_the_card_is_for_those_a_chain_alerts(dept: Any, net: Any) -> None:
    from django.utils import timezone

    from finegrid.care.cards import care_card

    assert care_card(dept, timezone.now()) is None
