"""Leave takes a person off on duty now while it lasts, and their substitute answers instead."""

from __future__ import annotations

from typing import Any

from finegrid.accounts.models import Role, User
from finegrid.workforce.onduty import Reason, on_duty
from finegrid.workforce.services_leave import leave_cancel, leave_create

from .helpers_onduty import MONDAY, at, make_worker, names, person, staff


def test_a_grid_head_on_leave_is_replaced_by_the_substitute(
    net: Any, worker: User, gridhead: User, official: User, time_machine: Any
) -> None:
    staff(net, worker, gridhead)
    deputy = person("deputy", "赵代班", Role.GRID_WORKER, net.g1)
    make_worker(deputy)
    time_machine.move_to(at(MONDAY, "08:00"), tick=False)
    leave_create(
        actor=official,
        person=gridhead,
        starts_at=at(MONDAY, "12:00"),
        ends_at=at(MONDAY, "18:00"),
        reason="病假",
        substitute=deputy,
    )
    time_machine.move_to(at(MONDAY, "11:59"), tick=False)
    assert names(on_duty(grid=net.m1)) == ["蔡如欣", "张志强"]

    time_machine.move_to(at(MONDAY, "12:00"), tick=False)
    result = on_duty(grid=net.m1)
    assert names(result) == ["蔡如欣", "赵代班"]
    stand_in = result.entries[1]
    assert stand_in.reason == Reason.SUBSTITUTE and stand_in.role == Reason.GRID_HEAD_HOURS
    assert stand_in.message_en.startswith(
        "Standing in for 张志强, on leave: Grid head of 锦丰第1网格"
    )
    assert [(e.person.name, e.reason) for e in result.skipped] == [("张志强", Reason.ON_LEAVE)]


def test_leave_without_a_substitute_just_leaves_the_person_out(
    net: Any, worker: User, gridhead: User, time_machine: Any
) -> None:
    staff(net, worker, gridhead)
    time_machine.move_to(at(MONDAY, "08:00"), tick=False)
    leave_create(
        actor=worker,
        person=worker,
        starts_at=at(MONDAY, "09:00"),
        ends_at=at(MONDAY, "10:00"),
        reason="就医",
    )
    time_machine.move_to(at(MONDAY, "09:30"), tick=False)
    result = on_duty(grid=net.m1)
    assert names(result) == ["张志强"]
    assert "on leave until 03-08 10:00" in result.skipped[0].message_en
    time_machine.move_to(at(MONDAY, "10:00"), tick=False)
    assert names(on_duty(grid=net.m1)) == ["蔡如欣", "张志强"]


def test_cancelled_leave_puts_the_person_back(
    net: Any, worker: User, gridhead: User, time_machine: Any
) -> None:
    staff(net, worker, gridhead)
    time_machine.move_to(at(MONDAY, "09:30"), tick=False)
    leave = leave_create(
        actor=worker,
        person=worker,
        starts_at=at(MONDAY, "09:00"),
        ends_at=at(MONDAY, "12:00"),
        reason="事假",
    )
    assert names(on_duty(grid=net.m1)) == ["张志强"]
    leave_cancel(actor=worker, leave=leave)
    assert names(on_duty(grid=net.m1)) == ["蔡如欣", "张志强"]


def test_a_substitute_who_is_on_leave_too_is_not_called(
    net: Any, worker: User, gridhead: User, official: User, time_machine: Any
) -> None:
    staff(net, worker, gridhead)
    time_machine.move_to(at(MONDAY, "08:00"), tick=False)
    leave_create(
        actor=official,
        person=gridhead,
        starts_at=at(MONDAY, "09:00"),
        ends_at=at(MONDAY, "12:00"),
        reason="培训",
        substitute=official,
    )
    leave_create(
        actor=official,
        person=official,
        starts_at=at(MONDAY, "09:00"),
        ends_at=at(MONDAY, "12:00"),
        reason="开会",
    )
    time_machine.move_to(at(MONDAY, "10:00"), tick=False)
    assert names(on_duty(grid=net.m1)) == ["蔡如欣"]
