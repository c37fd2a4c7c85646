"""Scale-out: two ``finegrid serve`` processes on one database and one Redis. A button pressed
on server A reaches the worker's page connected to server B; the worker's acknowledgement on A
reaches B too, and a page reconnecting to A is greeted with the call."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.care import servers

WAIT = 15.0  # seconds; the alert takes milliseconds, this only bounds a broken run


@pytest.fixture
def redis_env() -> dict[str, str]:
    why = servers.redis_unreachable()
    if why:
        pytest.skip(f"{why}: the two-server test needs the Redis channel layer")
    return {"FINEGRID_REDIS_URL": servers.REDIS_URL}


def _next(ws: Any, kind: str) -> dict[str, Any]:
    """The next message of ``kind`` (heartbeats and others skipped)."""
    while True:
        message: dict[str, Any] = json.loads(ws.recv(timeout=WAIT))
        if message.get("type") == kind:
            return message


def test_a_press_on_one_server_alerts_the_page_on_the_other(
    tmp_path: Path, redis_env: dict[str, str]
) -> None:
    from websockets.sync.client import connect

    with servers.database(tmp_path, "two") as env:
        env.update(redis_env)
        made = servers.setup(env)
        worker = made["worker"]
        with servers.servers(env, tmp_path, 2) as (a, b):
            with connect(f"{b.ws}/ws/alerts/?token={worker['token']}", open_timeout=WAIT) as page:
                assert _next(page, "care.hello")["calls"] == []

                status, call = a.post(
                    "/api/v1/care/emergency-calls",
                    {},
                    {"X-Device-Key": made["key"], "Idempotency-Key": uuid.uuid4().hex},
                )
                assert status == 201, call
                alert = _next(page, "care.alert")
                assert alert["call"] == call["id"] and alert["person"] == "陈大爷"

                status, taken = a.post(
                    f"/api/v1/care/emergency-calls/{call['id']}/acknowledge",
                    {},
                    {"Authorization": f"Bearer {worker['token']}"},
                )
                assert status == 200 and taken["status"] == "acknowledged", taken
                update = _next(page, "care.update")
                assert update["call"] == call["id"] and update["what"] == "acknowledged"
                assert update["mine"] is True

            # the same page, now on A: greeted with what is open in the shared database
            with connect(f"{a.ws}/ws/alerts/?token={worker['token']}", open_timeout=WAIT) as page:
                [open_call] = _next(page, "care.hello")["calls"]
                assert open_call["call"] == call["id"] and open_call["status"] == "acknowledged"
