"""Case routing reads the duty list: the grid's own task keeps the case with the grid, a
department's task offers the whistle to that department."""

from __future__ import annotations

import re
from typing import Any

from finegrid.accounts.models import User
from finegrid.cases import services
from finegrid.cases.models import Category, Department
from tests.cases.helpers import report, staff_net
from tests.conftest import Net, client_for
from tests.workforce.helpers_dutylists import import_for


def _offered(page: str) -> str | None:
    """The department the whistle form offers first (its selected option)."""
    form = page.split('data-action="whistle"', 1)[1].split("</form>", 1)[0]
    found = re.search(r'<option value="(\d+)"[^>]*selected', form)
    return Department.objects.get(pk=int(found.group(1))).code if found else None


def test_a_department_task_offers_the_whistle_to_that_department(
    net: Net, worker: User, gridhead: User
) -> None:
    staff_net(net, worker, gridhead)
    import_for(net.street)
    # the category's usual department says otherwise: the duty list wins
    Category.objects.filter(code="city_management").update(
        department=Department.objects.get(code="market")
    )
    case = report(worker, category="city_management", description="门口占道经营")
    services.case_accept(actor=gridhead, case=case)
    page = client_for(gridhead).get(f"/cases/{case.pk}/").content.decode()
    route = page.split('id="case-route"', 1)[1].split("</section>", 1)[0]
    assert 'data-route="department"' in route and "城管执法中队" in route
    assert "CF-001" in route and "查处占道经营" in route and "处罚任务清单" in route
    assert "向该部门吹哨" in route
    assert _offered(page) == "chengguan"
    assert case.handling_grid == net.g1  # the case stays where it landed


def test_a_grid_task_says_the_case_is_the_grids_own(net: Net, worker: User, gridhead: User) -> None:
    staff_net(net, worker, gridhead)
    import_for(net.street)
    case = report(worker, category="sanitation")
    page = client_for(gridhead).get(f"/cases/{case.pk}/").content.decode()
    route = page.split('id="case-route"', 1)[1].split("</section>", 1)[0]
    assert 'data-route="grid"' in route and 'data-route="department"' not in route
    assert "XC-001" in route and "巡查楼道堆放杂物" in route and "一般网格" in route
    case.refresh_from_db()
    assert case.handling_grid == net.g1


def test_the_english_page_names_the_task_in_english(net: Net, worker: User, gridhead: User) -> None:
    staff_net(net, worker, gridhead)
    import_for(net.street)
    case = report(worker, category="sanitation")
    client = client_for(gridhead)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/cases/{case.pk}/").content.decode()
    route = page.split('id="case-route"', 1)[1].split("</section>", 1)[0]
    assert "Inspect clutter in stairwells" in route and "The grid" in route


def test_without_a_duty_list_the_usual_department_is_offered(
    net: Net, worker: User, gridhead: User
) -> None:
    staff_net(net, worker, gridhead)
    Category.objects.filter(code="city_management").update(
        department=Department.objects.get(code="market")
    )
    case = report(worker, category="city_management")
    services.case_accept(actor=gridhead, case=case)
    page = client_for(gridhead).get(f"/cases/{case.pk}/").content.decode()
    assert 'id="case-route"' not in page
    assert _offered(page) == "market"


def test_a_community_list_comes_before_the_streets(
    net: Net, worker: User, gridhead: User, settings: Any
) -> None:
    staff_net(net, worker, gridhead)
    import_for(net.street)
    import_for(
        net.c1, [["处罚任务清单", "C1-CF", "查处占道经营（社区）", "Vending, community", "market",
                  "city_management"]]
    )  # fmt: skip
    case = report(worker, category="city_management")
    services.case_accept(actor=gridhead, case=case)
    page = client_for(gridhead).get(f"/cases/{case.pk}/").content.decode()
    assert "C1-CF" in page and _offered(page) == "market"
