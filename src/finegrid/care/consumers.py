"""/ws/alerts/: the WebSocket a worker's phone page holds open to be alerted of emergency calls.

The login is the page's session, or an API token passed as ``?token=`` (a client that cannot
send the session cookie); anyone else is accepted only to be closed with code 4401, so the page
can tell "log in again" from a network failure. A connection joins its user's group
(``care.user.<id>``, where the outbox sends) and is then sent ``care.hello`` with every open call
the user was alerted to, as it stands now: a page that was offline, or reconnects after a server
was killed, is sent what it missed. Messages carry the call's id (and the outbox row's): a
message sent twice — the outbox sends at least once — is shown once by the page.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from finegrid.accounts.models import User
from finegrid.accounts.tokens import token_user
from finegrid.care import messages, services
from finegrid.care.delivery import websocket
from finegrid.care.models import CallRecipient, EmergencyCall

UNAUTHENTICATED = 4401  # the 4xxx range is the application's; 401 as in HTTP


def call_state(call: EmergencyCall, user: User) -> dict[str, Any]:
    """Where a call stands, as the user's page shows it: taken by them, by someone else, or not."""
    by = call.acknowledged_by
    return {
        "status": call.status,
        "status_label": str(call.get_status_display()),
        "acknowledged_by": {"id": by.pk, "name": str(by)} if by is not None else None,
        "mine": by is not None and by.pk == user.pk,
    }


def open_alerts(user: User) -> list[dict[str, Any]]:
    """Each open call the user was alerted to: its alert (of the latest step that alerted them)
    with its state now."""
    ids = services.open_calls_for(user)
    if not ids:
        return []
    steps: dict[int, int] = {}
    for call_id, step in CallRecipient.objects.filter(call_id__in=ids, user_id=user.pk).values_list(
        "call_id", "step"
    ):
        steps[call_id] = max(step, steps.get(call_id, step))
    calls = (
        EmergencyCall.objects.select_related("person", "household", "acknowledged_by")
        .filter(pk__in=ids)
        .order_by("created_at", "pk")
    )
    return [
        {**messages.alert_payload(call, steps.get(call.pk, call.step)), **call_state(call, user)}
        for call in calls
    ]


def update_state(call_id: int, user: User) -> dict[str, Any]:
    call = EmergencyCall.objects.select_related("acknowledged_by").filter(pk=call_id).first()
    return call_state(call, user) if call is not None else {}


def _token_of(scope: dict[str, Any]) -> str:
    query = parse_qs(scope.get("query_string", b"").decode("latin1"))
    return (query.get("token") or [""])[0].strip()


class AlertConsumer(AsyncJsonWebsocketConsumer):
    user: User | None = None
    group: str = ""

    async def connect(self) -> None:
        user = await self._user()
        if user is None:
            # accepted only to close with our code: a refused handshake reaches the page as a
            # bare failure, indistinguishable from a lost network
            await self.accept()
            await self.close(code=UNAUTHENTICATED)
            return
        self.user = user
        self.group = websocket.group_of(user.pk)
        websocket.remember_loop()
        # join before reading what is open: a message sent in between is then received twice
        # (shown once by its call id) rather than never
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        calls = await database_sync_to_async(open_alerts)(user)
        await self.send_json({"type": "care.hello", "calls": calls})

    async def _user(self) -> User | None:
        user = self.scope.get("user")
        if isinstance(user, User) and user.is_authenticated and user.is_active:
            return user
        key = _token_of(self.scope)
        if not key:
            return None
        found: User | None = await database_sync_to_async(token_user)(key)
        return found

    async def disconnect(self, code: int) -> None:
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        # the page's own heartbeat: a phone that changed networks finds out its socket is dead
        # (browsers do not expose the protocol's pings to scripts)
        if isinstance(content, dict) and content.get("type") == "care.ping":
            await self.send_json({"type": "care.pong"})

    async def care_message(self, event: dict[str, Any]) -> None:
        message = dict(event["message"])
        if message.get("type") == "care.update" and self.user is not None:
            # who took it decides what this page shows: the owner keeps the call, the others
            # are told it is taken
            message.update(await database_sync_to_async(update_state)(message["call"], self.user))
        await self.send_json(message)

    @classmethod
    async def encode_json(cls, content: Any) -> str:
        return json.dumps(content, ensure_ascii=False)
