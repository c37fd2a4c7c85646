"""In a real headless Chromium: the grid head finds a handler by typing in the dispatch form (the
list is filtered by htmx), dispatches, then carries the case up to the community with a reason,
and the trace shows the move."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from finegrid.accounts.models import Role, RoleAssignment, User
from finegrid.cases import services
from finegrid.cases.models import Case, Status
from tests.cases.helpers import report, staff_net
from tests.cases.test_browser_cases import DESK, _login, _page, browser, taxonomy_rows
from tests.conftest import PASSWORD, Net

__all__ = ["browser", "taxonomy_rows"]  # fixtures shared with the loop's browser test


def test_the_grid_head_searches_the_handlers_dispatches_and_carries_the_case_up(
    browser: Any,
    live_server: Any,
    taxonomy_rows: None,
    net: Net,
    worker: User,
    gridhead: User,
) -> None:
    base = live_server.url
    staff_net(net, worker, gridhead)
    other = User.objects.create_user(username="g1w", password=PASSWORD, display_name="阿青")
    RoleAssignment.objects.create(user=other, role=Role.GRID_WORKER, grid=net.g1)
    case = report(worker, now=timezone.now())
    services.case_accept(actor=gridhead, case=case)

    desk, errors = _page(browser, DESK)
    _login(desk, base, "gridhead", PASSWORD, f"/cases/{case.pk}/")
    item = desk.locator('details.fg-act-item[data-action="dispatch"]')
    item.locator("summary").click()
    assert item.locator("select[name=assignee] option").count() == 3
    item.locator("input[type=search]").fill("蔡")
    desk.wait_for_function(
        "document.querySelectorAll('[data-action=dispatch] select[name=assignee] option')"
        ".length === 1"
    )
    assert item.locator("optgroup").get_attribute("label") == "锦丰1-1微网格 · 微网格员"
    item.locator("button[type=submit]").click()
    desk.wait_for_selector('#case-main[data-status="dispatched"]')
    case.refresh_from_db()
    assert (case.status, case.assignee) == (Status.DISPATCHED, worker)

    item = desk.locator('details.fg-act-item[data-action="escalate"]')
    assert "上报社区" in item.locator("summary").inner_text()
    item.locator("summary").click()
    item.locator("textarea[name=reason]").fill("涉及两个小区，需社区协调")
    item.locator("button[type=submit]").click()
    desk.wait_for_selector('#trace li[data-action="escalate"]')
    assert "锦丰第1网格 → 锦丰社区" in desk.inner_text("#trace")
    assert Case.objects.get(pk=case.pk).handling_grid == net.c1
    assert errors == []
