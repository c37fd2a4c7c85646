"""The channels an alert leaves through, one adapter each (``delivery/<kind>.py``).

An adapter takes an ``Outbound`` row and sends it, raising on failure; the outbox
(``care/outbox.py``) decides when to try and records the result. The WebSocket adapter is always
on; SMS, voice and the WeCom group robot are on when their gateway URL is set.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings

from finegrid.care.models import Channel, Outbound

Adapter = Callable[[Outbound], None]


def adapters() -> dict[str, Adapter]:
    from finegrid.care.delivery import http, websocket

    out: dict[str, Adapter] = {Channel.WEBSOCKET: websocket.send}
    if settings.CARE_SMS_URL:
        out[Channel.SMS] = http.send_sms
    if settings.CARE_VOICE_URL:
        out[Channel.VOICE] = http.send_voice
    if settings.CARE_WECOM_URL:
        out[Channel.WECOM] = http.send_wecom
    return out


def enabled_channels() -> set[str]:
    return set(adapters())
