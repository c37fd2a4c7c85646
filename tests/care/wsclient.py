"""A page's WebSocket to /ws/alerts/ in-process (Channels' communicator over the real ASGI
application: origin check, session or token, routing), for the tests of the alert socket."""

from __future__ import annotations

import json
from typing import Any
from unittest import mock
from urllib.parse import unquote, urlparse

from asgiref.testing import ApplicationCommunicator
from django.conf import settings
from django.test import Client

from finegrid.accounts.models import User

TIMEOUT = 10  # seconds; generous for a busy machine, never reached when all is well


def _no_op() -> None:
    pass


class WebsocketCommunicator(ApplicationCommunicator):
    """Channels' own test communicator, which cannot be imported without daphne (its package
    imports the live-server case); the ORM's connection is kept between calls, as there."""

    def __init__(self, application: Any, path: str, headers: list[tuple[bytes, bytes]]) -> None:
        parsed = urlparse(path)
        scope = {
            "type": "websocket",
            "path": unquote(parsed.path),
            "query_string": parsed.query.encode(),
            "headers": headers,
            "subprotocols": [],
        }
        super().__init__(application, scope)

    async def send_input(self, message: dict[str, Any]) -> None:
        with mock.patch("channels.db.close_old_connections", _no_op):
            await super().send_input(message)

    async def receive_output(self, timeout: float = 1) -> dict[str, Any]:
        with mock.patch("channels.db.close_old_connections", _no_op):
            out: dict[str, Any] = await super().receive_output(timeout)
            return out

    async def connect(self, timeout: float = 1) -> tuple[bool, Any]:
        await self.send_input({"type": "websocket.connect"})
        answer = await self.receive_output(timeout)
        if answer["type"] == "websocket.close":
            return False, answer.get("code", 1000)
        assert answer["type"] == "websocket.accept", answer
        return True, answer.get("subprotocol")

    async def send_json_to(self, data: Any) -> None:
        await self.send_input({"type": "websocket.receive", "text": json.dumps(data)})

    async def receive_json_from(self, timeout: float = 1) -> Any:
        answer = await self.receive_output(timeout)
        assert answer["type"] == "websocket.send", answer
        return json.loads(answer["text"])

    async def disconnect(self, code: int = 1000, timeout: float = 1) -> None:
        await self.send_input({"type": "websocket.disconnect", "code": code})
        await self.wait(timeout)


def session_cookie(user: User) -> str:
    """A logged-in session of ``user`` (made before the async part: it writes to the db)."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def socket(
    *,
    cookie: str = "",
    token: str = "",
    origin: str | None = "http://testserver",
    path: str = "/ws/alerts/",
) -> WebsocketCommunicator:
    from finegrid.config.asgi import application

    headers: list[tuple[bytes, bytes]] = [(b"host", b"testserver")]
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    if cookie:
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()))
    if token:
        path = f"{path}?token={token}"
    return WebsocketCommunicator(application, path, headers=headers)


async def hello(ws: WebsocketCommunicator) -> dict[str, Any]:
    """Connect and read the greeting (which must come first)."""
    connected, _sub = await ws.connect(timeout=TIMEOUT)
    assert connected
    first: dict[str, Any] = await ws.receive_json_from(timeout=TIMEOUT)
    assert first["type"] == "care.hello", first
    return first


async def closed_code(ws: WebsocketCommunicator) -> int | None:
    """Connect and answer the close code the server ended the socket with."""
    connected, code = await ws.connect(timeout=TIMEOUT)
    if not connected:
        return int(code) if isinstance(code, int) else None
    out = await ws.receive_output(timeout=TIMEOUT)
    assert out["type"] == "websocket.close", out
    return int(out.get("code", 1000))
