"""A worker with today's work: an assigned case, a shift ahead, a check-in."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from finegrid.cases import services
from finegrid.cases.models import Case
from finegrid.workforce.models import Checkin, Code, Shift, Worker
from tests.cases.helpers import report, staff_net


def assigned_case(net: Any, worker: Any, gridhead: Any, staffed: bool = False, **kw: Any) -> Case:
    if not staffed:
        staff_net(net, worker, gridhead)
    case = report(gridhead, description=kw.pop("description", "3栋楼道堆放杂物"), **kw)
    services.case_accept(actor=gridhead, case=case)
    return services.case_dispatch(actor=gridhead, case=case, assignee=worker)


def shift_ahead(user: Any, grid: Any, hours: int = 20) -> Shift:
    start = timezone.now() + dt.timedelta(hours=hours)
    return Shift.objects.create(
        person=user, kind="station_duty", grid=grid, starts_at=start,
        ends_at=start + dt.timedelta(hours=4),
    )  # fmt: skip


def checked_in(user: Any, grid: Any, name: str = "锦丰1-1微网格报到码") -> Checkin:
    profile, _ = Worker.objects.get_or_create(
        user=user, defaults={"type": "micro_worker", "origin": "party_member", "status": "active"}
    )
    code = Code.objects.create(kind="micro", object_id=grid.pk, name=name, grid=grid,
                               grid_path=grid.path, lat=30.01, lng=104.005)  # fmt: skip
    return Checkin.objects.create(
        worker=profile, code=code, code_version=1, grid=grid, grid_path=grid.path,
        lat=30.01, lng=104.005, distance_m=12, created_by=user,
    )  # fmt: skip
