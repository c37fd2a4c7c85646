"""A resident reports a problem through their own form: no staff fields, the source is theirs."""

from __future__ import annotations

from typing import Any

from finegrid.accounts.models import User
from finegrid.cases.models import Case, CaseEvent, Source, Urgency
from finegrid.grids.services import household_create
from tests.conftest import Net, client_for
from tests.residents.helpers import home_for

URL = "/home/report/"


def _form(**over: Any) -> dict[str, Any]:
    data = {
        "category": "sanitation",
        "description": "楼道里堆满了纸箱",
        "lat": "30.01",
        "lng": "104.005",
        "address": "",
        "idempotency_key": "k-1",
    }
    data.update(over)
    return data


def test_the_form_has_no_staff_fields(net: Net, resident: User) -> None:
    page = client_for(resident).get(URL).content.decode()
    assert 'id="report-form"' in page and 'id="place-map"' in page
    for staff_field in ("source", "urgency", "reporter_name", "reporter_phone"):
        assert f'name="{staff_field}"' not in page
    assert "来源" not in page


def test_a_resident_reports_and_the_server_sets_the_source(net: Net, resident: User) -> None:
    # whatever the request claims, a resident reports as a resident, for themselves
    sneaky = _form(source=Source.HOTLINE, urgency=Urgency.CRITICAL, reporter_name="张三")
    response = client_for(resident).post(URL, sneaky)
    assert response.status_code == 302 and response["Location"] == "/home/"
    case = Case.objects.get()
    assert case.source == Source.RESIDENT
    assert case.urgency == Urgency.NORMAL
    assert case.reporter == resident and case.reporter_name == "胡民贵"
    assert case.micro_grid == net.m1 and case.description == "楼道里堆满了纸箱"
    assert CaseEvent.objects.get(case=case).actor == resident
    home = client_for(resident).get("/home/").content.decode()
    assert case.follow_code in home  # the message and the card under My reports


def test_a_resident_may_report_at_their_own_home(net: Net, resident: User, leader: User) -> None:
    home = home_for(resident, actor=leader)
    response = client_for(resident).post(URL, _form(lat="", lng="", household=str(home.pk)))
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.household == home and case.address == home.address


def test_a_neighbouring_household_is_neither_offered_nor_taken(
    net: Net, resident: User, leader: User
) -> None:
    home_for(resident, actor=leader)
    next_door = household_create(address="锦丰新城1栋1单元102号", lat=30.01, lng=104.005)
    page = client_for(resident).get(URL).content.decode()
    assert "1单元101号" in page
    assert next_door.address not in page and f'value="{next_door.pk}"' not in page
    response = client_for(resident).post(URL, _form(lat="", lng="", household=str(next_door.pk)))
    assert response.status_code == 422
    page = response.content.decode()
    field = page[page.index('data-field="household"') :]
    assert "fg-field-error" in field[: field.index("</div>")]
    assert not Case.objects.exists()


def test_a_report_without_a_place_names_the_field(net: Net, resident: User) -> None:
    response = client_for(resident).post(URL, _form(lat="", lng=""))
    assert response.status_code == 422
    page = response.content.decode()
    error = page[page.index('data-field="lat"') :]
    assert "fg-field-error" in error[: error.index("</div>")]
    assert not Case.objects.exists()


def test_a_point_outside_every_grid_is_refused(net: Net, resident: User) -> None:
    response = client_for(resident).post(URL, _form(lat="31.5"))
    assert response.status_code == 422
    assert "该位置不在任何网格内" in response.content.decode()
    assert not Case.objects.exists()


def test_the_same_page_sent_twice_makes_one_case(net: Net, resident: User) -> None:
    client = client_for(resident)
    assert client.post(URL, _form()).status_code == 302
    assert client.post(URL, _form()).status_code == 302
    assert Case.objects.count() == 1
