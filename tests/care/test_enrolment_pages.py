"""/care/enrolments/: the list with the devices to check, enrolling a person (the keys shown
once), one enrolment (add, revoke, end), and /care/chains/<code>/."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from finegrid.care import services_enrolment
from finegrid.care.models import ChainStep, Device, DeviceCheck, Enrolment, FamilyContact
from finegrid.care.services_devices import device_checks_sweep
from tests.care.helpers import enrol_elder, staff
from tests.care.helpers_devices import tagged_person
from tests.conftest import client_for, sent_home

pytestmark = pytest.mark.django_db

LIST = "/care/enrolments/"


def _enrol_form(**extra: str) -> dict[str, str]:
    data = {
        "device_1_kind": "button",
        "device_1_label": "床头按钮",
        "device_2_kind": "phone",
        "device_2_label": "",
        "contact_1_name": "王晓",
        "contact_1_phone": "13800138000",
        "contact_1_relation": "女儿",
    }
    data.update(extra)
    return data


def test_the_list_shows_the_enrolled_and_the_devices_to_check(
    net: Any, leader: Any, official: Any, worker: Any, gridhead: Any, settings: Any
) -> None:
    staff(net, worker, gridhead, since=timezone.now() - dt.timedelta(days=1))
    elder = enrol_elder(net, leader)
    Device.objects.filter(pk=elder.button.pk).update(battery=5, last_heartbeat_at=timezone.now())
    device_checks_sweep()
    page = client_for(official).get(LIST)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'id="enrolment-{elder.enrolment.pk}"' in html and "陈大爷" in html
    check = DeviceCheck.objects.get()
    assert f'id="check-{check.pk}"' in html
    assert elder.button_key not in html and elder.button.key_hint in html
    # the micro-grid worker sees the checks, not the enrolments
    mine = client_for(worker).get(LIST).content.decode()
    assert f'id="check-{check.pk}"' in mine and 'id="enrolments"' not in mine
    closed = client_for(worker).post(
        f"/care/device-checks/{check.pk}/close", {"note": "换了电池", "next": LIST}
    )
    assert closed.status_code == 302 and closed["Location"] == LIST
    assert DeviceCheck.objects.get().end == "worker"


def test_the_list_takes_a_constant_number_of_queries(
    net: Any, leader: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(10):
        person = tagged_person(leader, net.m1, name=f"老人{n}", phone=f"139000{n:05d}")
        services_enrolment.enrolment_create(
            actor=leader,
            person=person,
            devices=[
                services_enrolment.DeviceSpec("button"),
                services_enrolment.DeviceSpec("phone"),
            ],
            contacts=[services_enrolment.ContactSpec("家属", "13800138000")],
        )
    client = client_for(leader)
    client.get(LIST)
    with django_assert_max_num_queries(20):
        page = client.get(LIST)
    assert page.content.decode().count('id="enrolment-') == 10


def test_it_finds_a_person_with_a_care_tag_and_enrols_them_showing_the_keys_once(
    net: Any, leader: Any, official: Any
) -> None:
    person = tagged_person(leader, net.m1)
    tagged_person(leader, net.m1, name="王先生", phone="13900009999", tagged=False)
    found = client_for(official).get(LIST + "?find=王").content.decode()
    assert f'id="candidate-{person.pk}"' in found and "王先生" not in found
    form = client_for(official).get(f"/care/enrolments/new/{person.pk}/")
    assert form.status_code == 200
    done = client_for(official).post(f"/care/enrolments/new/{person.pk}/", _enrol_form())
    assert done.status_code == 200, done.content.decode()[:2000]
    assert done["Cache-Control"] == "no-store"
    html = done.content.decode()
    keys = re.findall(r'value="(fgd_[^"]+)"', html)
    assert len(keys) == 2 and 'id="key-warning"' in html
    assert {services_enrolment.device_for_key(k).kind for k in keys} == {"button", "phone"}
    enrolment = Enrolment.objects.get(person=person)
    detail = client_for(official).get(f"/care/enrolments/{enrolment.pk}/").content.decode()
    assert not any(k in detail for k in keys)
    assert FamilyContact.objects.get().name == "王晓"
    # already enrolled: no longer offered
    assert (
        f'id="candidate-{person.pk}"'
        not in client_for(official).get(LIST + "?find=王").content.decode()
    )


def test_a_bad_row_is_shown_beside_its_field_and_nothing_is_written(
    net: Any, leader: Any, official: Any
) -> None:
    person = tagged_person(leader, net.m1)
    refused = client_for(official).post(
        f"/care/enrolments/new/{person.pk}/",
        _enrol_form(contact_1_phone="123", device_2_kind="login"),
    )
    assert refused.status_code == 422
    html = refused.content.decode()
    assert 'id="error-contact_1_phone"' in html and 'id="error-device_2_kind"' in html
    assert not Enrolment.objects.exists() and not Device.objects.exists()


def test_the_detail_adds_revokes_and_ends(net: Any, leader: Any, official: Any) -> None:
    elder = enrol_elder(net, leader)
    url = f"/care/enrolments/{elder.enrolment.pk}/"
    client = client_for(official)
    added = client.post(url + "devices", {"kind": "button", "label": "卫生间"})
    assert added.status_code == 200 and added["Cache-Control"] == "no-store"
    [key] = re.findall(r'value="(fgd_[^"]+)"', added.content.decode())
    new = services_enrolment.device_for_key(key)
    empty = client.post(f"/care/devices/{new.pk}/revoke", {"revoke-reason": ""})
    assert empty.status_code == 422 and 'id="error-revoke"' in empty.content.decode()
    assert Device.objects.get(pk=new.pk).revoked_at is None
    revoked = client.post(f"/care/devices/{new.pk}/revoke", {"revoke-reason": "丢失"})
    assert revoked.status_code == 302 and revoked["Location"] == url
    assert Device.objects.get(pk=new.pk).revoke_reason == "丢失"
    ended = client.post(url + "end", {"end-reason": "搬去养老院"})
    assert ended.status_code == 302
    assert Enrolment.objects.get().end_reason == "搬去养老院"
    assert 'id="ended"' in client.get(url).content.decode()


def test_the_neighbouring_grid_is_refused(
    net: Any, leader: Any, neighbour: Any, worker: Any
) -> None:
    elder = enrol_elder(net, leader)
    person = tagged_person(leader, net.m1)
    client = client_for(neighbour)
    assert client.get(f"/care/enrolments/{elder.enrolment.pk}/").status_code == 404
    assert client.get(f"/care/enrolments/new/{person.pk}/").status_code == 404
    assert client.post(f"/care/enrolments/new/{person.pk}/", _enrol_form()).status_code == 404
    assert (
        client.post(f"/care/devices/{elder.button.pk}/revoke", {"revoke-reason": "x"}).status_code
        == 404
    )
    assert (
        client.post(f"/care/enrolments/{elder.enrolment.pk}/end", {"end-reason": "x"}).status_code
        == 404
    )
    assert "陈大爷" not in client.get(LIST).content.decode()
    assert Device.objects.filter(revoked_at__isnull=True).count() == 2
    assert Enrolment.objects.count() == 1
    # a micro-grid worker of the household may see it in the registry, but not enrol
    assert (
        client_for(worker).post(f"/care/enrolments/new/{person.pk}/", _enrol_form()).status_code
        == 403
    )


def test_a_resident_is_sent_home(net: Any, resident: Any) -> None:
    assert sent_home(client_for(resident).get(LIST))


def test_the_chain_page_edits_the_steps_naming_the_bad_row(
    net: Any, official: Any, gridhead: Any, neighbour: Any
) -> None:
    url = "/care/chains/C1/"
    client = client_for(official)
    page = client.get(url)
    assert page.status_code == 200 and 'id="default-chain"' in page.content.decode()
    refused = client.post(
        url, {"role_1": "micro_worker", "seconds_1": "60", "role_2": "grid_head", "seconds_2": "5"}
    )
    assert refused.status_code == 422
    assert 'id="error-step-2"' in refused.content.decode()
    assert not ChainStep.objects.exists()
    saved = client.post(
        url,
        {"role_1": "micro_worker", "seconds_1": "45", "role_2": "family", "seconds_2": "120"},
    )
    assert saved.status_code == 302
    assert list(ChainStep.objects.values_list("order", "role", "seconds")) == [
        (0, "micro_worker", 45),
        (1, "family", 120),
    ]
    # a grid head of the community's grid does not oversee the community: not found
    assert client_for(gridhead).get(url).status_code == 404
    assert (
        client_for(gridhead).post(url, {"role_1": "family", "seconds_1": "60"}).status_code == 404
    )
    assert client_for(neighbour).get(url).status_code == 404
    assert ChainStep.objects.count() == 2
