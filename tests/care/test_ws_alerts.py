"""The alert socket /ws/alerts/: who may hold it, what a connecting page is sent, and the alerts
and updates of a call as they happen — through the real ASGI application, in-process."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
import time_machine
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from django.utils import timezone

from finegrid.accounts.models import ApiToken
from finegrid.care import services
from finegrid.care.models import CallStatus, EmergencyCall, Outbound, OutboundStatus
from tests.care.helpers import enrol_elder, staff, working_morning
from tests.care.wsclient import TIMEOUT, closed_code, hello, session_cookie, socket

pytestmark = pytest.mark.django_db(transaction=True)

db = database_sync_to_async


def run(scenario: Callable[[], Awaitable[None]]) -> None:
    async_to_sync(scenario)()


@pytest.fixture(autouse=True)
def _fresh_layer() -> Iterator[None]:
    # the in-memory layer lives as long as the process: each test starts with an empty one
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.fixture
def elder(net: Any, leader: Any, worker: Any, gridhead: Any) -> Iterator[Any]:
    with time_machine.travel(working_morning(), tick=True):
        staff(net, worker, gridhead, since=timezone.now() - dt.timedelta(days=30))
        yield enrol_elder(net, leader)


def press(elder: Any) -> EmergencyCall:
    call, created = services.call_raise(
        enrolment=elder.enrolment, source="device", device=elder.button
    )
    assert created
    return call


def token_of(user: Any) -> str:
    _token, key = ApiToken.issue(user=user, name="phone")
    return str(key)


def test_an_anonymous_socket_is_closed_with_4401(net: Any) -> None:
    async def scenario() -> None:
        assert await closed_code(socket()) == 4401

    run(scenario)


def test_an_unknown_token_is_closed_with_4401(net: Any) -> None:
    async def scenario() -> None:
        assert await closed_code(socket(token="fg_not-a-token")) == 4401

    run(scenario)


def test_a_page_of_another_site_is_refused(worker: Any) -> None:
    worker_session = session_cookie(worker)

    async def scenario() -> None:
        ws = socket(cookie=worker_session, origin="https://evil.example")
        connected, _code = await ws.connect(timeout=TIMEOUT)
        assert not connected

    run(scenario)


def test_the_worker_s_page_receives_the_alert_of_a_press(elder: Any, worker: Any) -> None:
    worker_session = session_cookie(worker)

    async def scenario() -> None:
        ws = socket(cookie=worker_session)
        greeting = await hello(ws)
        assert greeting["calls"] == []
        call = await db(press)(elder)
        alert = await ws.receive_json_from(timeout=TIMEOUT)
        assert alert["type"] == "care.alert" and alert["call"] == call.pk
        assert alert["person"] == "陈大爷" and alert["step"] == 0
        assert alert["role"] == "micro_worker" and alert["message"] and alert["message_en"]
        assert (
            alert["outbound"]
            == await db(lambda: Outbound.objects.get(call=call, user=worker, channel="ws").pk)()
        )
        await ws.disconnect()

    run(scenario)
    row = Outbound.objects.get(user=worker, channel="ws")
    assert row.status == OutboundStatus.SENT and row.attempts == 1


def test_a_token_holder_is_sent_the_open_calls_it_missed(elder: Any, worker: Any) -> None:
    call = press(elder)
    key = token_of(worker)

    async def scenario() -> None:
        # offline when it was pressed: the greeting carries it
        ws = socket(token=key, origin=None)
        greeting = await hello(ws)
        [missed] = greeting["calls"]
        assert missed["call"] == call.pk and missed["type"] == "care.alert"
        assert missed["status"] == "alerting" and missed["mine"] is False
        assert missed["acknowledged_by"] is None and missed["place"]
        await ws.disconnect()

        await db(services.call_acknowledge)(actor=worker, call=call)
        again = socket(token=key, origin=None)
        [mine] = (await hello(again))["calls"]
        assert mine["status"] == "acknowledged" and mine["mine"] is True
        assert mine["acknowledged_by"]["id"] == worker.pk
        await again.disconnect()

        fresh = await db(EmergencyCall.objects.get)(pk=call.pk)
        await db(services.call_close)(actor=worker, call=fresh, outcome="false_alarm")
        last = socket(token=key, origin=None)
        assert (await hello(last))["calls"] == []
        await last.disconnect()

    run(scenario)
    assert EmergencyCall.objects.get(pk=call.pk).status == CallStatus.CLOSED


def test_the_others_alerted_are_told_who_took_the_call(
    elder: Any, worker: Any, gridhead: Any
) -> None:
    call = press(elder)
    # nobody answered in time: the grid head's step starts
    assert services.call_advance(call.pk, from_step=0)
    gridhead_session = session_cookie(gridhead)
    worker_session = session_cookie(worker)

    async def scenario() -> None:
        mine = socket(cookie=worker_session)
        head = socket(cookie=gridhead_session)
        assert [c["call"] for c in (await hello(mine))["calls"]] == [call.pk]
        [alerted] = (await hello(head))["calls"]
        assert alerted["step"] == 1 and alerted["role"] == "grid_head"

        fresh = await db(EmergencyCall.objects.get)(pk=call.pk)
        await db(services.call_acknowledge)(actor=gridhead, call=fresh)
        told = await mine.receive_json_from(timeout=TIMEOUT)
        assert told["type"] == "care.update" and told["what"] == "acknowledged"
        assert told["call"] == call.pk and told["mine"] is False
        assert told["acknowledged_by"] == {"id": gridhead.pk, "name": str(gridhead)}
        own = await head.receive_json_from(timeout=TIMEOUT)
        assert own["what"] == "acknowledged" and own["mine"] is True

        fresh = await db(EmergencyCall.objects.get)(pk=call.pk)
        await db(services.call_close)(actor=gridhead, call=fresh, outcome="helped")
        for ws in (mine, head):
            gone = await ws.receive_json_from(timeout=TIMEOUT)
            assert gone["what"] == "closed" and gone["status"] == "closed"
            await ws.disconnect()

    run(scenario)
    call.refresh_from_db()
    assert call.acknowledged_by == gridhead and call.status == CallStatus.CLOSED


def test_a_worker_of_the_neighbouring_micro_grid_receives_nothing(
    elder: Any, neighbour: Any
) -> None:
    neighbour_session = session_cookie(neighbour)

    async def scenario() -> None:
        ws = socket(cookie=neighbour_session)
        assert (await hello(ws))["calls"] == []
        await db(press)(elder)
        assert await ws.receive_nothing(timeout=1)
        await ws.disconnect()
        # nor is it sent on reconnecting
        again = socket(cookie=neighbour_session)
        assert (await hello(again))["calls"] == []
        await again.disconnect()

    run(scenario)
    assert not Outbound.objects.filter(user=neighbour).exists()


def test_the_page_s_heartbeat_is_answered(worker: Any) -> None:
    worker_session = session_cookie(worker)

    async def scenario() -> None:
        ws = socket(cookie=worker_session)
        await hello(ws)
        await ws.send_json_to({"type": "care.ping"})
        assert await ws.receive_json_from(timeout=TIMEOUT) == {"type": "care.pong"}
        await ws.disconnect()

    run(scenario)
