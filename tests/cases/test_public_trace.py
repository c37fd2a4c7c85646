"""The reporter's view of a case's trace — the follow-up page, the public API and a resident's
own reports — is one: every step but the clock's colour changes and who supervises the case
(workflow.INTERNAL_ACTIONS, decision 0034)."""

from __future__ import annotations

import re

from django.test import Client

from finegrid.accounts.models import User
from finegrid.cases import services
from finegrid.cases.models import Case, CaseEvent
from finegrid.cases.selectors import cases_reported_by
from finegrid.cases.workflow import INTERNAL_ACTIONS, PUBLIC_ACTIONS, Action
from tests.cases.helpers import report
from tests.conftest import Net, client_for


def _a_case_with_internal_steps(resident: User, gridhead: User, official: User) -> Case:
    case = report(resident, source="resident")
    # the clock's first check recolours the case (it is not yet due to be carried up)
    assert case.next_check_at is not None and case.next_check_at < case.escalate_at
    services.cases_sweep(now=case.next_check_at)
    case = services.case_accept(actor=gridhead, case=case)
    services.case_supervise(actor=official, case=case, supervisor=official)
    services.case_progress(actor=gridhead, case=case, note="已联系物业")
    actions = set(CaseEvent.objects.filter(case=case).values_list("action", flat=True))
    assert {Action.COLOUR, Action.SUPERVISE} <= actions  # the steps to hide are there
    return case


def _page_labels(code: str) -> list[str]:
    body = Client().get(f"/track/{code}/").content.decode()
    trace = body[body.index('id="public-trace"') :]
    return re.findall(r'<div class="fg-trace-head"><strong>([^<]*)</strong>', trace)


def test_the_public_api_leaves_out_supervision_and_colour_changes(
    net: Net, resident: User, gridhead: User, official: User
) -> None:
    case = _a_case_with_internal_steps(resident, gridhead, official)
    events = Client().get(f"/api/v1/cases/track/{case.follow_code}").json()["events"]
    assert [e["action"] for e in events] == ["report", "accept", "progress"]
    assert CaseEvent.objects.filter(case=case).count() == 5  # the trace itself keeps them


def test_the_public_page_and_the_public_api_show_the_same_steps(
    net: Net, resident: User, gridhead: User, official: User
) -> None:
    case = _a_case_with_internal_steps(resident, gridhead, official)
    events = Client().get(f"/api/v1/cases/track/{case.follow_code}").json()["events"]
    assert _page_labels(case.follow_code) == [e["label"] for e in events]
    assert len(events) == 3


def test_a_residents_own_reports_count_the_same_steps(
    net: Net, resident: User, gridhead: User, official: User
) -> None:
    case = _a_case_with_internal_steps(resident, gridhead, official)
    body = client_for(resident).get("/home/").content.decode()
    assert case.number in body
    (mine,) = [c for c in cases_reported_by(user=resident) if c.pk == case.pk]
    assert [e.action for e in mine.steps] == ["report", "accept", "progress"]  # type: ignore[attr-defined]


def test_the_internal_steps_are_the_colour_and_supervision_only() -> None:
    assert INTERNAL_ACTIONS == {Action.COLOUR, Action.SUPERVISE}
    assert PUBLIC_ACTIONS | INTERNAL_ACTIONS == set(Action)
