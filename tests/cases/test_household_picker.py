"""The report form's household picker: in reading order, and searchable when long."""

from __future__ import annotations

import re

from finegrid.accounts.models import User
from finegrid.grids.services import household_create
from tests.conftest import Net, client_for

ADDRESSES = [
    "锦丰新城15栋1单元101号",
    "锦丰新城1栋1单元1001号",
    "锦丰新城2栋1单元101号",
    "锦丰新城1栋1单元101号",
    "锦丰新城1栋1单元201号",
]


def _offered(page: str) -> list[str]:
    select = page[page.index('name="household"') :]
    select = select[: select.index("</select>")]
    return [a for a in re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', select)]


def test_households_are_offered_in_natural_order(net: Net, worker: User) -> None:
    for address in ADDRESSES:
        household_create(address=address, lat=30.01, lng=104.005)
    page = client_for(worker).get("/cases/new/").content.decode()
    assert _offered(page) == [
        "锦丰新城1栋1单元101号",
        "锦丰新城1栋1单元201号",
        "锦丰新城1栋1单元1001号",
        "锦丰新城2栋1单元101号",
        "锦丰新城15栋1单元101号",
    ]


def test_a_long_list_gets_a_search_box_and_a_short_one_does_not(net: Net, worker: User) -> None:
    for address in ADDRESSES:
        household_create(address=address, lat=30.01, lng=104.005)
    assert 'id="household-search"' not in client_for(worker).get("/cases/new/").content.decode()
    for n in range(5):
        household_create(address=f"锦丰新城3栋1单元{n + 1}01号", lat=30.01, lng=104.005)
    page = client_for(worker).get("/cases/new/").content.decode()
    assert 'id="household-search"' in page and len(_offered(page)) == 10


def test_households_of_the_neighbouring_micro_grid_are_not_offered(net: Net, worker: User) -> None:
    household_create(address="锦丰新城1栋1单元101号", lat=30.01, lng=104.005)  # M1
    household_create(address="锦丰新城9栋1单元101号", lat=30.01, lng=104.015)  # M2
    assert _offered(client_for(worker).get("/cases/new/").content.decode()) == [
        "锦丰新城1栋1单元101号"
    ]
