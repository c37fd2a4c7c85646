"""A weekend evening: staggered and extended hours and the community duty officer answer."""

from __future__ import annotations

from typing import Any

from finegrid.accounts.models import Role, User
from finegrid.workforce.models import ShiftKind
from finegrid.workforce.onduty import Reason, on_duty

from .helpers_onduty import SATURDAY, at, make_worker, names, person, shift, staff


def test_a_saturday_evening_calls_the_extended_cover_then_the_duty_officer(
    net: Any, worker: User, gridhead: User, official: User, time_machine: Any
) -> None:
    staff(net, worker, gridhead)
    late = person("late", "孙延时", Role.GRID_WORKER, net.g1)
    make_worker(late)
    shift(late, ShiftKind.EXTENDED, net.g1, at(SATURDAY, "17:30"), at(SATURDAY, "21:00"))
    sunday_morning = at(SATURDAY, "09:00").replace(day=14)
    shift(official, ShiftKind.COMMUNITY_DUTY, net.c1, at(SATURDAY, "09:00"), sunday_morning)
    time_machine.move_to(at(SATURDAY, "20:00"), tick=False)
    result = on_duty(grid=net.m1)
    assert names(result) == ["蔡如欣", "孙延时", "胡晓梅"]
    assert [e.reason for e in result.entries] == [
        Reason.MICRO_WORKER,
        Reason.EXTENDED,
        Reason.COMMUNITY_DUTY,
    ]
    assert (
        result.entries[2].message_en
        == "Community duty officer of 锦丰社区, 03-13 09:00–03-14 09:00"
    )
    assert result.entries[2].grid_code == "C1"


def test_another_communitys_duty_officer_is_not_called(
    net: Any, worker: User, gridhead: User, official: User, time_machine: Any
) -> None:
    staff(net, worker, gridhead)
    other = person("c2off", "高堆值班", Role.COMMUNITY_OFFICIAL, net.c2)
    shift(other, ShiftKind.COMMUNITY_DUTY, net.c2, at(SATURDAY, "09:00"), at(SATURDAY, "21:00"))
    time_machine.move_to(at(SATURDAY, "20:00"), tick=False)
    assert names(on_duty(grid=net.m1)) == ["蔡如欣"]
