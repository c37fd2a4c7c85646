from __future__ import annotations

from django.test import Client

from finegrid.accounts.models import ApiToken, User
from finegrid.cases.models import Case
from tests.conftest import PASSWORD, Net, client_for


def test_an_unreadable_body_is_refused_in_both_languages(net: Net, worker: User) -> None:
    r = client_for(worker).post("/api/v1/cases", "{not json", content_type="application/json")
    assert r.status_code == 400
    body = r.json()
    assert body["field"] == "body"
    assert body["message"] == "无法读取请求内容：请发送有效的 JSON。"
    assert body["message_en"] == "The request body could not be read: send valid JSON."
    assert Case.objects.count() == 0


def test_a_token_name_too_long_is_refused_naming_it(net: Net, leader: User) -> None:
    r = Client().post(
        "/api/v1/auth/token",
        {"username": "leader", "password": PASSWORD, "name": "x" * 65},
        content_type="application/json",
    )
    assert r.status_code == 422
    body = r.json()
    assert body["field"] == "name"
    assert body["message"] == "name 最多 64 个字符。"
    assert body["message_en"] == "name may have at most 64 characters."
    assert not ApiToken.objects.exists()
