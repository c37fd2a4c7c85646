from __future__ import annotations

from finegrid.accounts.models import User
from finegrid.cases.models import Case
from tests.conftest import Net, client_for


def test_an_unreadable_body_is_refused_in_both_languages(net: Net, worker: User) -> None:
    r = client_for(worker).post("/api/v1/cases", "{not json", content_type="application/json")
    assert r.status_code == 400
    body = r.json()
    assert body["field"] == "body"
    assert body["message"] == "无法读取请求内容：请发送有效的 JSON。"
    assert body["message_en"] == "The request body could not be read: send valid JSON."
    assert Case.objects.count() == 0
