"""The clock of daily care: a person living alone is watched for a contact every day; a missed
one alerts the micro-grid worker at 18:00 of the day it falls due, and the grid head four hours
later; a contact (or a household visit logged in the workforce) starts the clock again."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from finegrid.care import services_daily
from finegrid.care.models import ContactWatch, WatchStage
from finegrid.notifications.models import Notification
from finegrid.registry.models import CareKind, CareTag
from finegrid.registry.services import care_tag_end
from finegrid.workforce.services_patrols import household_visit_record
from tests.care.helpers_daily import person_in, staff, working_morning
from tests.workforce.helpers_patrols import make_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def morning():
    with time_machine.travel(working_morning(), tick=False) as traveller:
        yield traveller


@pytest.fixture
def elder(net, leader, worker, gridhead, morning):
    staff(net, worker, gridhead, since=timezone.now() - dt.timedelta(days=30))
    person = person_in(leader, net.m1)
    services_daily.watches_sync()
    return person


def notices(user):
    return list(
        Notification.objects.filter(user=user, kind="care.quiet").values_list("title", flat=True)
    )


def test_a_person_living_alone_is_watched_for_a_contact_every_day(elder):
    watch = ContactWatch.objects.get(person=elder)
    assert watch.tag_kind == CareKind.LIVING_ALONE and watch.every_days == 1
    due = timezone.localtime(watch.due_at)
    assert due.date() == timezone.localdate() + dt.timedelta(days=1)
    assert (due.hour, due.minute) == (18, 0)
    assert watch.stage == WatchStage.OK and watch.next_check_at == watch.due_at


def test_a_missed_contact_alerts_the_worker_then_the_grid_head(elder, worker, gridhead, morning):
    watch = ContactWatch.objects.get(person=elder)
    morning.move_to(watch.due_at - dt.timedelta(minutes=1))
    assert services_daily.contacts_sweep() == 0
    assert notices(worker) == [] and notices(gridhead) == []

    morning.move_to(watch.due_at + dt.timedelta(minutes=1))
    assert services_daily.contacts_sweep() == 1
    assert len(notices(worker)) == 1 and "陈大爷" in notices(worker)[0]
    assert notices(gridhead) == []
    watch.refresh_from_db()
    assert watch.stage == WatchStage.WORKER
    assert watch.next_check_at == timezone.now() + dt.timedelta(hours=4)
    assert services_daily.contacts_sweep() == 0  # told once

    morning.move_to(watch.next_check_at + dt.timedelta(minutes=1))
    assert services_daily.contacts_sweep() == 1
    assert len(notices(gridhead)) == 1 and len(notices(worker)) == 1
    watch.refresh_from_db()
    assert watch.stage == WatchStage.HEAD and watch.next_check_at is None
    morning.shift(dt.timedelta(days=3))
    assert services_daily.contacts_sweep() == 0
    assert len(notices(gridhead)) == 1


def test_two_sweeps_racing_alert_once(elder, worker, morning):
    stale = ContactWatch.objects.select_related("person", "household", "micro_grid").get()
    morning.move_to(stale.due_at + dt.timedelta(minutes=1))
    assert services_daily.contacts_sweep() == 1
    # the other sweep read the watch before the first moved it
    assert services_daily._sweep_one(stale, None, {}, {}, timezone.now()) == 0
    assert len(notices(worker)) == 1


def test_a_contact_starts_the_clock_again_and_clears_the_alerts(elder, worker, morning):
    watch = ContactWatch.objects.get(person=elder)
    morning.move_to(watch.due_at + dt.timedelta(minutes=1))
    services_daily.contacts_sweep()
    services_daily.contact_record(actor=worker, person_id=elder.pk, kind="phone")
    watch.refresh_from_db()
    assert watch.stage == WatchStage.OK
    assert watch.last_contact_at == timezone.now() and watch.last_contact_kind == "phone"
    assert watch.due_at == watch.next_check_at > timezone.now()
    assert watch.worker_alerted_at is None
    morning.move_to(watch.due_at - dt.timedelta(minutes=1))
    assert services_daily.contacts_sweep() == 0


def test_a_call_nobody_picked_up_is_logged_but_is_no_contact(elder, worker):
    before = ContactWatch.objects.get(person=elder).due_at
    done = services_daily.contact_record(
        actor=worker, person_id=elder.pk, kind="phone", reached=False
    )
    assert done.created and done.contact.reached is False
    assert ContactWatch.objects.get(person=elder).due_at == before


def test_a_household_visit_logged_in_the_workforce_counts(net, elder, worker, gridhead, morning):
    make_worker(worker, net.m1)
    morning.shift(dt.timedelta(hours=30))  # the next morning, before the contact falls due
    household_visit_record(actor=worker, household_id=elder.household_id, outcome="met")
    watch = ContactWatch.objects.get(person=elder)
    morning.move_to(watch.due_at + dt.timedelta(minutes=1))
    assert services_daily.contacts_sweep() == 1  # moved: the visit folded in, nobody told
    assert notices(worker) == [] and notices(gridhead) == []
    watch.refresh_from_db()
    assert watch.last_contact_kind == "visit" and watch.stage == WatchStage.OK
    assert watch.due_at > timezone.now()


def test_a_visit_nobody_answered_does_not_count(net, elder, worker, morning):
    make_worker(worker, net.m1)
    household_visit_record(actor=worker, household_id=elder.household_id, outcome="not_home")
    watch = ContactWatch.objects.get(person=elder)
    morning.move_to(watch.due_at + dt.timedelta(minutes=1))
    services_daily.contacts_sweep()
    assert len(notices(worker)) == 1


def test_the_aged_80_need_a_visit_a_call_will_not_do(net, leader, worker, gridhead, morning):
    staff(net, worker, gridhead, since=timezone.now() - dt.timedelta(days=30))
    old = person_in(
        leader, net.m1, name="王奶奶", kind=None, born=timezone.localdate().replace(year=1935)
    )
    services_daily.watches_sync()
    watch = ContactWatch.objects.get(person=old)
    assert watch.tag_kind == CareKind.AGED_80 and watch.visit_only and watch.every_days == 7
    due = watch.due_at
    services_daily.contact_record(actor=worker, person_id=old.pk, kind="phone")
    assert ContactWatch.objects.get(person=old).due_at == due
    morning.shift(dt.timedelta(days=2))
    services_daily.contact_record(actor=worker, person_id=old.pk, kind="visit")
    watch.refresh_from_db()
    assert watch.last_contact_kind == "visit" and watch.due_at > due


def test_an_ended_tag_ends_the_watch(elder, leader):
    tag = CareTag.objects.get(person=elder)
    care_tag_end(actor=leader, tag=tag)
    assert services_daily.watches_sync()["removed"] == 1
    assert not ContactWatch.objects.filter(person=elder).exists()


def test_with_nobody_on_duty_the_grid_head_is_told_at_once(net, leader, gridhead, morning):
    from finegrid.grids.models import Duty
    from finegrid.grids.services import responsibility_assign

    responsibility_assign(
        person=gridhead, duty=Duty.GRID_HEAD, grid=net.g1, at=timezone.now() - dt.timedelta(1)
    )
    person = person_in(leader, net.m2, name="刘大爷")
    services_daily.watches_sync()
    watch = ContactWatch.objects.get(person=person)
    morning.move_to(watch.due_at + dt.timedelta(minutes=1))
    assert services_daily.contacts_sweep() == 1
    assert len(notices(gridhead)) == 1
    assert ContactWatch.objects.get(pk=watch.pk).stage == WatchStage.HEAD
