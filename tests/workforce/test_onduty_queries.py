"""On duty now reads a constant number of queries whatever the number of workers and shifts."""

from __future__ import annotations

from typing import Any

from finegrid.accounts.models import Role, User
from finegrid.grids.models import Duty
from finegrid.grids.services import responsibility_assign
from finegrid.workforce.models import ShiftKind
from finegrid.workforce.onduty import on_duty_for_code
from finegrid.workforce.services_leave import leave_create

from .helpers_onduty import MONDAY, SINCE, at, make_worker, person, shift, staff, station

# the grid, its ancestors, the day's holiday row, responsibilities, shifts, leave
QUERIES = 6


def _more(net: Any, n: int, official: User) -> None:
    home = station(net.g1, f"服务站{n}")
    for i in range(n):
        micro = person(f"m{n}-{i}", f"微{i}", Role.MICRO_WORKER, net.m1)
        make_worker(micro)
        responsibility_assign(person=micro, duty=Duty.MICRO_WORKER, grid=net.m1, at=SINCE)
        duty = person(f"s{n}-{i}", f"站{i}", Role.GRID_HEAD, net.g1)
        make_worker(duty)
        shift(duty, ShiftKind.STATION_DUTY, net.g1, at(MONDAY, "09:00"), at(MONDAY, "17:00"), home)
        leave_create(
            actor=official,
            person=micro,
            starts_at=at(MONDAY, "08:00"),
            ends_at=at(MONDAY, "12:00"),
            reason="请假",
            substitute=duty,
        )


def test_queries_do_not_grow_with_workers_shifts_or_leave(
    net: Any,
    worker: User,
    gridhead: User,
    official: User,
    time_machine: Any,
    django_assert_num_queries: Any,
) -> None:
    staff(net, worker, gridhead)
    time_machine.move_to(at(MONDAY, "10:00"), tick=False)
    _more(net, 1, official)
    with django_assert_num_queries(QUERIES):
        small = on_duty_for_code(code="M1")
    _more(net, 12, official)
    with django_assert_num_queries(QUERIES):
        large = on_duty_for_code(code="M1")
    assert len(large.entries) > len(small.entries) + 10
