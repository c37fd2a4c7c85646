"""A case's trace names who was responsible when it came in, whoever holds the duty later."""

from __future__ import annotations

import datetime as dt
from typing import Any

from finegrid.accounts.models import User
from finegrid.cases.models import CaseEvent
from finegrid.grids import selectors, services
from finegrid.grids.models import Duty, Responsibility
from finegrid.notifications.models import Notification
from tests.cases.helpers import MONDAY_10, report
from tests.conftest import Net, client_for
from tests.staffing.helpers import person


def test_a_case_reported_under_a_replaced_worker_still_names_them(
    net: Net, leader: User, worker: User, gridhead: User, time_machine: Any
) -> None:
    time_machine.move_to(MONDAY_10, tick=False)
    services.responsibility_assign(person=worker, duty=Duty.MICRO_WORKER, grid=net.m1)
    services.responsibility_assign(person=gridhead, duty=Duty.GRID_HEAD, grid=net.g1)
    time_machine.move_to(MONDAY_10 + dt.timedelta(hours=1), tick=False)
    first = report(leader, now=MONDAY_10 + dt.timedelta(hours=1))

    time_machine.move_to(MONDAY_10 + dt.timedelta(hours=2), tick=False)
    successor = person("successor", "王芳", net.m1)
    held = Responsibility.objects.current().get(duty=Duty.MICRO_WORKER)
    r = client_for(leader).post(
        f"/grids/M1/staffing/{held.pk}/replace", {"person": "successor", "reason": "调任"}
    )
    assert r.status_code == 302

    time_machine.move_to(MONDAY_10 + dt.timedelta(hours=3), tick=False)
    second = report(leader, now=MONDAY_10 + dt.timedelta(hours=3))

    def named(case: Any) -> list[str]:
        event = CaseEvent.objects.get(case=case, action="report")
        return [x["name"] for x in event.data["responsible"]]

    assert named(first) == ["蔡如欣", "张志强"]
    assert named(second) == ["王芳", "张志强"]
    page = client_for(leader).get(f"/cases/{first.pk}/").content.decode()
    trace = page[page.index('id="trace"') : page.index("</ol>", page.index('id="trace"'))]
    assert 'data-field="responsible"' in trace and "蔡如欣" in trace and "王芳" not in trace
    events = client_for(leader).get(f"/api/v1/cases/{first.pk}").json()["events"]
    assert events[0]["data"]["responsible"][0]["person"] == worker.pk
    # each was told of the case that came in while they held the duty, and only of that one
    assert [n.link for n in Notification.objects.filter(user=worker)] == [f"/cases/{first.pk}/"]
    assert [n.link for n in Notification.objects.filter(user=successor)] == [f"/cases/{second.pk}/"]
    # and the selector answers for any moment
    then = selectors.responsible_at(grid=net.m1, at=MONDAY_10 + dt.timedelta(hours=1))
    now = selectors.responsible_at(grid=net.m1, at=MONDAY_10 + dt.timedelta(hours=3))
    assert [x.person for x in then] == [worker] and [x.person for x in now] == [successor]
