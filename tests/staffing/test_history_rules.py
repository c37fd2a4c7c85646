"""The rules the database keeps for responsibilities: ended, never deleted; one current holder of
a one-holder duty; several of a shared one; an end after its start, with a reason."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from finegrid.accounts.models import User
from finegrid.core.errors import InvalidInput
from finegrid.grids import selectors, services
from finegrid.grids.models import Duty, Responsibility
from tests.conftest import Net
from tests.staffing.helpers import person


def test_the_database_refuses_a_second_current_grid_head(
    net: Net, gridhead: User, worker: User
) -> None:
    services.responsibility_assign(person=gridhead, duty=Duty.GRID_HEAD, grid=net.g1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Responsibility.objects.create(
            person=worker, duty=Duty.GRID_HEAD, grid=net.g1, grid_path=net.g1.path
        )
    assert Responsibility.objects.count() == 1


def test_a_micro_grid_may_have_several_workers_but_not_the_same_one_twice(
    net: Net, worker: User
) -> None:
    second = person("second", "第二人", net.m1)
    services.responsibility_assign(person=worker, duty=Duty.MICRO_WORKER, grid=net.m1)
    services.responsibility_assign(person=second, duty=Duty.MICRO_WORKER, grid=net.m1)
    with pytest.raises(InvalidInput) as refused:
        services.responsibility_assign(person=worker, duty=Duty.MICRO_WORKER, grid=net.m1)
    assert refused.value.problems[0].field == "person"
    assert Responsibility.objects.current().count() == 2


def test_a_duty_may_be_held_again_after_it_ended(net: Net, worker: User, leader: User) -> None:
    first = services.responsibility_assign(person=worker, duty=Duty.MICRO_WORKER, grid=net.m1)
    services.responsibility_end(responsibility=first, actor=leader, reason="休假")
    again = services.responsibility_assign(person=worker, duty=Duty.MICRO_WORKER, grid=net.m1)
    assert Responsibility.objects.count() == 2
    assert list(Responsibility.objects.current()) == [again]


def test_the_database_refuses_an_end_without_a_reason_or_before_the_start(
    net: Net, worker: User
) -> None:
    r = services.responsibility_assign(person=worker, duty=Duty.MICRO_WORKER, grid=net.m1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Responsibility.objects.filter(pk=r.pk).update(ended_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Responsibility.objects.filter(pk=r.pk).update(
            ended_at=r.started_at - dt.timedelta(days=1), end_reason="x"
        )
    r.refresh_from_db()
    assert r.ended_at is None


def test_who_was_responsible_is_answered_for_any_moment(
    net: Net, worker: User, leader: User, time_machine: Any
) -> None:
    start = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)
    time_machine.move_to(start, tick=False)
    held = services.responsibility_assign(person=worker, duty=Duty.MICRO_WORKER, grid=net.m1)
    time_machine.move_to(start + dt.timedelta(days=30), tick=False)
    services.responsibility_end(responsibility=held, actor=leader, reason="搬离")
    at = selectors.responsible_at
    assert at(grid=net.m1, at=start - dt.timedelta(seconds=1)) == []
    assert [r.person for r in at(grid=net.m1, at=start)] == [worker]
    assert [r.person for r in at(grid=net.m1, at=start + dt.timedelta(days=29))] == [worker]
    assert at(grid=net.m1, at=start + dt.timedelta(days=30)) == []
    assert at(grid=net.m1, at=start, duties=[Duty.BUILDING_HEAD]) == []


def test_readers_of_who_is_responsible_see_only_current_holders(
    net: Net, worker: User, leader: User
) -> None:
    from finegrid.grids.services import household_create
    from finegrid.registry.selectors import household_worker

    held = services.responsibility_assign(person=worker, duty=Duty.MICRO_WORKER, grid=net.m1)
    home = household_create(address="1栋1单元101号", micro_grid=net.m1)
    assert [r.person for r in household_worker(home)] == [worker]
    services.responsibility_end(responsibility=held, actor=leader, reason="搬离")
    assert household_worker(home) == []
    assert selectors.responsibilities_for([net.m1]) == {net.m1.pk: []}
    assert selectors.board_context(net.m1)["people"] == []
