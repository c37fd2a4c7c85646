"""Alerts to the worker's open page, through the Channels layer (in memory in the embedded
server, Redis across processes). Each login listens on its own group, ``care.user.<id>``.

A row is sent from a synchronous thread: the request that wrote it (on commit) or the outbox's
periodic drain. The send runs on the server's own event loop, the one the pages' consumers wait
on (the first consumer to connect records it): the in-memory layer's queues belong to that loop
and must not be woken from another thread's loop, and the Redis layer keeps its connections
there instead of opening one per send in a throw-away loop. Before any page has connected (a
management command, a test without a server) the send runs in a loop of its own.
"""

from __future__ import annotations

import asyncio
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from finegrid.care.models import Outbound

SEND_TIMEOUT = 5.0  # seconds; a layer that does not answer by then is retried by the outbox

_serving_loop: asyncio.AbstractEventLoop | None = None


def group_of(user_id: int) -> str:
    return f"care.user.{user_id}"


def remember_loop() -> None:
    """Record the running event loop as the one sends go to (called by a connecting page)."""
    global _serving_loop
    _serving_loop = asyncio.get_running_loop()


def _target_loop() -> asyncio.AbstractEventLoop | None:
    loop = _serving_loop
    if loop is None or loop.is_closed() or not loop.is_running():
        return None
    try:
        here = asyncio.get_running_loop()
    except RuntimeError:
        here = None
    # on the loop's own thread we could not wait for the send without blocking it
    return None if here is loop else loop


def group_send(group: str, message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer configured")
    loop = _target_loop()
    if loop is None:
        async_to_sync(layer.group_send)(group, message)
        return
    future = asyncio.run_coroutine_threadsafe(layer.group_send(group, message), loop)
    future.result(timeout=SEND_TIMEOUT)


def send(row: Outbound) -> None:
    if row.user_id is None:
        raise RuntimeError("no login to send to")
    message = {**row.payload, "outbound": row.pk}
    group_send(group_of(row.user_id), {"type": "care.message", "message": message})
