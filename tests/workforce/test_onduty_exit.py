"""A worker who exited or is suspended is not called; a login with no worker profile is."""

from __future__ import annotations

from typing import Any

from finegrid.accounts.models import Role, User
from finegrid.grids.models import Duty
from finegrid.grids.services import responsibility_assign
from finegrid.workforce.models import Worker, WorkerStatus
from finegrid.workforce.onduty import Reason, on_duty

from .helpers_onduty import MONDAY, SINCE, at, names, person, staff


def test_an_exited_worker_is_left_out_and_says_why(
    net: Any, worker: User, gridhead: User, time_machine: Any
) -> None:
    staff(net, worker, gridhead)
    time_machine.move_to(at(MONDAY, "10:00"), tick=False)
    assert names(on_duty(grid=net.m1)) == ["蔡如欣", "张志强"]
    Worker.objects.filter(user=worker).update(status=WorkerStatus.EXITED)
    result = on_duty(grid=net.m1)
    assert names(result) == ["张志强"]
    left = result.skipped[0]
    assert (left.person.name, left.reason) == ("蔡如欣", Reason.NOT_ACTIVE)
    assert "exited" in left.message_en


def test_a_suspended_grid_head_is_skipped_too(
    net: Any, worker: User, gridhead: User, time_machine: Any
) -> None:
    staff(net, worker, gridhead)
    Worker.objects.filter(user=gridhead).update(status=WorkerStatus.SUSPENDED)
    time_machine.move_to(at(MONDAY, "10:00"), tick=False)
    assert names(on_duty(grid=net.m1)) == ["蔡如欣"]


def test_a_person_without_a_worker_profile_counts_as_active(net: Any, time_machine: Any) -> None:
    volunteer = person("v", "刘志愿", Role.MICRO_WORKER, net.m1)
    responsibility_assign(person=volunteer, duty=Duty.MICRO_WORKER, grid=net.m1, at=SINCE)
    time_machine.move_to(at(MONDAY, "10:00"), tick=False)
    result = on_duty(grid=net.m1)
    assert names(result) == ["刘志愿"]
    assert result.entries[0].phone_masked == "137****1111"
    assert result.entries[0].person.worker_id is None


def test_a_worker_whose_duty_ended_is_not_called(
    net: Any, worker: User, gridhead: User, time_machine: Any
) -> None:
    from finegrid.grids.models import Responsibility
    from finegrid.grids.services import responsibility_end

    staff(net, worker, gridhead)
    time_machine.move_to(at(MONDAY, "10:00"), tick=False)
    held = Responsibility.objects.get(person=worker, duty=Duty.MICRO_WORKER)
    responsibility_end(responsibility=held, actor=None, reason="退出")
    assert names(on_duty(grid=net.m1)) == ["张志强"]
    # the past still answers who was on then
    assert names(on_duty(grid=net.m1, at=at(MONDAY, "09:30"))) == ["蔡如欣", "张志强"]
