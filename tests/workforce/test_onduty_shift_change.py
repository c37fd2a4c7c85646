"""On duty now follows a station's roster across a shift change, and the grid head's hours."""

from __future__ import annotations

from typing import Any

import pytest

from finegrid.accounts.models import Role
from finegrid.workforce.models import ShiftKind
from finegrid.workforce.onduty import Reason, on_duty

from .helpers_onduty import MONDAY, at, make_worker, names, person, shift, staff, station


@pytest.fixture
def roster(net: Any, worker: Any, gridhead: Any) -> tuple[Any, Any]:
    staff(net, worker, gridhead)
    morning = person("h1", "王早班", Role.GRID_HEAD, net.c1)
    afternoon = person("h2", "李午班", Role.GRID_HEAD, net.c1)
    make_worker(morning)
    make_worker(afternoon)
    home = station(net.g1)
    shift(morning, ShiftKind.STATION_DUTY, net.g1, at(MONDAY, "09:00"), at(MONDAY, "13:00"), home)
    shift(afternoon, ShiftKind.STATION_DUTY, net.g1, at(MONDAY, "13:00"), at(MONDAY, "17:00"), home)
    return morning, afternoon


def test_the_morning_duty_holder_answers_until_the_change(
    net: Any, roster: Any, time_machine: Any
) -> None:
    time_machine.move_to(at(MONDAY, "12:59"), tick=False)
    result = on_duty(grid=net.m1)
    assert names(result) == ["蔡如欣", "张志强", "王早班"]
    station_entry = result.entries[2]
    assert station_entry.role == Reason.STATION_DUTY
    assert "怡丽佳苑服务站" in station_entry.message and "09:00–13:00" in station_entry.message
    assert "Station duty" in station_entry.message_en
    assert result.entries[0].message_en == "Micro-grid worker of 锦丰1-1微网格"


def test_the_afternoon_holder_takes_over_at_the_minute_of_the_change(
    net: Any, roster: Any, time_machine: Any
) -> None:
    time_machine.move_to(at(MONDAY, "13:00"), tick=False)
    assert names(on_duty(grid=net.m1)) == ["蔡如欣", "张志强", "李午班"]


def test_after_the_station_closes_and_working_hours_end_only_the_worker_is_left(
    net: Any, roster: Any, time_machine: Any
) -> None:
    time_machine.move_to(at(MONDAY, "17:31"), tick=False)
    result = on_duty(grid=net.m1)
    assert names(result) == ["蔡如欣"]
    assert [(e.person.name, e.reason) for e in result.skipped if e.person] == [
        ("张志强", Reason.OFF_HOURS)
    ]


def test_the_grid_head_is_on_until_the_end_of_working_hours(
    net: Any, roster: Any, time_machine: Any
) -> None:
    time_machine.move_to(at(MONDAY, "17:29"), tick=False)
    assert names(on_duty(grid=net.m1)) == ["蔡如欣", "张志强"]


def test_working_hours_come_from_settings(
    net: Any, roster: Any, time_machine: Any, settings: Any
) -> None:
    settings.GRID_HEAD_HOURS = "08:30-12:00"
    time_machine.move_to(at(MONDAY, "08:45"), tick=False)
    assert names(on_duty(grid=net.m1)) == ["蔡如欣", "张志强"]
    time_machine.move_to(at(MONDAY, "12:30"), tick=False)
    assert names(on_duty(grid=net.m1)) == ["蔡如欣", "王早班"]


def test_a_moment_in_the_past_answers_who_was_on_then(
    net: Any, roster: Any, time_machine: Any
) -> None:
    time_machine.move_to(at(MONDAY, "20:00"), tick=False)
    assert names(on_duty(grid=net.m1, at=at(MONDAY, "10:00"))) == ["蔡如欣", "张志强", "王早班"]
