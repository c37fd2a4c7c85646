"""The worker's home shows today's work first: my cases with their clocks, my next shift, unread
notifications, the cards other parts register, then scan, my households and my check-ins."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from finegrid.accounts.models import User
from finegrid.grids.models import Duty, Household
from finegrid.grids.services import responsibility_assign
from finegrid.notifications.services import notify
from finegrid.workforce import home_cards
from tests.cases.helpers import MONDAY_10, report
from tests.conftest import Net, client_for
from tests.workforce.helpers_home import assigned_case, checked_in, shift_ahead

URL = "/workforce/home/"
RESOLVE_BY = "办结时限"


@pytest.fixture(autouse=True)
def _monday(time_machine: Any) -> None:
    time_machine.move_to(MONDAY_10, tick=False)


@pytest.fixture
def due_visits() -> Iterator[None]:
    """A card another part registers (households due a visit): rendered, not known by name."""

    def context(user: Any, now: dt.datetime) -> dict[str, Any] | None:
        if user.username != "worker":
            return None
        return {"title": "走访提醒", "count": 3, "lines": ["3 households due"]}

    home_cards.register(home_cards.Card("test-visits", 5, "workforce/home/_card.html", context))
    yield
    home_cards.CARDS.pop("test-visits", None)


def test_the_home_shows_my_case_with_its_clock(net: Net, worker: User, gridhead: User) -> None:
    case = assigned_case(net, worker, gridhead)
    r = client_for(worker).get(URL)
    assert r.status_code == 200
    page = r.content.decode()
    tasks = page.split('id="home-tasks"', 1)[1].split("</section>", 1)[0]
    assert case.number in tasks and "环境卫生" in tasks and "已派给我" in tasks
    # the running clock: resolve by its deadline, how long is left
    clock = tasks.split("data-clock", 1)[1].split("</div>", 1)[0]
    assert RESOLVE_BY in clock and "还剩" in clock


def test_an_untaken_case_of_my_grid_is_marked_so(net: Net, worker: User, gridhead: User) -> None:
    assigned_case(net, worker, gridhead)
    report(gridhead, description="路灯不亮")
    tasks = client_for(worker).get(URL).content.decode().split('id="home-tasks"', 1)[1]
    assert "待认领" in tasks.split("</section>", 1)[0]


def test_the_neighbour_does_not_see_my_cases(
    net: Net, worker: User, gridhead: User, neighbour: User
) -> None:
    case = assigned_case(net, worker, gridhead)
    page = client_for(neighbour).get(URL).content.decode()
    assert case.number not in page and "暂无待办事件" in page


def test_the_home_shows_my_next_shift_and_unread_notifications(
    net: Net, worker: User, gridhead: User
) -> None:
    assigned_case(net, worker, gridhead)
    shift_ahead(worker, net.g1)
    notify(users=[worker], kind="test", title="明天上午开网格例会")
    page = client_for(worker).get(URL).content.decode()
    shift = page.split('id="home-shift"', 1)[1].split("</section>", 1)[0]
    assert "我的下一个班次" in shift and "驻点值班" in shift and "锦丰第1网格" in shift
    notices = page.split('id="home-notices"', 1)[1].split("</section>", 1)[0]
    assert "明天上午开网格例会" in notices
    # the dispatch told the worker too, and the report: three unread
    assert '<span class="fg-count">3</span>' in notices


def test_the_cards_other_parts_register_are_rendered(
    net: Net, worker: User, neighbour: User, due_visits: None
) -> None:
    page = client_for(worker).get(URL).content.decode()
    assert 'data-card="test-visits"' in page and "3 households due" in page
    assert 'data-card="test-visits"' not in client_for(neighbour).get(URL).content.decode()


def test_the_links_to_scan_my_households_and_my_checkins(net: Net, worker: User) -> None:
    responsibility_assign(person=worker, duty=Duty.MICRO_WORKER, grid=net.m1)
    for i in range(2):
        Household.objects.create(micro_grid=net.m1, address=f"1栋{i + 1}号", lat=30.01, lng=104.005)
    checked_in(worker, net.m1)
    page = client_for(worker).get(URL).content.decode()
    assert 'href="/workforce/scan/"' in page
    households = page.split('id="home-households"', 1)[1].split("</li>", 1)[0]
    assert "2 户" in households and "/registry/grids/M1/roster/" in households
    checkins = page.split('id="home-checkins"', 1)[1].split("</li>", 1)[0]
    assert "锦丰1-1微网格报到码" in checkins


def test_households_in_my_own_care_are_counted_first(net: Net, worker: User) -> None:
    responsibility_assign(person=worker, duty=Duty.MICRO_WORKER, grid=net.m1)
    homes = [
        Household.objects.create(micro_grid=net.m1, address=f"2栋{i}号", lat=30.01, lng=104.005)
        for i in range(3)
    ]
    responsibility_assign(person=worker, duty=Duty.HOUSEHOLD_WORKER, household=homes[0])
    page = client_for(worker).get(URL).content.decode()
    assert "1 户" in page.split('id="home-households"', 1)[1].split("</li>", 1)[0]


def test_the_home_costs_the_same_queries_with_one_case_or_many(
    net: Net, worker: User, gridhead: User, django_assert_max_num_queries: Any
) -> None:
    assigned_case(net, worker, gridhead)
    shift_ahead(worker, net.g1)
    checked_in(worker, net.m1)
    client = client_for(worker)
    client.get(URL)
    for i in range(8):
        assigned_case(net, worker, gridhead, staffed=True, description=f"第{i}件")
        notify(users=[worker], kind="test", title=f"通知{i}")
        shift_ahead(worker, net.g1, hours=30 + 24 * i)
    # 18: the care card adds two (the enrolled, the open calls)
    with django_assert_max_num_queries(18):
        r = client.get(URL)
    assert r.status_code == 200 and 'href="/cases/mine/"' in r.content.decode()
