"""A resident's home: their grid's board (their own worker, with phone), what is coming."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from finegrid.accounts.models import User
from finegrid.cases.models import Case
from tests.cases.helpers import report
from tests.conftest import PASSWORD, Net, client_for
from tests.residents.helpers import home_for, staff_micro_grids


def test_a_resident_logs_in_to_their_home(net: Net, resident: User) -> None:
    response = client_for(None).post(
        "/accounts/login/", {"username": "resident", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/home/"
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="my-grid"' in page and "请联系管理员" not in page


def test_staff_still_land_on_the_map(net: Net, official: User) -> None:
    # grid workers land on their own home (tests/workforce/test_worker_home_landing.py)
    response = client_for(official).get("/")
    assert response.status_code == 302 and response["Location"] == "/map/"


def test_the_home_shows_my_micro_grid_worker_and_phone(
    net: Net, resident: User, worker: User, neighbour: User, leader: User
) -> None:
    staff_micro_grids(net, worker, neighbour)
    home = home_for(resident, actor=leader)
    page = client_for(resident).get("/home/").content.decode()
    assert 'data-code="M1"' in page and "锦丰1-1微网格" in page
    assert home.address in page
    workers = page[page.index('id="my-workers"') :]
    workers = workers[: workers.index("</ul>")]
    assert "蔡如欣" in workers  # the worker of M1
    assert 'href="tel:13800000000"' in workers  # the phone, as the public board shows it
    # the next micro-grid's worker is not mine, and the neighbouring grid is not shown
    assert "陈丽" not in page and "锦丰1-2微网格" not in page
    assert 'href="/board/M1/"' in page


def test_a_resident_not_yet_registered_sees_the_grid_of_their_role(
    net: Net, resident: User, worker: User, neighbour: User
) -> None:
    staff_micro_grids(net, worker, neighbour)
    page = client_for(resident).get("/home/").content.decode()
    assert 'data-code="M1"' in page and "蔡如欣" in page
    assert 'id="my-household"' not in page


def test_a_resident_moved_to_another_micro_grid_sees_the_new_one(
    net: Net, resident: User, worker: User, neighbour: User, leader: User
) -> None:
    # the resident role says M1, the registry says they now live in M2: the registry wins
    staff_micro_grids(net, worker, neighbour)
    home_for(resident, actor=leader, address="锦丰新城9栋2单元302号", lng=104.015)
    page = client_for(resident).get("/home/").content.decode()
    assert 'data-code="M2"' in page and "陈丽" in page and "蔡如欣" not in page


def test_what_is_coming_is_shown_as_cards_not_links(net: Net, resident: User) -> None:
    page = client_for(resident).get("/home/").content.decode()
    for capability in ("votes", "points"):
        start = page.index(f'data-capability="{capability}"')
        card = page[start : page.index("</article>", start)]
        assert 'aria-disabled="true"' in page[start - 80 : start + 80]
        assert "即将上线" in card and "<a " not in card and "href" not in card
    assert "议事投票" in page and "积分" in page
    # not enrolled for the emergency call: no button (tests/care covers the enrolled home)
    assert 'id="sos-link"' not in page


def test_the_home_reads_in_a_constant_number_of_queries(
    net: Net, resident: User, worker: User, neighbour: User, leader: User
) -> None:
    staff_micro_grids(net, worker, neighbour)
    home_for(resident, actor=leader)
    client = client_for(resident)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/home/").status_code == 200
        return len(ctx.captured_queries)

    report(resident, source="resident")
    few = count()
    for i in range(4):
        report(resident, source="resident", lng=104.001 + i * 0.001)
    assert Case.objects.filter(reporter=resident).count() == 5
    assert count() == few


def test_the_home_needs_a_login(net: Net) -> None:
    response = client_for(None).get("/home/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def _english(user: Any) -> Any:
    client = client_for(user)
    client.cookies["django_language"] = "en"
    return client


def test_the_home_speaks_english_when_asked(net: Net, resident: User) -> None:
    page = _english(resident).get("/home/").content.decode()
    assert "My home" in page and "Coming soon" in page and "Deliberation and votes" in page
