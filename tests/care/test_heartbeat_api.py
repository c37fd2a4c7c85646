"""POST /api/v1/care/devices/heartbeat: a device says it is alive; a wrong key is refused and
recorded; a flood from one key is refused 429 with Retry-After and recorded once a minute."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from finegrid.care.models import Device, Refusal, RefusalKind
from finegrid.care.services_enrolment import device_revoke
from tests.care.helpers import enrol_elder
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/care/devices/heartbeat"


def _beat(key: str | None, body: dict[str, Any] | None = None) -> Any:
    headers = {"X-Device-Key": key} if key is not None else {}
    return client_for(None).post(
        URL, body if body is not None else {}, content_type="application/json", headers=headers
    )


@pytest.fixture
def minute_start() -> Any:
    # five seconds into a minute, the clock standing still: every beat falls in one window
    now = timezone.now().replace(second=5, microsecond=0) + dt.timedelta(minutes=1)
    cache.clear()
    with time_machine.travel(now, tick=False) as traveller:
        yield traveller


@pytest.fixture
def elder(net: Any, leader: Any, minute_start: Any) -> Any:
    return enrol_elder(net, leader)


def test_a_heartbeat_records_when_and_the_battery(elder: Any) -> None:
    response = _beat(elder.button_key, {"battery": 80})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["battery"] == 80 and data["device"] == elder.button.key_hint
    button = Device.objects.get(pk=elder.button.pk)
    assert button.last_heartbeat_at == timezone.now() and button.battery == 80
    # without a battery level the last one stands
    assert _beat(elder.button_key).json()["battery"] == 80
    assert Device.objects.get(pk=elder.button.pk).battery == 80
    assert not Refusal.objects.exists()


def test_an_unknown_a_missing_or_a_revoked_key_is_refused_and_recorded(
    elder: Any, leader: Any
) -> None:
    for key in ("fgd_not-a-key", None):
        refused = _beat(key, {"battery": 50})
        assert refused.status_code == 403
        assert refused.json()["field"] == "X-Device-Key"
        assert refused.json()["message"] and refused.json()["message_en"]
    device_revoke(actor=leader, device=elder.button, reason="丢失")
    assert _beat(elder.button_key, {"battery": 50}).status_code == 403
    refusals = list(Refusal.objects.order_by("id").values_list("kind", "detail", "device_id"))
    assert refusals == [
        (RefusalKind.DEVICE_KEY, "unknown", None),
        (RefusalKind.DEVICE_KEY, "unknown", None),
        (RefusalKind.DEVICE_KEY, "revoked", elder.button.pk),
    ]
    button = Device.objects.get(pk=elder.button.pk)
    assert button.last_heartbeat_at is None and button.battery is None


@pytest.mark.parametrize("battery", [-1, 101, "full"])
def test_a_bad_battery_level_is_refused_naming_the_field(elder: Any, battery: Any) -> None:
    response = _beat(elder.button_key, {"battery": battery})
    assert response.status_code == 422
    assert response.json()["field"] == "battery"
    assert Device.objects.get(pk=elder.button.pk).last_heartbeat_at is None
    assert not Refusal.objects.exists()


def test_a_flood_is_refused_with_retry_after_and_recorded_once_a_minute(
    elder: Any, minute_start: Any
) -> None:
    statuses = [_beat(elder.button_key, {"battery": 90 - n}).status_code for n in range(10)]
    assert statuses == [200] * 6 + [429] * 4
    flooded = _beat(elder.button_key, {"battery": 10})
    assert flooded.status_code == 429
    assert flooded["Retry-After"] == "55"
    data = flooded.json()
    assert (data["code"], data["field"], data["retry_after"]) == ("flood", "X-Device-Key", 55)
    assert "55" in data["message"] and "55" in data["message_en"]
    # the refused beats changed nothing; the flood is one refusal, naming the device
    assert Device.objects.get(pk=elder.button.pk).battery == 85
    assert list(Refusal.objects.values_list("kind", "device_id")) == [
        (RefusalKind.FLOOD, elder.button.pk)
    ]
    # another device is not held back by this one's flood
    other = client_for(None).post(URL, {}, content_type="application/json")
    assert other.status_code == 403
    # the next minute the device is heard again
    minute_start.shift(dt.timedelta(seconds=60))
    assert _beat(elder.button_key, {"battery": 84}).status_code == 200
    assert Device.objects.get(pk=elder.button.pk).battery == 84
    assert Refusal.objects.filter(kind=RefusalKind.FLOOD).count() == 1


def test_a_flood_of_an_unknown_key_is_held_back_too(elder: Any) -> None:
    statuses = [_beat("fgd_guess").status_code for _ in range(8)]
    assert statuses == [403] * 6 + [429] * 2
    kinds = list(Refusal.objects.values_list("kind", flat=True))
    assert kinds.count(RefusalKind.DEVICE_KEY) == 6 and kinds.count(RefusalKind.FLOOD) == 1
