"""SMS, voice and the WeCom group robot, each against a local fake gateway (an http.server in a
thread of the test): what each request carries, a failed send retried with the same request id,
and a channel given up after eight failures, with the call's trace saying so."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from finegrid.care import outbox, services
from finegrid.care.models import CallEvent, EventKind, Outbound, OutboundStatus
from tests.care.helpers import enrol_elder, staff, working_morning

pytestmark = pytest.mark.django_db


@dataclass
class Gateway:
    """Records every request; answers ``failures`` 500s first, then 200."""

    url: str = ""
    failures: int = 0
    seen: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def of(self, path: str) -> list[dict[str, Any]]:
        return [r for r in self.seen if r["path"] == path]


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    state = Gateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with state.lock:
                state.seen.append(
                    {
                        "path": self.path,
                        "request_id": self.headers.get("X-Request-Id"),
                        "content_type": self.headers.get("Content-Type"),
                        "body": json.loads(body.decode()),
                    }
                )
                failing = state.failures > 0
                state.failures -= 1 if failing else 0
            self.send_response(500 if failing else 200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"errcode": 1}' if failing else b'{"errcode": 0}')

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def morning() -> Iterator[Any]:
    with time_machine.travel(working_morning(), tick=False) as traveller:
        yield traveller


@pytest.fixture
def gateways(settings: Any, gateway: Gateway) -> Gateway:
    settings.CARE_SMS_URL = f"{gateway.url}/sms"
    settings.CARE_VOICE_URL = f"{gateway.url}/voice"
    settings.CARE_WECOM_URL = f"{gateway.url}/wecom"
    return gateway


@pytest.fixture
def elder(net: Any, leader: Any, worker: Any, gridhead: Any, morning: Any) -> Any:
    staff(net, worker, gridhead, since=timezone.now() - dt.timedelta(days=30))
    return enrol_elder(net, leader)


def press(elder: Any) -> Any:
    # in a test's transaction nothing commits, so nothing is sent until the drain below
    call, _created = services.call_raise(enrolment=elder.enrolment, source="device")
    return call


def test_each_gateway_is_sent_its_message_once(gateways: Gateway, elder: Any, worker: Any) -> None:
    call = press(elder)
    rows = {o.channel: o for o in Outbound.objects.filter(call=call)}
    assert set(rows) == {"ws", "sms", "voice", "wecom"}
    assert outbox.outbox_drain() == 4

    [sms] = gateways.of("/sms")
    assert sms["body"] == {
        "to": "13800000000",
        "text": sms["body"]["text"],
        "call": call.pk,
        "request_id": rows["sms"].pk,
    }
    assert "陈大爷" in sms["body"]["text"] and "Emergency call" in sms["body"]["text"]
    assert sms["request_id"] == f"care-outbound-{rows['sms'].pk}"
    assert sms["content_type"].startswith("application/json")
    [voice] = gateways.of("/voice")
    assert voice["body"]["to"] == "13800000000" and voice["body"]["call"] == call.pk
    assert voice["request_id"] == f"care-outbound-{rows['voice'].pk}"
    [wecom] = gateways.of("/wecom")
    assert wecom["body"]["msgtype"] == "text"
    assert wecom["body"]["text"]["content"].startswith(f"[{call.pk}] ")
    assert wecom["request_id"] == f"care-outbound-{rows['wecom'].pk}"

    assert set(Outbound.objects.filter(call=call).values_list("status", flat=True)) == {
        OutboundStatus.SENT
    }
    # sent is sent: nothing goes out again
    assert outbox.outbox_drain() == 0 and outbox.send_now([o.pk for o in rows.values()]) == 0
    assert len(gateways.seen) == 3


def test_a_failed_send_is_retried_after_a_backoff_with_the_same_request_id(
    settings: Any, gateway: Gateway, elder: Any, morning: Any
) -> None:
    settings.CARE_SMS_URL = f"{gateway.url}/sms"
    gateway.failures = 1
    call = press(elder)
    sms = Outbound.objects.get(call=call, channel="sms")
    outbox.outbox_drain()
    sms.refresh_from_db()
    assert sms.status == OutboundStatus.PENDING and sms.attempts == 1
    assert "500" in sms.error and sms.due_at > timezone.now()
    # not before its backoff
    assert outbox.send_now([sms.pk]) == 0
    morning.shift(outbox._backoff(1))
    assert outbox.outbox_drain() == 1
    sms.refresh_from_db()
    assert sms.status == OutboundStatus.SENT and sms.attempts == 2 and sms.error == ""
    ids = [r["request_id"] for r in gateway.of("/sms")]
    assert ids == [f"care-outbound-{sms.pk}"] * 2
    assert not CallEvent.objects.filter(call=call, kind=EventKind.FAILED).exists()


def test_eight_failures_give_the_channel_up_and_the_trace_says_so(
    settings: Any, gateway: Gateway, elder: Any, worker: Any, morning: Any
) -> None:
    settings.CARE_VOICE_URL = f"{gateway.url}/voice"
    gateway.failures = 100
    call = press(elder)
    voice = Outbound.objects.get(call=call, channel="voice")
    page = Outbound.objects.get(call=call, channel="ws")
    assert outbox.send_now([page.pk]) == 1
    for attempt in range(1, outbox.MAX_ATTEMPTS + 1):
        assert outbox.send_now([voice.pk]) == 1
        voice.refresh_from_db()
        assert voice.attempts == attempt
        morning.shift(outbox._backoff(attempt))
    assert voice.status == OutboundStatus.FAILED
    # given up: never tried again
    morning.shift(3600)
    outbox.outbox_drain()
    assert len(gateway.of("/voice")) == outbox.MAX_ATTEMPTS
    [failed] = CallEvent.objects.filter(call=call, kind=EventKind.FAILED)
    assert failed.step == 0 and failed.data["channel"] == "voice"
    assert failed.data["to"] == voice.recipient_id and "500" in failed.data["error"]
    # the page's channel was not affected
    page.refresh_from_db()
    assert page.status == OutboundStatus.SENT and page.attempts == 1


def test_an_unreachable_gateway_is_retried(settings: Any, elder: Any, morning: Any) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.CARE_SMS_URL = f"http://127.0.0.1:{port}/sms"  # nobody listens there
    call = press(elder)
    sms = Outbound.objects.get(call=call, channel="sms")
    outbox.send_now([sms.pk])
    sms.refresh_from_db()
    assert sms.status == OutboundStatus.PENDING and sms.attempts == 1 and sms.error


def test_a_wecom_refusal_in_a_200_answer_is_retried(
    settings: Any, elder: Any, morning: Any
) -> None:
    seen: list[str] = []

    class Robot(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            seen.append(str(self.headers.get("X-Request-Id")))
            self.send_response(200)
            self.end_headers()
            # the robot's rate limit: HTTP 200, errcode in the body
            answer = {"errcode": 45009, "errmsg": "api freq out of limit"}
            self.wfile.write(json.dumps(answer if len(seen) == 1 else {"errcode": 0}).encode())

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Robot)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings.CARE_WECOM_URL = f"http://127.0.0.1:{server.server_address[1]}/robot"
        call = press(elder)
        row = Outbound.objects.get(call=call, channel="wecom")
        outbox.send_now([row.pk])
        row.refresh_from_db()
        assert row.status == OutboundStatus.PENDING and "45009" in row.error
        morning.shift(outbox._backoff(row.attempts))
        outbox.send_now([row.pk])
        row.refresh_from_db()
        assert row.status == OutboundStatus.SENT and seen == [f"care-outbound-{row.pk}"] * 2
    finally:
        server.shutdown()
        server.server_close()
