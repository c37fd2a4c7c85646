"""A worker who reports a place outside their own micro-grid is told where the case went."""

from __future__ import annotations

import uuid

from finegrid.accounts.models import User
from finegrid.cases.models import Case
from tests.conftest import Net, client_for


def _form(lng: str) -> dict[str, str]:
    return {
        "category": "sanitation",
        "description": "路边垃圾堆积",
        "lat": "30.01",
        "lng": lng,
        "urgency": "normal",
        "source": "micro_worker",
        "idempotency_key": str(uuid.uuid4()),
    }


def test_a_report_outside_my_micro_grid_says_which_grid_it_went_to(net: Net, worker: User) -> None:
    response = client_for(worker).post("/cases/new/", _form("104.015"), follow=True)
    case = Case.objects.get()
    assert (case.micro_grid, case.handling_grid, case.reporter) == (net.m2, net.g1, worker)
    assert response.redirect_chain[-1][0] == f"/track/{case.follow_code}/"
    page = response.content.decode()
    assert "该地点不在您负责的网格内：事件已转至锦丰1-2微网格，由锦丰第1网格办理。" in page


def test_a_report_in_another_community_names_that_community_s_grid(net: Net, worker: User) -> None:
    response = client_for(worker).post("/cases/new/", _form("104.03"), follow=True)
    case = Case.objects.get()
    assert case.micro_grid == net.m3
    assert "事件已转至高堆1-1微网格，由高堆第1网格办理" in response.content.decode()


def test_a_report_in_my_own_micro_grid_says_nothing_of_the_kind(net: Net, worker: User) -> None:
    response = client_for(worker).post("/cases/new/", _form("104.005"), follow=True)
    case = Case.objects.get()
    assert case.micro_grid == net.m1
    assert response.redirect_chain[-1][0] == f"/cases/{case.pk}/"
    assert "不在您负责的网格内" not in response.content.decode()


def test_a_grid_head_reporting_in_their_grid_is_not_warned(net: Net, gridhead: User) -> None:
    response = client_for(gridhead).post("/cases/new/", _form("104.015"), follow=True)
    assert Case.objects.get().micro_grid == net.m2
    assert "不在您负责的网格内" not in response.content.decode()
