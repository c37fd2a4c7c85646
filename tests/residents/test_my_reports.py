"""A resident's own reports on their home, with their progress: only their own."""

from __future__ import annotations

from finegrid.accounts.models import User
from finegrid.cases import services
from tests.cases.helpers import report
from tests.conftest import Net, client_for
from tests.residents.helpers import another_resident


def test_my_reports_show_their_status_latest_step_and_follow_code(
    net: Net, resident: User, gridhead: User
) -> None:
    mine = report(resident, source="resident", description="楼道灯坏了")
    services.case_accept(actor=gridhead, case=mine)
    page = client_for(resident).get("/home/").content.decode()
    card = page[page.index(f'data-number="{mine.number}"') :]
    card = card[: card.index("</article>")]
    assert 'data-status="accepted"' in card and "已受理" in card
    assert "楼道灯坏了" in card
    assert "最新进展" in card and "共 2 步" in card
    assert mine.follow_code in card and f'href="/track/{mine.follow_code}/"' in card


def test_another_residents_report_is_not_among_mine(net: Net, resident: User, worker: User) -> None:
    mine = report(resident, source="resident", description="我家楼下占道经营")
    other = report(another_resident(net.m1), source="resident", description="邻居的报告")
    staff = report(worker, description="网格员巡查发现")
    page = client_for(resident).get("/home/").content.decode()
    assert mine.number in page and mine.follow_code in page
    for case in (other, staff):
        assert case.number not in page and case.follow_code not in page
    assert "邻居的报告" not in page and "网格员巡查发现" not in page


def test_with_no_reports_the_home_says_so(net: Net, resident: User) -> None:
    page = client_for(resident).get("/home/").content.decode()
    assert "您还没有反映过问题" in page
