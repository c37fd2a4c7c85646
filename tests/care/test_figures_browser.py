"""In a real headless Chromium: the figures page draws its twelve months with the vendored
ECharts, with no error in the console."""

from __future__ import annotations

import os
from typing import Any

from finegrid.accounts.models import Role, RoleAssignment, User
from tests.care.helpers_figures import calls_of_a_month
from tests.conftest import PASSWORD, make_net
from tests.test_browser import browser  # noqa: F401 (the fixture)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
SHOT = "/tmp/devices-figures.png"  # noqa: S108 (a screenshot to look at after a run)


def _user(username: str, role: str, grid: Any, name: str) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, display_name=name)
    RoleAssignment.objects.create(user=user, role=role, grid=grid)
    return user


def test_the_chart_is_drawn(
    browser: Any,  # noqa: F811
    live_server: Any,
    transactional_db: None,
    settings: Any,
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    net = make_net()
    leader = _user("leader", Role.STREET_LEADER, net.street, "李建国")
    official = _user("official", Role.COMMUNITY_OFFICIAL, net.c1, "胡晓梅")
    worker = _user("worker", Role.MICRO_WORKER, net.m1, "蔡如欣")
    gridhead = _user("gridhead", Role.GRID_HEAD, net.g1, "张志强")
    made = calls_of_a_month(net, leader, worker, gridhead)
    month = next(made)
    made.close()  # the clock runs again
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.set_default_timeout(90_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/care/figures/?community=C1&month={month}")
    page.fill("input[name=username]", official.username)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_selector("#figures-chart svg")
    assert page.inner_text("#fig-calls") == "5"
    # the bars of the calls and the standard's dashed lines are drawn
    assert page.locator("#figures-chart svg path").count() > 10
    assert "97.5" in page.inner_text("#figures-chart")
    page.screenshot(path=SHOT, full_page=True)
    assert errors == []
    context.close()
