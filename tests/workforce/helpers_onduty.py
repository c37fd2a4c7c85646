"""Shared set-up for the on-duty tests: a staffed micro-grid on a fixed week of 2027.

The week of Monday 8 March 2027; Wednesday 10 March is made a holiday, Saturday 13 March is a
weekend day. Every test moves the clock into that week, so none depends on the day it runs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from finegrid.accounts.models import Role, RoleAssignment, User
from finegrid.cases.models import Holiday
from finegrid.grids.models import Duty, Grid
from finegrid.grids.services import responsibility_assign
from finegrid.workforce.models import Shift, ShiftKind, Station, Worker, WorkerStatus, WorkerType
from finegrid.workforce.services_shifts import ShiftSpec, shift_create

LOCAL = ZoneInfo("Asia/Shanghai")
MONDAY = dt.date(2027, 3, 8)
HOLIDAY = dt.date(2027, 3, 10)
SATURDAY = dt.date(2027, 3, 13)
SINCE = dt.datetime(2027, 1, 1, tzinfo=LOCAL)


def at(day: dt.date, hhmm: str) -> dt.datetime:
    hours, minutes = hhmm.split(":")
    return dt.datetime.combine(day, dt.time(int(hours), int(minutes)), tzinfo=LOCAL)


def make_holiday() -> None:
    Holiday.objects.update_or_create(
        date=HOLIDAY, defaults={"is_workday": False, "name": "测试假日", "name_en": "Test day"}
    )


def make_worker(user: User, kind: str = WorkerType.MICRO_WORKER, status: str = "active") -> Worker:
    return Worker.objects.create(
        user=user,
        type=kind,
        origin="volunteer",
        status=status or WorkerStatus.ACTIVE,
        phone_masked="139****" + str(user.pk).zfill(4)[-4:],
    )


def person(username: str, name: str, role: str, grid: Grid) -> User:
    user = User.objects.create_user(
        username=username, password="x" * 12, display_name=name, phone="13700001111"
    )
    RoleAssignment.objects.create(user=user, role=role, grid=grid)
    return user


def staff(net: Any, worker: User, gridhead: User) -> None:
    """The worker serves M1, the grid head heads G1, both since New Year."""
    make_worker(worker)
    make_worker(gridhead, WorkerType.GRID_HEAD)
    responsibility_assign(person=worker, duty=Duty.MICRO_WORKER, grid=net.m1, at=SINCE)
    responsibility_assign(person=gridhead, duty=Duty.GRID_HEAD, grid=net.g1, at=SINCE)


def station(grid: Grid, name: str = "怡丽佳苑服务站") -> Station:
    return Station.objects.create(name=name, grid=grid, phone="02888880000")


def shift(
    user: User,
    kind: str,
    grid: Grid,
    start: dt.datetime,
    end: dt.datetime,
    station_: Station | None = None,
) -> Shift:
    return shift_create(
        spec=ShiftSpec(
            user.pk, kind, grid.pk, start, end, station_id=station_.pk if station_ else None
        )
    )


def names(result: Any) -> list[str]:
    return [e.person.name if e.person else e.reason for e in result.entries]


__all__ = ["ShiftKind", "Role"]
