"""The pages of daily care: the grid head's list of who has gone quiet, with a contact logged in
one tap, and the contact plans page; a neighbouring grid is refused."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from finegrid.care import services_daily
from finegrid.care.models import CareContact, ContactPlan, ContactWatch
from tests.care.helpers_daily import person_in, staff, working_morning
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def morning():
    with time_machine.travel(working_morning(), tick=False) as traveller:
        yield traveller


@pytest.fixture
def quiet_elder(net, leader, worker, gridhead, morning):
    staff(net, worker, gridhead, since=timezone.now() - dt.timedelta(days=30))
    person = person_in(leader, net.m1)
    services_daily.watches_sync()
    morning.move_to(ContactWatch.objects.get().due_at + dt.timedelta(hours=2))
    services_daily.contacts_sweep()
    return person


def test_the_grid_head_page_lists_who_has_gone_quiet(quiet_elder, gridhead):
    page = client_for(gridhead).get("/care/quiet/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "陈大爷" in text and "139****1111" in text and "13900001111" not in text
    assert 'id="quiet-count"' in text


def test_a_contact_is_logged_in_one_tap(quiet_elder, gridhead):
    client = client_for(gridhead)
    answer = client.post(
        "/care/contacts/new/",
        {"person": quiet_elder.pk, "kind": "phone", "reached": "1", "grid": "G1"},
        HTTP_HX_REQUEST="true",
    )
    assert answer.status_code == 200 and "fg-error" not in answer.content.decode()
    assert CareContact.objects.get().recorded_by == gridhead
    assert 'id="quiet-none"' in client.get("/care/quiet/?grid=G1").content.decode()


def test_a_refused_tap_says_why_and_writes_nothing(quiet_elder, gridhead):
    answer = client_for(gridhead).post(
        "/care/contacts/new/",
        {"person": quiet_elder.pk, "kind": "fax"},
        HTTP_HX_REQUEST="true",
    )
    assert answer.status_code == 422 and "fg-error" in answer.content.decode()
    assert not CareContact.objects.exists()


def test_the_quiet_page_of_a_neighbouring_grid_is_refused(quiet_elder, neighbour, gridhead):
    assert client_for(gridhead).get("/care/quiet/?grid=G2").status_code == 404
    assert client_for(neighbour).get("/care/quiet/?grid=M1").status_code == 404
    assert "陈大爷" not in client_for(neighbour).get("/care/quiet/").content.decode()
    answer = client_for(neighbour).post(
        "/care/contacts/new/", {"person": quiet_elder.pk, "kind": "phone"}
    )
    assert answer.status_code == 404 and not CareContact.objects.exists()


def test_an_official_sets_the_plans_on_the_page(official):
    client = client_for(official)
    page = client.get("/care/contact-plans/")
    assert page.status_code == 200 and 'name="living_alone-every_days"' in page.content.decode()
    saved = client.post(
        "/care/contact-plans/",
        {
            "community": "C1",
            "living_alone-every_days": "2",
            "living_alone-escalate_hours": "5",
            "living_alone-active": "on",
        },
    )
    assert saved.status_code == 302
    row = ContactPlan.objects.get()
    assert (row.tag_kind, row.every_days, row.escalate_hours, row.active) == (
        "living_alone",
        2,
        5,
        True,
    )


def test_bad_plans_on_the_page_are_shown_beside_their_row(official):
    refused = client_for(official).post(
        "/care/contact-plans/",
        {"community": "C1", "disabled-every_days": "0", "disabled-escalate_hours": "4"},
    )
    assert refused.status_code == 422
    assert "fg-error" in refused.content.decode()
    assert not ContactPlan.objects.exists()


def test_the_grid_head_reads_the_plans_but_cannot_change_them(gridhead):
    page = client_for(gridhead).get("/care/contact-plans/")
    assert page.status_code == 200
    assert 'name="living_alone-every_days"' not in page.content.decode()
    refused = client_for(gridhead).post(
        "/care/contact-plans/",
        {"community": "C1", "living_alone-every_days": "2", "living_alone-escalate_hours": "5"},
    )
    assert refused.status_code == 403 and not ContactPlan.objects.exists()
