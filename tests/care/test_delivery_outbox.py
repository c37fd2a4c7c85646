"""The outbox's promises: a row claimed by a process that died is sent again once its claim
expires, a row is sent once however often it is asked to be, and two senders never both take
it."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from finegrid.care import outbox, services
from finegrid.care.models import Outbound, OutboundStatus
from tests.care.helpers import enrol_elder, staff, working_morning

pytestmark = pytest.mark.django_db


@pytest.fixture
def sms_gateway(settings: Any) -> Iterator[list[dict[str, Any]]]:
    seen: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            seen.append({"id": self.headers.get("X-Request-Id"), "body": json.loads(body)})
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.CARE_SMS_URL = f"http://127.0.0.1:{server.server_address[1]}/sms"
    try:
        yield seen
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def morning() -> Iterator[Any]:
    with time_machine.travel(working_morning(), tick=False) as traveller:
        yield traveller


@pytest.fixture
def sms(net: Any, leader: Any, worker: Any, gridhead: Any, morning: Any, sms_gateway: Any) -> Any:
    staff(net, worker, gridhead, since=timezone.now() - dt.timedelta(days=30))
    elder = enrol_elder(net, leader)
    call, _created = services.call_raise(enrolment=elder.enrolment, source="device")
    return Outbound.objects.get(call=call, channel="sms")


def test_a_row_claimed_by_a_process_that_died_is_sent_after_the_claim_expires(
    sms: Outbound, sms_gateway: list[dict[str, Any]], morning: Any
) -> None:
    # another process claimed the row, then was killed before it sent anything
    assert outbox._claim(sms.pk, timezone.now())
    assert outbox.outbox_drain() == 1  # the page's row only: the SMS is claimed
    assert sms_gateway == []
    morning.shift(outbox.CLAIM - dt.timedelta(seconds=1))
    assert outbox.outbox_drain() == 0
    morning.shift(dt.timedelta(seconds=1))
    assert outbox.outbox_drain() == 1
    assert [s["id"] for s in sms_gateway] == [f"care-outbound-{sms.pk}"]
    sms.refresh_from_db()
    # the dead process's attempt is counted: a row that kills its senders is given up on too
    assert sms.status == OutboundStatus.SENT and sms.attempts == 2


def test_send_now_twice_sends_once(sms: Outbound, sms_gateway: list[dict[str, Any]]) -> None:
    assert outbox.send_now([sms.pk]) == 1
    assert outbox.send_now([sms.pk]) == 0
    assert outbox.outbox_drain() == 1  # the page's row, never the SMS again
    assert len(sms_gateway) == 1
    sms.refresh_from_db()
    assert sms.status == OutboundStatus.SENT and sms.attempts == 1


def test_of_two_senders_claiming_at_once_one_takes_the_row(sms: Outbound) -> None:
    now = timezone.now()
    assert [outbox._claim(sms.pk, now), outbox._claim(sms.pk, now)] == [True, False]
    sms.refresh_from_db()
    assert sms.attempts == 1 and sms.due_at == now + outbox.CLAIM
