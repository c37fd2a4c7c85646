"""On a 375-px phone, a worker starts today's round, reports a finding as a case in one tap,
then records a household visit."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest

from finegrid.cases.models import Case
from finegrid.workforce import services_patrols
from finegrid.workforce.models import HouseholdVisit
from tests.conftest import PASSWORD
from tests.test_browser import _page
from tests.test_browser import browser as browser  # noqa: F401 - the shared fixture
from tests.workforce.helpers_patrols import make_households, make_point, make_worker

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
SHOTS = Path(tempfile.gettempdir())


@pytest.fixture
def setting(transactional_db: None, net: Any, worker: Any, gridhead: Any) -> Any:
    make_worker(worker, net.m1)
    point = make_point(net.m1, "1号楼消防通道")
    services_patrols.patrol_plan_create(
        actor=gridhead, grid=net.g1, kind="fire_passage", point_ids=[point.pk]
    )
    return make_households(net.m1, 3)


def test_a_worker_walks_a_round_and_visits_on_a_phone(
    browser: Any, live_server: Any, setting: Any, worker: Any
) -> None:
    page, errors = _page(browser, width=375, height=800)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "worker")
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/workforce/round/")
    page.click("text=开始巡查")
    page.fill("textarea[name=description]", "消防通道被电动车堵住")
    page.click("button[value=finding_case]")
    page.wait_for_selector("text=已上报为事件")
    case = Case.objects.get()
    assert case.source == "patrol" and page.locator(f"text={case.number}").count() == 1
    page.screenshot(path=SHOTS / "patrols-round.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    page.goto(f"{live_server.url}/workforce/visit/?household={setting[0].pk}")
    page.check("input[value=needs_found]")
    page.fill("input[name=needs]", "独居老人需要助餐")
    page.click("text=记录走访")
    page.wait_for_selector("text=走访已记录")
    page.screenshot(path=SHOTS / "patrols-visit.png", full_page=True)
    assert HouseholdVisit.objects.get().needs == "独居老人需要助餐"
    assert not errors
