"""The on-duty page shows the same list as the API, zh-hans first."""

from __future__ import annotations

from typing import Any

from finegrid.accounts.models import User
from tests.conftest import client_for

from .helpers_onduty import MONDAY, at, staff


def test_the_page_lists_whom_to_call_in_chinese(
    net: Any, worker: User, gridhead: User, time_machine: Any
) -> None:
    staff(net, worker, gridhead)
    time_machine.move_to(at(MONDAY, "10:00"), tick=False)
    page = client_for(gridhead).get("/workforce/on-duty/", {"grid": "M1"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "当前值班" in text
    listed = text[text.index('id="onduty-entries"') :]
    assert listed.index("蔡如欣") < listed.index("张志强")
    assert "锦丰1-1微网格微网格员" in text


def test_the_page_takes_a_moment_from_its_form(
    net: Any, worker: User, gridhead: User, time_machine: Any
) -> None:
    staff(net, worker, gridhead)
    time_machine.move_to(at(MONDAY, "10:00"), tick=False)
    page = client_for(gridhead).get("/workforce/on-duty/", {"grid": "M1", "at": "2027-03-08T20:00"})
    assert page.status_code == 200
    assert "张志强" in page.content.decode()  # named among those not called
    assert "非工作时间" in page.content.decode() or "工作时间" in page.content.decode()


def test_bad_input_is_shown_beside_the_form(net: Any, gridhead: User) -> None:
    page = client_for(gridhead).get("/workforce/on-duty/", {"grid": "G1"})
    assert page.status_code == 422
    page = client_for(gridhead).get("/workforce/on-duty/", {"grid": "M1", "at": "soon"})
    assert page.status_code == 422


def test_the_neighbouring_grid_is_refused(net: Any, neighbour: User) -> None:
    assert client_for(neighbour).get("/workforce/on-duty/", {"grid": "M1"}).status_code == 403
