"""The demo street enrols 锦丰新城's elderly living alone, and the demo resident can press."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from finegrid.accounts.models import User
from finegrid.care.models import DeviceKind, EmergencyCall, Enrolment
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_the_demo_enrols_the_elderly_living_alone_and_the_resident_presses() -> None:
    call_command("seed", scale="small", seed=1)
    buttons = Enrolment.objects.filter(devices__kind=DeviceKind.BUTTON)
    assert buttons.exists()
    assert all(e.household.building.estate.name == "锦丰新城" for e in buttons[:20])
    assert all(e.contacts.count() == 1 for e in buttons[:20])
    resident = User.objects.get(username="resident")
    answer = client_for(resident).post(
        "/api/v1/care/emergency-calls", json.dumps({}), content_type="application/json"
    )
    assert answer.status_code == 201, answer.content
    call = EmergencyCall.objects.get(pk=answer.json()["id"])
    assert call.person.user == resident and call.recipients.exists()
