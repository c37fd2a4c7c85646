"""The resident's button page and the trace page of a call, as served (the browser test presses
the button itself)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from finegrid.care import services
from finegrid.care.models import EmergencyCall
from tests.care.helpers import enrol_elder, staff, working_morning
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def elder(net, leader, worker, gridhead):
    with time_machine.travel(working_morning(), tick=False):
        staff(net, worker, gridhead, since=timezone.now() - dt.timedelta(days=30))
        yield enrol_elder(net, leader)


def test_the_enrolled_resident_gets_a_button_on_their_home_and_the_button_page(elder, resident):
    home = client_for(elder.elder).get("/home/").content.decode()
    assert 'id="sos-link"' in home and "一键呼叫" in home
    page = client_for(elder.elder).get("/care/button/").content.decode()
    assert 'id="sos-press"' in page and "呼叫求助" in page
    other = client_for(resident).get("/care/button/").content.decode()
    assert 'id="sos-press"' not in other and "120" in other


def test_the_trace_page_shows_every_step_to_the_chain_not_to_a_neighbouring_grid(
    elder, worker, gridhead, neighbour
):
    call, _ = services.call_raise(enrolment=elder.enrolment, source="device")
    services.call_acknowledge(actor=worker, call=call)
    page = client_for(gridhead).get(f"/care/calls/{call.pk}/").content.decode()
    assert "陈大爷" in page and "蔡如欣" in page
    assert 'data-kind="pressed"' in page and 'data-kind="acknowledged"' in page
    assert 'data-state="started"' in page
    assert client_for(neighbour).get(f"/care/calls/{call.pk}/").status_code == 404
    listed = client_for(worker).get("/care/calls/").content.decode()
    assert f'data-call="{call.pk}"' in listed
    assert (
        f'data-call="{call.pk}"' not in client_for(neighbour).get("/care/calls/").content.decode()
    )
    english = client_for(gridhead)
    english.cookies["django_language"] = "en"
    assert "Emergency call" in english.get(f"/care/calls/{call.pk}/").content.decode()


def test_the_worker_home_lists_the_enrolled_and_a_knock_starts_the_chain(
    elder, worker, gridhead, neighbour
):
    with time_machine.travel(working_morning(), tick=False):
        home = client_for(worker).get("/workforce/home/").content.decode()
        assert 'id="card-care"' in home and f'data-enrolment="{elder.enrolment.pk}"' in home
        assert f'data-enrolment="{elder.enrolment.pk}"' not in (
            client_for(neighbour).get("/workforce/home/").content.decode()
        )
        assert client_for(neighbour).post(f"/care/knock/{elder.enrolment.pk}/").status_code == 404
        assert not EmergencyCall.objects.exists()
        answer = client_for(worker).post(f"/care/knock/{elder.enrolment.pk}/")
        call = EmergencyCall.objects.get()
        assert answer.status_code == 302 and answer["Location"] == f"/care/calls/{call.pk}/"
        assert call.source == "knock" and call.raised_by == worker
        # a second tap is the same call
        client_for(worker).post(f"/care/knock/{elder.enrolment.pk}/")
        assert EmergencyCall.objects.count() == 1
        assert call.recipients.get().user == gridhead
