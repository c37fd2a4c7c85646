"""The chain of a call, as services: stored first, the first step alerted at once, the next step
when nobody answers in time, the first acknowledgement owns it, and nobody answering opens a red
case."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from finegrid.care import services
from finegrid.care.models import (
    CallEvent,
    CallRecipient,
    CallStatus,
    EmergencyCall,
    EventKind,
    Outbound,
    Refusal,
)
from finegrid.cases.models import Case
from finegrid.core.errors import FinegridError
from tests.care.helpers import enrol_elder, staff, working_morning  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def morning():
    start = working_morning()
    with time_machine.travel(start, tick=False) as traveller:
        yield traveller


@pytest.fixture
def elder(net, leader, worker, gridhead, morning):
    from django.utils import timezone

    staff(net, worker, gridhead, since=timezone.now() - dt.timedelta(days=30))
    return enrol_elder(net, leader)


def test_a_press_stores_the_call_and_alerts_the_micro_grid_worker(elder, worker, gridhead):
    call, created = services.call_raise(
        enrolment=elder.enrolment,
        source="device",
        device=elder.button,
        idempotency_key="k1",
        caller="d1",
    )
    assert created
    assert call.status == CallStatus.ALERTING and call.step == 0
    assert list(CallRecipient.objects.filter(call=call).values_list("user_id", flat=True)) == [
        worker.pk
    ]
    assert Outbound.objects.filter(call=call, user=worker, channel="ws").count() == 1
    kinds = list(CallEvent.objects.filter(call=call).values_list("kind", flat=True))
    assert kinds == [EventKind.PRESSED, EventKind.STEP]
    # a double press with the same key is the same call
    again, created = services.call_raise(
        enrolment=elder.enrolment,
        source="device",
        device=elder.button,
        idempotency_key="k1",
        caller="d1",
    )
    assert not created and again.pk == call.pk
    assert EmergencyCall.objects.count() == 1


def test_the_same_key_with_another_body_is_refused_and_recorded(elder):
    services.call_raise(enrolment=elder.enrolment, source="device", idempotency_key="k", caller="d")
    with pytest.raises(FinegridError) as refused:
        services.call_raise(
            enrolment=elder.enrolment,
            source="device",
            idempotency_key="k",
            caller="d",
            body={"note": "不同"},
        )
    assert refused.value.as_dict()["field"] == "Idempotency-Key"
    assert Refusal.objects.filter(kind="replay").count() == 1
    assert EmergencyCall.objects.count() == 1


def test_nobody_answering_moves_to_the_grid_head_then_ends_in_a_red_case(
    elder, worker, gridhead, morning
):
    call, _ = services.call_raise(enrolment=elder.enrolment, source="device")
    first = call.plan[0]["seconds"]
    morning.shift(first - 1)
    assert services.calls_sweep() == 0
    morning.shift(1)
    assert services.calls_sweep() == 1
    call.refresh_from_db()
    assert call.step == 1 and call.plan[1]["role"] == "grid_head"
    assert CallRecipient.objects.filter(call=call, step=1, user=gridhead).exists()
    # the rest of the chain: no station, no community duty officer here (the duty phone, if the
    # net has one), then family by SMS only when a gateway is set
    for _ in range(10):
        morning.shift(600)
        services.calls_sweep()
    call.refresh_from_db()
    assert call.status == CallStatus.UNANSWERED and call.deadline is None
    assert call.case_id is not None
    case = Case.objects.get(pk=call.case_id)
    assert case.category.code == "special_care" and case.urgency == "critical"
    kinds = list(CallEvent.objects.filter(call=call).values_list("kind", flat=True))
    assert kinds.count(EventKind.STEP) == 2
    assert EventKind.UNANSWERED in kinds and EventKind.CASE_OPENED in kinds
    # still answerable by anyone alerted
    services.call_acknowledge(actor=worker, call=call)
    call.refresh_from_db()
    assert call.status == CallStatus.ACKNOWLEDGED and call.acknowledged_by == worker


def test_the_first_acknowledgement_owns_the_call(elder, worker, gridhead, neighbour, morning):
    call, _ = services.call_raise(enrolment=elder.enrolment, source="device")
    morning.shift(call.plan[0]["seconds"])
    services.calls_sweep()
    call.refresh_from_db()
    services.call_acknowledge(actor=gridhead, call=call)
    with pytest.raises(FinegridError) as taken:
        services.call_acknowledge(actor=worker, call=call)
    assert taken.value.status == 409
    with pytest.raises(FinegridError) as outside:
        services.call_acknowledge(actor=neighbour, call=call)
    assert outside.value.status == 403
    call.refresh_from_db()
    assert call.acknowledged_by == gridhead and call.deadline is None
    assert set(Refusal.objects.values_list("kind", flat=True)) == {"taken", "outside_chain"}
    # the sweep leaves an acknowledged call alone
    morning.shift(3600)
    assert services.calls_sweep() == 0
    with pytest.raises(FinegridError) as no_gps:
        services.call_arrive(actor=gridhead, call=call, lat=None, lng=None)
    assert no_gps.value.as_dict()["errors"][0]["field"] == "lat"
    services.call_arrive(actor=gridhead, call=call, lat=30.01, lng=104.005, accuracy=12)
    services.call_close(actor=gridhead, call=call, outcome="hospital", note="送医")
    call.refresh_from_db()
    assert call.status == CallStatus.CLOSED and call.outcome == "hospital"
    with pytest.raises(FinegridError) as closed:
        services.call_acknowledge(actor=worker, call=call)
    assert closed.value.status == 409
    call.refresh_from_db()
    assert call.status == CallStatus.CLOSED and call.acknowledged_by == gridhead
