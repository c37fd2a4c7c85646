"""403, 404, 500 and the CSRF failure: the site's page in the user's language with a way back,
never Django's default; under /api/ and /open311/ the machine clients' own error bodies."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from finegrid.accounts.models import User
from finegrid.cases.models import Case
from finegrid.notifications.models import Notification
from tests.conftest import PASSWORD, client_for

DJANGO_DEFAULTS = (
    "The requested resource was not found on this server.",
    "<h1>Server Error (500)</h1>",
    "<h1>403 Forbidden</h1>",
    "CSRF verification failed",
)


@pytest.fixture(autouse=True)
def _production(settings: Any) -> None:
    settings.DEBUG = False


def _in(client: Client, language: str) -> Client:
    client.cookies["django_language"] = language
    return client


def _page(response: Any, status: int) -> str:
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert f'id="error" data-status="{status}"' in body
    assert 'class="fg-header"' in body  # the site's own header: base.html
    assert 'href="/"' in body and "data-fg-back" in body  # home, and back
    assert not [text for text in DJANGO_DEFAULTS if text in body]
    return body


def test_a_missing_page_is_the_sites_404_in_chinese(worker: User) -> None:
    body = _page(client_for(worker).get("/no-such-page/"), 404)
    assert 'lang="zh-hans"' in body
    assert "<h1>找不到页面</h1>" in body and "返回首页" in body


def test_a_missing_page_is_the_sites_404_in_english(worker: User) -> None:
    body = _page(_in(client_for(worker), "en").get("/no-such-page/"), 404)
    assert 'lang="en"' in body
    assert "<h1>Page not found</h1>" in body and ">Go to the home page</a>" in body
    assert "找不到" not in body


def test_a_case_out_of_reach_is_the_same_404(worker: User) -> None:
    body = _page(client_for(worker).get("/cases/999999/"), 404)
    assert "<h1>找不到页面</h1>" in body
    assert not Case.objects.exists()


def test_a_refused_page_is_the_sites_403_with_its_reason(resident: User) -> None:
    body = _page(client_for(resident).get("/cases/"), 403)
    assert "<h1>无权访问</h1>" in body and "您无权查看事件。" in body
    english = _page(_in(client_for(resident), "en").get("/cases/"), 403)
    assert "<h1>No access</h1>" in english and "You may not read cases." in english


def test_an_expired_form_is_the_sites_csrf_page(worker: User) -> None:
    for language, heading in (
        ("zh-hans", "<h1>表单已过期</h1>"),
        ("en", "<h1>The form has expired</h1>"),
    ):
        client = _in(Client(enforce_csrf_checks=True), language)
        client.force_login(worker)
        body = _page(client.post("/notifications/read-all/"), 403)
        assert heading in body
    assert not Notification.objects.exists()


def test_an_expired_login_form_is_the_sites_csrf_page(worker: User) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "worker", "password": PASSWORD})
    assert "<h1>表单已过期</h1>" in _page(response, 403)
    assert "_auth_user_id" not in client.session


@pytest.mark.urls("tests.error_urls")
def test_a_failing_view_is_the_sites_500_in_both_languages(worker: User) -> None:
    for language, heading in (
        ("zh-hans", "<h1>出错了</h1>"),
        ("en", "<h1>Something went wrong</h1>"),
    ):
        client = _in(client_for(worker), language)
        client.raise_request_exception = False
        body = _page(client.get("/boom/"), 500)
        assert heading in body and f'lang="{language}"' in body
        assert "a bug in a view" not in body


def test_the_500_page_is_drawn_even_when_the_header_fails(worker: User, monkeypatch: Any) -> None:
    from finegrid.notifications import selectors

    def broken(**kw: Any) -> int:
        raise RuntimeError("the database is gone")

    # the inbox fails, and so does the header's badge while the error page is drawn
    monkeypatch.setattr(selectors, "unread_count", broken)
    client = _in(client_for(worker), "en")
    client.raise_request_exception = False
    body = _page(client.get("/notifications/"), 500)
    assert "<h1>Something went wrong</h1>" in body
    assert 'id="fg-inbox"' not in body


@pytest.mark.urls("tests.error_urls")
def test_the_api_keeps_its_json_errors(worker: User) -> None:
    client = client_for(worker)
    client.raise_request_exception = False
    missing = client.get("/api/v1/no-such-endpoint")
    assert missing.status_code == 404 and missing["Content-Type"] == "application/json"
    assert missing.json()["code"] == "not_found"
    assert missing.json()["message"] == "这个地址没有内容，或不在您的辖区内。"
    assert missing.json()["message_en"].startswith("There is nothing at this address")
    failed = client.get("/api/v1/boom")
    assert failed.status_code == 500 and failed.json()["code"] == "server_error"
    assert failed.json()["message_en"].startswith("The server could not answer.")


def test_open311_keeps_its_error_list(worker: User) -> None:
    r = client_for(None).get("/open311/v2/nothing.json")
    assert r.status_code == 404
    assert r.json()[0]["code"] == 404 and r.json()[0]["description"]
    xml = client_for(None).get("/open311/v2/nothing.xml")
    assert xml.status_code == 404 and b"<errors>" in xml.content


def test_a_request_for_another_host_is_the_sites_400(worker: User) -> None:
    client = _in(client_for(worker), "en")
    client.raise_request_exception = False
    body = _page(client.get("/map/", HTTP_HOST="not-ours.example"), 400)
    assert "<h1>Bad request</h1>" in body
