"""SMS, voice and WeCom through HTTP gateways, each configured by URL.

SMS and voice post JSON ``{"to", "text", "call", "request_id"}`` to the operator's gateway; the
WeCom group robot gets its documented text message (``msgtype: text``). Every request carries
``X-Request-Id: care-outbound-<id>``, the same on a retry, so a gateway that saw it once sends once.
A non-2xx answer or a network error raises, and the outbox tries again later; so does a WeCom
answer of 200 whose ``errcode`` is not 0 (the robot's way of saying "too many messages this
minute", errcode 45009).
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any

from django.conf import settings

from finegrid.care.models import Outbound
from finegrid.core import pii

TIMEOUT = 5.0


MAX_ANSWER = 64 * 1024


def _post(url: str, body: dict[str, Any], row: Outbound) -> bytes:
    data = json.dumps(body, ensure_ascii=False).encode()
    request = urllib.request.Request(  # noqa: S310 - the URL is the operator's setting
        url,
        data=data,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "X-Request-Id": f"care-outbound-{row.pk}",
        },
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:  # noqa: S310
        if not 200 <= answer.status < 300:
            raise RuntimeError(f"gateway answered {answer.status}")
        data_back: bytes = answer.read(MAX_ANSWER)
        return data_back


def _text(row: Outbound) -> str:
    return f"{row.payload.get('message', '')} / {row.payload.get('message_en', '')}"


def _to(row: Outbound) -> str:
    if not row.phone_enc:
        raise RuntimeError("no phone to send to")
    return pii.decrypt(row.phone_enc)


def send_sms(row: Outbound) -> None:
    body = {"to": _to(row), "text": _text(row), "call": row.call_id, "request_id": row.pk}
    _post(settings.CARE_SMS_URL, body, row)


def send_voice(row: Outbound) -> None:
    body = {"to": _to(row), "text": _text(row), "call": row.call_id, "request_id": row.pk}
    _post(settings.CARE_VOICE_URL, body, row)


def send_wecom(row: Outbound) -> None:
    body = {"msgtype": "text", "text": {"content": f"[{row.call_id}] {_text(row)}"}}
    answer = _post(settings.CARE_WECOM_URL, body, row)
    try:
        code = json.loads(answer or b"{}").get("errcode", 0)
    except (ValueError, AttributeError):
        code = 0  # not the robot's JSON: the HTTP status has spoken
    if code:
        raise RuntimeError(f"WeCom answered errcode {code}")
