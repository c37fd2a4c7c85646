"""Calls made at moved clocks for the figures tests: five in C1 one morning, one the month
before, one in C2 that nobody answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import time_machine
from django.utils import timezone

from finegrid.accounts.models import User
from finegrid.care import services
from tests.care.helpers import LOCAL, enrol_elder, staff, working_morning
from tests.care.helpers_devices import enrol_person


def _call(
    traveller: Any,
    enrolled: Any,
    worker: User | None,
    *,
    ack: int | None = None,
    arrive: int | None = None,
    outcome: str = "",
) -> Any:
    """A press now; acknowledged ``ack`` seconds later, arrived ``arrive`` seconds after the
    press, closed with ``outcome``. The clock ends where it began."""
    began = timezone.now()
    call, _created = services.call_raise(
        enrolment=enrolled.enrolment, source="device", device=enrolled.button
    )
    if ack is not None and worker is not None:
        traveller.move_to(began + dt.timedelta(seconds=ack))
        services.call_acknowledge(actor=worker, call=call)
        if arrive is not None:
            traveller.move_to(began + dt.timedelta(seconds=arrive))
            call.refresh_from_db()
            services.call_arrive(actor=worker, call=call, lat=30.01, lng=104.005)
        if outcome:
            call.refresh_from_db()
            services.call_close(actor=worker, call=call, outcome=outcome)
    traveller.move_to(began)
    return call


def calls_of_a_month(net: Any, leader: Any, worker: Any, gridhead: Any) -> Iterator[str]:
    """Five calls in C1 during one morning, one the month before, one in C2 nobody answers; the
    clock then stands a minute after the last press (which nobody has acknowledged yet)."""
    morning = working_morning()
    before = dt.datetime.combine(
        morning.date().replace(day=1) - dt.timedelta(days=5), dt.time(10), tzinfo=LOCAL
    )
    with time_machine.travel(before, tick=False) as traveller:
        staff(net, worker, gridhead, since=timezone.now() - dt.timedelta(days=1))
        elder = enrol_elder(net, leader)
        far = enrol_person(leader, net.m3, name="孙奶奶", phone="13900004444")
        _call(traveller, elder, worker, ack=5, outcome="helped")  # the month before
        for n, (ack, arrive, outcome) in enumerate(
            [
                (20, 300, "helped"),
                (50, 600, "false_alarm"),
                (100, None, "hospital"),
                (200, None, ""),
            ]
        ):
            traveller.move_to(morning + dt.timedelta(hours=n))
            _call(traveller, elder, worker, ack=ack, arrive=arrive, outcome=outcome)
        traveller.move_to(morning + dt.timedelta(hours=5))
        _call(traveller, far, None)  # nobody in M3: the chain runs out at once
        _call(traveller, elder, None)  # just pressed, nobody has answered yet
        traveller.move_to(morning + dt.timedelta(hours=5, seconds=30))
        yield morning.astimezone(LOCAL).strftime("%Y-%m")
