"""The case page costs the same number of queries however long its trace and however many
people it offers to dispatch to."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from finegrid.accounts.models import Role, RoleAssignment, User
from finegrid.cases import services
from finegrid.cases.models import Case, Department
from tests.cases.helpers import MONDAY_10, report
from tests.conftest import Net, client_for


@pytest.fixture(autouse=True)
def _monday(time_machine: Any) -> None:
    time_machine.move_to(MONDAY_10, tick=False)


def _queries(user: User, case: Case) -> int:
    client = client_for(user)
    client.get(f"/cases/{case.pk}/")  # warm the per-process caches (categories, translations)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(f"/cases/{case.pk}/").status_code == 200
    return len(ctx.captured_queries)


def _busy(case: Case, gridhead: User, n: int) -> None:
    services.case_whistle(
        actor=gridhead, case=case, department=Department.objects.get(code="chengguan")
    )
    for i in range(n):
        services.case_progress(actor=gridhead, case=case, note=f"进展 {i}")


def test_the_case_page_costs_the_same_queries_at_two_sizes(
    net: Net, worker: User, gridhead: User, official: User
) -> None:
    small = report(worker)
    services.case_accept(actor=gridhead, case=small)
    services.case_carry_up(actor=gridhead, case=small, to="community", reason="需社区协调")
    _busy(small, gridhead, 1)
    large = report(worker, lng=104.006)
    services.case_accept(actor=gridhead, case=large)
    services.case_carry_up(actor=gridhead, case=large, to="community", reason="需社区协调")
    _busy(large, gridhead, 12)
    before = _queries(official, small)
    for i in range(8):
        user = User.objects.create_user(username=f"w{i}", password="x" * 12)
        RoleAssignment.objects.create(user=user, role=Role.MICRO_WORKER, grid=net.m1)
        RoleAssignment.objects.create(user=user, role=Role.GRID_WORKER, grid=net.g1)
    after = _queries(official, large)
    assert before == after
    page = client_for(official).get(f"/cases/{large.pk}/").content.decode()
    assert page.count("<option value=") >= 1 + 2 * 8 + 1  # the new people are offered
