"""Shared pieces of the station tests: 怡丽佳苑's station (Monday–Friday 9:00–17:00, family
doctors Tuesday and Friday) on the community C1, with two grid heads taking turns."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from finegrid.accounts.models import Role, RoleAssignment, User
from finegrid.grids.models import Duty, Grid, Level
from finegrid.grids.services import responsibility_assign
from finegrid.workforce.models import Station, StationService, VisitingService

LOCAL = ZoneInfo("Asia/Shanghai")
MON_FRI_9_17 = [{"weekday": d, "start": "09:00", "end": "17:00"} for d in range(5)]


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LOCAL)


def make_station(grid: Grid, name: str = "怡丽佳苑微网实格服务站") -> Station:
    station = Station(
        name=name,
        name_en="Yilijiayuan station",
        grid=grid,
        address="怡丽佳苑3栋架空层",
        lat=30.01,
        lng=104.005,
        phone="028-87900000",
        hours=MON_FRI_9_17,
        services=[StationService.RECEPTION, StationService.MEETINGS, StationService.FAMILY_DOCTOR],
    )
    station.save()
    station.rooms.create(name="议事室", name_en="Meeting room", capacity=20)
    return station


def second_grid(net: Any) -> Grid:
    """A second grid under C1 (drawn without a boundary: the rotation needs none)."""
    grid = Grid(code="G1B", name="锦丰第2网格", level=Level.GRID, parent=net.c1)
    grid.path = net.c1.path + "G1B/"
    grid.depth = net.g1.depth
    grid.save()
    return grid


def two_heads(net: Any, gridhead: User) -> tuple[User, User]:
    """gridhead heads G1; 王芳 heads G1B; both under C1."""
    other = User.objects.create_user(username="head2", password="x", display_name="王芳")
    g1b = second_grid(net)
    RoleAssignment.objects.create(user=other, role=Role.GRID_HEAD, grid=g1b)
    responsibility_assign(person=gridhead, duty=Duty.GRID_HEAD, grid=net.g1)
    responsibility_assign(person=other, duty=Duty.GRID_HEAD, grid=g1b)
    return gridhead, other


def family_doctor(station: Station) -> User:
    doctor = User.objects.create_user(username="doctor", password="x", display_name="刘医生")
    VisitingService.objects.create(
        station=station,
        service=StationService.FAMILY_DOCTOR,
        weekdays=[1, 4],
        start=dt.time(9, 0),
        end=dt.time(12, 0),
        person=doctor,
    )
    return doctor
