"""/api/v1/care/emergency-calls: the press from a device, the resident's login and a worker's
knock; who may read a call; the moves of the one who acknowledges; every refusal recorded and
the call left as it was."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.utils import timezone

from finegrid.care.models import CallStatus, EmergencyCall, Refusal
from finegrid.care.services_enrolment import device_revoke
from tests.care.helpers import enrol_elder, staff, working_morning
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
URL = "/api/v1/care/emergency-calls"


@pytest.fixture
def morning():
    with time_machine.travel(working_morning(), tick=False) as traveller:
        yield traveller


@pytest.fixture
def elder(net, leader, worker, gridhead, morning):
    staff(net, worker, gridhead, since=timezone.now() - dt.timedelta(days=30))
    return enrol_elder(net, leader)


def press(client, key=None, body=None, idem="press-1"):
    headers = {"HTTP_IDEMPOTENCY_KEY": idem} if idem else {}
    if key:
        headers["HTTP_X_DEVICE_KEY"] = key
    return client.post(URL, json.dumps(body or {}), content_type="application/json", **headers)


def post(client, path, body=None):
    return client.post(f"{URL}/{path}", json.dumps(body or {}), content_type="application/json")


def test_a_button_press_is_one_call_however_often_it_is_sent(elder, worker):
    anonymous = client_for(None)
    first = press(anonymous, elder.button_key)
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["status"] == "alerting" and body["step"] == 0
    assert body["step_role"] == "micro_worker" and body["deadline"]
    again = press(anonymous, elder.button_key)
    assert again.status_code == 201 and again.json()["id"] == body["id"]
    assert again["Idempotent-Replayed"] == "true"
    assert EmergencyCall.objects.count() == 1
    call = EmergencyCall.objects.get()
    assert call.source == "device" and call.device == elder.button


def test_bad_keys_and_replays_are_refused_recorded_and_change_nothing(elder, leader):
    anonymous = client_for(None)
    unknown = press(anonymous, "fgd_not-a-key")
    assert unknown.status_code == 403
    assert unknown.json()["field"] == "X-Device-Key"
    assert unknown.json()["message"] and unknown.json()["message_en"]
    assert press(anonymous, elder.button_key, idem="k").status_code == 201
    replay = press(anonymous, elder.button_key, body={"note": "another"}, idem="k")
    assert replay.status_code == 422
    assert replay.json()["errors"][0]["field"] == "Idempotency-Key"
    device_revoke(actor=leader, device=elder.button, reason="丢失")
    revoked = press(anonymous, elder.button_key, idem="k2")
    assert revoked.status_code == 403
    assert EmergencyCall.objects.count() == 1
    kinds = sorted(Refusal.objects.values_list("kind", flat=True))
    assert kinds == ["device_key", "device_key", "replay"]
    assert press(anonymous, None).status_code == 401


def test_the_resident_presses_from_their_own_login(elder, resident):
    answer = press(client_for(elder.elder))
    assert answer.status_code == 201
    call = EmergencyCall.objects.get(pk=answer.json()["id"])
    assert call.source == "resident" and call.raised_by == elder.elder
    # somebody not enrolled has no button
    refused = press(client_for(resident))
    assert refused.status_code == 404
    assert EmergencyCall.objects.count() == 1
    # the resident sees their own call
    assert client_for(elder.elder).get(f"{URL}/{call.pk}").status_code == 200


def test_the_chain_and_superiors_read_a_call_a_neighbouring_grid_does_not(
    elder, worker, gridhead, neighbour, official
):
    call_id = press(client_for(None), elder.button_key).json()["id"]
    seen = client_for(worker).get(f"{URL}/{call_id}")
    assert seen.status_code == 200
    detail = seen.json()
    assert detail["steps"][0]["state"] == "started"
    assert detail["steps"][0]["alerted"][0]["user"] == worker.pk
    assert [e["kind"] for e in detail["events"]] == ["pressed", "step"]
    assert client_for(gridhead).get(f"{URL}/{call_id}").status_code == 200
    assert client_for(official).get(f"{URL}/{call_id}").status_code == 200
    assert client_for(neighbour).get(f"{URL}/{call_id}").status_code == 404
    assert [c["id"] for c in client_for(worker).get(URL).json()] == [call_id]
    assert client_for(neighbour).get(URL).json() == []


def test_acknowledge_arrive_and_close(elder, worker, neighbour, gridhead):
    call_id = press(client_for(None), elder.button_key).json()["id"]
    outsider = post(client_for(neighbour), f"{call_id}/acknowledge")
    assert outsider.status_code == 404
    assert Refusal.objects.filter(kind="outside_chain", actor=neighbour).count() == 1
    # the grid head oversees the grid but is not alerted yet: refused as outside the chain
    early = post(client_for(gridhead), f"{call_id}/acknowledge")
    assert early.status_code == 403
    assert EmergencyCall.objects.get(pk=call_id).status == CallStatus.ALERTING
    me = client_for(worker)
    taken = post(me, f"{call_id}/acknowledge")
    assert taken.status_code == 200, taken.content
    assert taken.json()["status"] == "acknowledged"
    assert taken.json()["acknowledged_by"]["id"] == worker.pk
    assert post(me, f"{call_id}/on-way").json()["status"] == "on_way"
    no_gps = post(me, f"{call_id}/arrive", {})
    assert no_gps.status_code == 422
    assert {e["field"] for e in no_gps.json()["errors"]} == {"lat", "lng"}
    assert EmergencyCall.objects.get(pk=call_id).status == CallStatus.ON_WAY
    arrived = post(me, f"{call_id}/arrive", {"lat": 30.01, "lng": 104.005, "accuracy": 8})
    assert arrived.json()["status"] == "arrived"
    bad = post(me, f"{call_id}/close", {"outcome": "fine"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "outcome"
    closed = post(me, f"{call_id}/close", {"outcome": "helped", "note": "扶起，无碍"})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    again = post(me, f"{call_id}/acknowledge")
    assert again.status_code == 409
    call = EmergencyCall.objects.get(pk=call_id)
    assert call.outcome == "helped" and call.arrived_lat == 30.01
    kinds = [e["kind"] for e in client_for(worker).get(f"{URL}/{call_id}").json()["events"]]
    assert kinds == ["pressed", "step", "acknowledged", "on_way", "arrived", "closed"]
    assert set(Refusal.objects.values_list("kind", flat=True)) >= {"no_gps", "closed"}


def test_a_worker_knocking_at_a_silent_door_starts_the_chain(elder, worker, gridhead, neighbour):
    refused = client_for(neighbour).post(
        URL,
        json.dumps({"source": "knock", "enrolment": elder.enrolment.pk}),
        content_type="application/json",
    )
    assert refused.status_code == 404 and refused.json()["field"] == "enrolment"
    assert EmergencyCall.objects.count() == 0
    answer = client_for(worker).post(
        URL,
        json.dumps({"source": "knock", "enrolment": elder.enrolment.pk, "note": "敲门无人应"}),
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    call = EmergencyCall.objects.get(pk=answer.json()["id"])
    assert call.source == "knock" and call.raised_by == worker
    # the worker at the door is not alerted about their own knock: the chain moves on to the
    # grid head at once, since the micro-grid has nobody else
    assert call.step == 1
    assert call.recipients.get().user == gridhead
