"""Devices that go quiet: silence past CARE_HEARTBEAT_SILENCE_HOURS or a low battery opens one
check per device for the micro-grid worker (through the periodic sweep), closed when the device
reports again or when the worker has been to look."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from finegrid.care.models import CheckEnd, CheckReason, DeviceCheck
from finegrid.care.services_devices import device_checks_sweep
from finegrid.care.services_enrolment import device_revoke
from finegrid.notifications.models import Notification
from tests.care.helpers import enrol_elder, staff
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

HOURS = 24
BEAT = "/api/v1/care/devices/heartbeat"
CHECKS = "/api/v1/care/device-checks"


@pytest.fixture
def clock(settings: Any) -> Any:
    settings.CARE_HEARTBEAT_SILENCE_HOURS = HOURS
    settings.CARE_LOW_BATTERY = 15
    cache.clear()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


@pytest.fixture
def elder(net: Any, leader: Any, worker: Any, gridhead: Any, clock: Any) -> Any:
    staff(net, worker, gridhead, since=timezone.now() - dt.timedelta(days=1))
    return enrol_elder(net, leader)


def _beat(key: str, battery: int | None = None) -> Any:
    body = {} if battery is None else {"battery": battery}
    return client_for(None).post(
        BEAT, body, content_type="application/json", headers={"X-Device-Key": key}
    )


def _open() -> list[tuple[int, str]]:
    return list(
        DeviceCheck.objects.filter(closed_at__isnull=True).values_list("device_id", "reason")
    )


def test_a_silent_device_gets_one_check_and_its_worker_is_told(
    elder: Any, clock: Any, worker: Any
) -> None:
    assert _beat(elder.button_key, 90).status_code == 200
    clock.shift(dt.timedelta(hours=HOURS - 1))
    assert device_checks_sweep() == 0
    clock.shift(dt.timedelta(hours=2))
    assert device_checks_sweep() == 1
    # the next sweep, in this process or another, opens no second one
    assert device_checks_sweep() == 0
    assert _open() == [(elder.button.pk, CheckReason.SILENT)]
    # a login device has no heartbeat: it is never silent
    assert not DeviceCheck.objects.filter(device=elder.login_device).exists()
    notice = Notification.objects.get(kind="care.device_check")
    assert notice.user_id == worker.pk
    assert "陈大爷" in notice.title and "红色按钮" in notice.title_en
    assert notice.url.startswith("/care/enrolments/")


def test_one_open_check_per_device_is_a_database_rule(elder: Any) -> None:
    row = {
        "device": elder.button,
        "enrolment": elder.enrolment,
        "micro_grid_id": elder.enrolment.micro_grid_id,
        "grid_path": elder.enrolment.grid_path,
        "reason": CheckReason.SILENT,
        "opened_at": timezone.now(),
    }
    DeviceCheck.objects.create(**row)
    with pytest.raises(IntegrityError), transaction.atomic():
        DeviceCheck.objects.create(**row)
    assert DeviceCheck.objects.count() == 1


def test_a_sweep_that_finds_a_device_another_process_just_checked_skips_it(
    elder: Any, clock: Any, monkeypatch: Any
) -> None:
    from finegrid.care import services_devices

    clock.shift(dt.timedelta(hours=HOURS + 1))
    seen = services_devices._due_devices(timezone.now(), 10)
    assert device_checks_sweep() == 1
    # a second process read the same devices before the first one's insert committed
    monkeypatch.setattr(services_devices, "_due_devices", lambda now, limit: seen)
    clock.shift(dt.timedelta(seconds=1))
    assert device_checks_sweep() == 0
    assert DeviceCheck.objects.count() == 1
    assert Notification.objects.filter(kind="care.device_check").count() == 1


def test_a_device_never_heard_is_silent_from_its_enrolment(elder: Any, clock: Any) -> None:
    clock.shift(dt.timedelta(hours=HOURS + 1))
    assert device_checks_sweep() == 1
    check = DeviceCheck.objects.get()
    assert (check.device_id, check.last_heartbeat_at) == (elder.button.pk, None)


def test_a_heartbeat_closes_the_check(elder: Any, clock: Any) -> None:
    clock.shift(dt.timedelta(hours=HOURS + 1))
    device_checks_sweep()
    assert _beat(elder.button_key, 70).status_code == 200
    check = DeviceCheck.objects.get()
    assert (check.end, check.closed_by_id) == (CheckEnd.HEARTBEAT, None)
    assert check.closed_at == timezone.now()
    assert device_checks_sweep() == 0 and _open() == []


def test_a_low_battery_opens_a_check_that_only_a_better_battery_closes(
    elder: Any, clock: Any
) -> None:
    assert _beat(elder.button_key, 15).status_code == 200
    assert device_checks_sweep() == 1
    check = DeviceCheck.objects.get()
    assert (check.reason, check.battery) == (CheckReason.LOW_BATTERY, 15)
    clock.shift(dt.timedelta(minutes=10))
    _beat(elder.button_key, 12)
    _beat(elder.button_key)  # no level: still the low one
    assert _open() == [(elder.button.pk, CheckReason.LOW_BATTERY)]
    _beat(elder.button_key, 100)
    assert _open() == []
    assert DeviceCheck.objects.get().end == CheckEnd.HEARTBEAT


def test_a_silent_device_that_comes_back_low_keeps_its_check_for_the_battery(
    elder: Any, clock: Any
) -> None:
    clock.shift(dt.timedelta(hours=HOURS + 1))
    device_checks_sweep()
    _beat(elder.button_key, 5)
    assert _open() == [(elder.button.pk, CheckReason.LOW_BATTERY)]
    assert DeviceCheck.objects.count() == 1


def test_the_worker_closes_a_check_and_it_is_not_opened_again_at_once(
    elder: Any, clock: Any, worker: Any
) -> None:
    clock.shift(dt.timedelta(hours=HOURS + 1))
    device_checks_sweep()
    listed = client_for(worker).get(CHECKS)
    assert listed.status_code == 200
    [item] = listed.json()
    assert (item["device"], item["reason"], item["person"]) == (
        elder.button.pk,
        "silent",
        "陈大爷",
    )
    url = f"{CHECKS}/{item['id']}/close"
    client = client_for(worker)
    empty = client.post(url, {"note": "  "}, content_type="application/json")
    assert empty.status_code == 422 and empty.json()["field"] == "note"
    assert _open() != []
    done = client.post(url, {"note": "按钮没电了，已换电池"}, content_type="application/json")
    assert done.status_code == 200, done.content
    check = DeviceCheck.objects.get()
    assert (check.end, check.closed_by_id, check.note) == (
        CheckEnd.WORKER,
        worker.pk,
        "按钮没电了，已换电池",
    )
    again = client.post(url, {"note": "再关"}, content_type="application/json")
    assert again.status_code == 409 and again.json()["field"] == "status"
    # the look counts: still silent, but not reported again for another silence period
    clock.shift(dt.timedelta(hours=HOURS - 1))
    assert device_checks_sweep() == 0
    clock.shift(dt.timedelta(hours=2))
    assert device_checks_sweep() == 1


def test_a_low_battery_closed_by_the_worker_is_not_reported_twice(
    elder: Any, clock: Any, worker: Any
) -> None:
    _beat(elder.button_key, 10)
    device_checks_sweep()
    check = DeviceCheck.objects.get()
    client_for(worker).post(
        f"{CHECKS}/{check.pk}/close", {"note": "已提醒家属充电"}, content_type="application/json"
    )
    assert device_checks_sweep() == 0
    clock.shift(dt.timedelta(minutes=30))
    _beat(elder.button_key, 9)  # still low, reported after the look: a new check
    assert device_checks_sweep() == 1


def test_revoking_a_device_closes_its_check(elder: Any, clock: Any, leader: Any) -> None:
    clock.shift(dt.timedelta(hours=HOURS + 1))
    device_checks_sweep()
    device_revoke(actor=leader, device=elder.button, reason="丢失")  # the bare service
    device_checks_sweep()
    assert DeviceCheck.objects.get().end == CheckEnd.GONE
    clock.shift(dt.timedelta(hours=HOURS + 1))
    assert device_checks_sweep() == 0


def test_the_neighbouring_grid_is_refused(elder: Any, clock: Any, neighbour: Any) -> None:
    clock.shift(dt.timedelta(hours=HOURS + 1))
    device_checks_sweep()
    check = DeviceCheck.objects.get()
    assert client_for(neighbour).get(CHECKS).json() == []
    assert client_for(neighbour).get(f"{CHECKS}?grid=M1").status_code == 404
    refused = client_for(neighbour).post(
        f"{CHECKS}/{check.pk}/close", {"note": "看过了"}, content_type="application/json"
    )
    assert refused.status_code == 404
    assert DeviceCheck.objects.get().closed_at is None


def test_a_resident_sees_no_checks(elder: Any, clock: Any, resident: Any) -> None:
    clock.shift(dt.timedelta(hours=HOURS + 1))
    device_checks_sweep()
    assert client_for(resident).get(CHECKS).json() == []
