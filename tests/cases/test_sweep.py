from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from finegrid.accounts.models import User
from finegrid.cases import services
from finegrid.cases.models import Case, CaseEvent, Colour, Status
from finegrid.notifications.models import Notification
from tests.cases.helpers import MONDAY_10, report, staff_net
from tests.conftest import Net


@pytest.mark.usefixtures("at_monday_10")
def test_an_unaccepted_case_turns_yellow_then_escalates_up_the_tree(
    net: Net, worker: User, gridhead: User, official: User
) -> None:
    from finegrid.grids.models import Duty
    from finegrid.grids.services import responsibility_assign

    staff_net(net, worker, gridhead)
    responsibility_assign(person=official, duty=Duty.COMMUNITY_SECRETARY, grid=net.c1)
    case = report(worker)  # sanitation: accept within 2 working hours → 12:00
    assert case.accept_due == dt.datetime(2026, 11, 23, 4, 0, tzinfo=dt.UTC)
    services.cases_sweep(now=MONDAY_10 + dt.timedelta(minutes=100))
    case.refresh_from_db()
    assert case.colour == Colour.YELLOW and case.escalation_level == 0
    services.cases_sweep(now=MONDAY_10 + dt.timedelta(minutes=121))
    case.refresh_from_db()
    assert (case.escalation_level, case.handling_grid) == (1, net.c1)
    event = CaseEvent.objects.get(case=case, action="escalate")
    assert (event.data["from_grid"], event.data["to_grid"]) == ("G1", "C1")
    assert Notification.objects.filter(kind="case.escalated", user=official).exists()
    # and again, a clock later, up to the street
    services.cases_sweep(now=case.escalate_at + dt.timedelta(minutes=1))  # type: ignore[operator]
    case.refresh_from_db()
    assert (case.escalation_level, case.handling_grid) == (2, net.street)
    assert case.escalate_at is None  # nowhere higher to go


def test_an_accepted_case_escalates_only_after_its_resolve_deadline(
    net: Net, worker: User, gridhead: User
) -> None:
    case = report(worker)
    services.case_accept(actor=gridhead, case=case, now=MONDAY_10 + dt.timedelta(minutes=10))
    case.refresh_from_db()
    services.cases_sweep(now=case.accept_due + dt.timedelta(minutes=5))
    assert Case.objects.get().escalation_level == 0
    services.cases_sweep(now=case.resolve_due + dt.timedelta(minutes=1))
    case.refresh_from_db()
    assert case.escalation_level == 1 and case.colour == Colour.ORANGE


def test_a_resolved_case_is_never_swept(net: Net, worker: User, gridhead: User) -> None:
    case = report(worker)
    services.case_accept(actor=gridhead, case=case)
    services.case_resolve(actor=gridhead, case=case, note="已处理")
    case.refresh_from_db()
    assert case.next_check_at is None
    counts = services.cases_sweep(now=MONDAY_10 + dt.timedelta(days=30))
    assert counts["checked"] == 0
    assert Case.objects.get().status in (Status.RESOLVED, Status.AWAITING_FEEDBACK)


@pytest.mark.usefixtures("at_monday_10")
def test_the_sweep_reads_only_due_cases(net: Net, worker: User, gridhead: User) -> None:
    for _ in range(30):
        c = report(worker)
        services.case_accept(actor=gridhead, case=c)
        services.case_resolve(actor=gridhead, case=c, note="已处理")
    due = report(worker)
    with CaptureQueriesContext(connection) as ctx:
        counts = services.cases_sweep(now=MONDAY_10 + dt.timedelta(minutes=100))
    assert counts["checked"] == 1
    selects = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].lstrip().upper().startswith("SELECT") and '"cases_case"' in q["sql"]
    ]
    assert selects and all("next_check_at" in s for s in selects[:1])
    due.refresh_from_db()
    assert due.colour == Colour.YELLOW


def test_a_safety_critical_case_runs_on_calendar_time(net: Net, worker: User) -> None:
    saturday_night = dt.datetime(2026, 11, 28, 14, 0, tzinfo=dt.UTC)  # 22:00 local
    case = report(worker, category="gas", now=saturday_night, urgency="urgent")
    assert case.accept_due == saturday_night + dt.timedelta(minutes=15)
    gas_critical = report(worker, category="gas", now=saturday_night, urgency="critical")
    assert gas_critical.colour == Colour.RED
