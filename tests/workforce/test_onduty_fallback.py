"""Never empty: with nobody on duty, the duty phone of the nearest grid that has one."""

from __future__ import annotations

from typing import Any

from finegrid.grids.models import Grid
from finegrid.workforce.onduty import Reason, on_duty

from .helpers_onduty import SATURDAY, at


def test_nobody_on_duty_falls_back_to_the_communitys_duty_phone(
    net: Any, time_machine: Any
) -> None:
    Grid.objects.filter(pk=net.c1.pk).update(phone="02887654321")
    Grid.objects.filter(pk=net.street.pk).update(phone="02880000000")
    time_machine.move_to(at(SATURDAY, "03:00"), tick=False)
    result = on_duty(grid=net.m1)
    assert len(result.entries) == 1
    entry = result.entries[0]
    assert (entry.reason, entry.grid_code, entry.phone) == (Reason.DUTY_PHONE, "C1", "02887654321")
    assert entry.phone_masked == "028****4321"
    assert entry.message_en == "Nobody is on duty: the duty phone of 锦丰社区"
    assert entry.message == "无人值班：请拨打锦丰社区值班电话"


def test_the_street_answers_when_no_nearer_grid_has_a_phone(net: Any, time_machine: Any) -> None:
    Grid.objects.filter(pk=net.street.pk).update(phone="02880000000")
    time_machine.move_to(at(SATURDAY, "03:00"), tick=False)
    assert on_duty(grid=net.m1).entries[0].grid_code == "S"


def test_with_no_phone_anywhere_it_still_says_so(net: Any, time_machine: Any) -> None:
    time_machine.move_to(at(SATURDAY, "03:00"), tick=False)
    result = on_duty(grid=net.m1)
    assert [e.reason for e in result.entries] == [Reason.DUTY_PHONE]
    assert result.entries[0].phone == ""
