"""The worker app: my tasks on a phone, and the report form (full and quick)."""

from __future__ import annotations

import uuid

import pytest
import time_machine

from finegrid.accounts.models import User
from finegrid.cases.models import Case, CaseEvent
from tests.cases.helpers import MONDAY_10, report, staff_net
from tests.conftest import Net, client_for


def english(user: User | None) -> object:
    # Assertions read the English texts; zh-hans is the default language of the pages.
    client = client_for(user)
    client.cookies["django_language"] = "en"
    return client


def _form(**kw: object) -> dict[str, object]:
    data: dict[str, object] = {
        "category": "sanitation",
        "description": "楼道堆放杂物",
        "lat": "30.01",
        "lng": "104.005",
        "urgency": "normal",
        "source": "micro_worker",
        "idempotency_key": str(uuid.uuid4()),
    }
    data.update(kw)
    return data


@pytest.mark.usefixtures("at_monday_10")
def test_my_tasks_shows_cards_with_colour_and_time_left(
    net: Net, worker: User, gridhead: User
) -> None:
    staff_net(net, worker, gridhead)
    case = report(worker)
    with time_machine.travel(MONDAY_10, tick=False):
        response = english(worker).get("/cases/mine/")  # type: ignore[attr-defined]
    assert response.status_code == 200
    body = response.content.decode()
    assert f'data-number="{case.number}"' in body
    assert "fg-task--blue" in body
    assert "2 h 0 min left" in body  # sanitation: accept within two working hours


@pytest.mark.usefixtures("at_monday_10")
def test_my_tasks_tells_how_long_a_case_is_overdue(net: Net, worker: User) -> None:
    report(worker)
    with time_machine.travel(MONDAY_10.replace(hour=5), tick=False):  # 13:00 local
        body = english(worker).get("/cases/mine/").content.decode()  # type: ignore[attr-defined]
    assert "1 h 0 min overdue" in body


def test_an_htmx_refresh_gets_only_the_cards(net: Net, worker: User) -> None:
    report(worker)
    response = client_for(worker).get("/cases/mine/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b"<html" not in response.content and b"fg-tasks" in response.content


def test_the_neighbour_does_not_see_my_micro_grids_task(
    net: Net, worker: User, neighbour: User
) -> None:
    case = report(worker)
    body = client_for(neighbour).get("/cases/mine/").content.decode()
    assert case.number not in body


def test_the_report_form_offers_location_and_an_idempotency_key(net: Net, worker: User) -> None:
    response = client_for(worker).get("/cases/new/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="idempotency_key"' in body and 'id="use-location"' in body
    assert 'name="lat"' in body and 'name="photos"' in body


def test_a_report_makes_a_case_and_shows_its_number_and_code(net: Net, worker: User) -> None:
    client = client_for(worker)
    response = client.post("/cases/new/", _form(), follow=True)
    case = Case.objects.get()
    assert response.redirect_chain[-1][0] == f"/cases/{case.pk}/"
    body = response.content.decode()
    assert case.number in body and case.follow_code in body
    assert (case.reporter, case.micro_grid, case.source) == (worker, net.m1, "micro_worker")
    assert CaseEvent.objects.filter(case=case, action="report").count() == 1


def test_a_double_submit_makes_one_case(net: Net, worker: User) -> None:
    client = client_for(worker)
    data = _form()
    first = client.post("/cases/new/", data)
    second = client.post("/cases/new/", data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Case.objects.count() == 1


def test_a_location_outside_every_grid_is_refused_beside_the_field(net: Net, worker: User) -> None:
    client = english(worker)
    response = client.post("/cases/new/", _form(lat="31.5", lng="105.0"))  # type: ignore[attr-defined]
    assert response.status_code == 422
    body = response.content.decode()
    assert 'fg-field--error" data-field="lat"' in body
    assert "The location lies outside every grid." in body
    assert Case.objects.count() == 0


def test_a_missing_location_is_refused_and_nothing_written(net: Net, worker: User) -> None:
    response = client_for(worker).post("/cases/new/", _form(lat="", lng=""))
    assert response.status_code == 422
    assert Case.objects.count() == 0


def test_the_quick_report_needs_only_a_category_and_the_location(net: Net, worker: User) -> None:
    client = client_for(worker)
    page = client.get("/cases/new/?quick=1").content.decode()
    assert 'class="fg-tile"' in page
    data = {
        "category": "fire",
        "lat": "30.01",
        "lng": "104.005",
        "urgency": "normal",
        "source": "rider",
        "quick": "True",
        "idempotency_key": str(uuid.uuid4()),
    }
    response = client.post("/cases/new/?quick=1", data)
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.category.code == "fire" and case.source == "rider"
    assert case.description  # the category names what was seen


def test_a_resident_reporter_is_sent_to_the_public_follow_page(net: Net, resident: User) -> None:
    response = client_for(resident).post("/cases/new/", _form(source="resident"))
    case = Case.objects.get()
    assert response["Location"] == f"/track/{case.follow_code}/"


def test_pages_need_a_login(net: Net) -> None:
    response = client_for(None).get("/cases/mine/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
