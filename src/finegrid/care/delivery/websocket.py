"""Alerts to the worker's open page, through the Channels layer (in memory in the embedded
server, Redis across processes). Each login listens on its own group."""

from __future__ import annotations

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from finegrid.care.models import Outbound


def group_of(user_id: int) -> str:
    return f"care.user.{user_id}"


def send(row: Outbound) -> None:
    layer = get_channel_layer()
    if layer is None or row.user_id is None:
        raise RuntimeError("no channel layer or no login to send to")
    message = {**row.payload, "outbound": row.pk}
    async_to_sync(layer.group_send)(
        group_of(row.user_id), {"type": "care.message", "message": message}
    )
