"""GET /api/v1/ping: the bare JSON answer the benchmarks compare against."""

from __future__ import annotations

from tests.conftest import client_for


def test_ping_answers_ok_without_a_login(db: object) -> None:
    assert client_for(None).get("/api/v1/ping").json() == {"ok": True}
