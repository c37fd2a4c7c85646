"""On a holiday of the cases calendar the grid head is off unless on a shift."""

from __future__ import annotations

from typing import Any

from finegrid.accounts.models import User
from finegrid.cases.models import Holiday
from finegrid.workforce.models import ShiftKind
from finegrid.workforce.onduty import Reason, on_duty

from .helpers_onduty import HOLIDAY, SATURDAY, at, make_holiday, names, shift, staff


def test_on_a_holiday_the_grid_head_is_off_and_the_community_officer_answers(
    net: Any, worker: User, gridhead: User, official: User, time_machine: Any
) -> None:
    staff(net, worker, gridhead)
    make_holiday()
    shift(official, ShiftKind.COMMUNITY_DUTY, net.c1, at(HOLIDAY, "09:00"), at(HOLIDAY, "21:00"))
    time_machine.move_to(at(HOLIDAY, "10:00"), tick=False)
    result = on_duty(grid=net.m1)
    assert not result.workday
    assert names(result) == ["蔡如欣", "胡晓梅"]
    assert result.entries[1].reason == Reason.COMMUNITY_DUTY
    assert [(e.person.name, e.reason) for e in result.skipped] == [("张志强", Reason.REST_DAY)]


def test_a_holiday_entered_a_moment_ago_counts_at_once(
    net: Any, worker: User, gridhead: User, time_machine: Any
) -> None:
    staff(net, worker, gridhead)
    time_machine.move_to(at(HOLIDAY, "10:00"), tick=False)
    assert names(on_duty(grid=net.m1)) == ["蔡如欣", "张志强"]
    make_holiday()
    assert names(on_duty(grid=net.m1)) == ["蔡如欣"]


def test_a_grid_head_on_an_extended_shift_answers_on_a_holiday(
    net: Any, worker: User, gridhead: User, time_machine: Any
) -> None:
    staff(net, worker, gridhead)
    make_holiday()
    shift(gridhead, ShiftKind.EXTENDED, net.g1, at(HOLIDAY, "09:00"), at(HOLIDAY, "12:00"))
    time_machine.move_to(at(HOLIDAY, "11:00"), tick=False)
    result = on_duty(grid=net.m1)
    assert names(result) == ["蔡如欣", "张志强"]
    assert result.entries[1].reason == Reason.EXTENDED
    assert "09:00–12:00" in result.entries[1].message_en
    assert result.skipped == []


def test_a_working_weekend_day_brings_the_grid_head_back(
    net: Any, worker: User, gridhead: User, time_machine: Any
) -> None:
    staff(net, worker, gridhead)
    Holiday.objects.update_or_create(date=SATURDAY, defaults={"is_workday": True})
    time_machine.move_to(at(SATURDAY, "10:00"), tick=False)
    assert names(on_duty(grid=net.m1)) == ["蔡如欣", "张志强"]
