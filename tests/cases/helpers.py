from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from finegrid.accounts.models import Role, RoleAssignment, User
from finegrid.cases import services
from finegrid.cases.models import Case, Department
from finegrid.grids.models import Duty, Grid
from finegrid.grids.services import responsibility_assign

# A Monday morning in Chengdu, 10:00 local (02:00 UTC), for tests that need a known working day:
# such a test moves the whole clock there (fixture `at_monday_10`), never just one call.
MONDAY_10 = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)


def report(
    actor: Any,
    *,
    category: str = "sanitation",
    lat: float = 30.01,
    lng: float = 104.005,
    now: dt.datetime | None = None,
    **kw: Any,
) -> Case:
    """Report a case at `now`, by default the test's clock (real, shifted or moved)."""
    data = services.CaseReport(
        category=category,
        description=kw.pop("description", "楼道堆放杂物"),
        source=kw.pop("source", "patrol"),
        lat=lat,
        lng=lng,
        **kw,
    )
    case, _created = services.case_report(actor=actor, report=data, now=now or timezone.now())
    return case


def department_user(grid: Grid, code: str = "chengguan", username: str = "cg") -> User:
    user = User.objects.create_user(username=username, password="x" * 12, display_name="城管王队")
    RoleAssignment.objects.create(user=user, role=Role.DEPARTMENT_STAFF, grid=grid)
    Department.objects.get(code=code).staff.add(user)
    return user


def staff_net(net: Any, worker: User, gridhead: User) -> None:
    responsibility_assign(person=worker, duty=Duty.MICRO_WORKER, grid=net.m1)
    responsibility_assign(person=gridhead, duty=Duty.GRID_HEAD, grid=net.g1)
