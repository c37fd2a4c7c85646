"""In English, categories and departments are named in English on every case page."""

from __future__ import annotations

from typing import Any

from finegrid.accounts.models import User
from finegrid.cases import services
from finegrid.cases.models import Department
from tests.cases.helpers import report, staff_net
from tests.conftest import Net, client_for


def english(user: User | None) -> Any:
    client = client_for(user)
    client.cookies["django_language"] = "en"
    return client


def test_the_queue_the_form_the_case_and_the_tracking_page_speak_english(
    net: Net, worker: User, gridhead: User
) -> None:
    staff_net(net, worker, gridhead)
    case = report(worker, category="gas", description="燃气泄漏")
    services.case_accept(actor=gridhead, case=case)
    services.case_whistle(actor=gridhead, case=case, department=Department.objects.get(code="fire"))
    pages = {
        "queue": english(gridhead).get("/cases/").content.decode(),
        "form": english(worker).get("/cases/new/").content.decode(),
        "case": english(gridhead).get(f"/cases/{case.pk}/").content.decode(),
        "mine": english(worker).get("/cases/mine/").content.decode(),
        "track": english(None).get(f"/track/{case.follow_code}/").content.decode(),
    }
    for name, page in pages.items():
        assert "Gas safety" in page, name
        assert "燃气<" not in page and "燃气 " not in page, name
    assert "Fire and rescue station" in pages["case"] and "消防救援站" not in pages["case"]
    chinese = client_for(None).get(f"/track/{case.follow_code}/").content.decode()
    assert "燃气" in chinese and "Gas safety" not in chinese


def test_the_api_names_a_category_in_both_languages(net: Net, worker: User) -> None:
    case = report(worker, category="gas")
    item = english(worker).get(f"/api/v1/cases/{case.pk}").json()["category"]
    assert item == {"code": "gas", "name": "燃气", "name_en": "Gas safety", "label": "Gas safety"}
    public = client_for(None).get(f"/api/v1/cases/track/{case.follow_code}")
    assert public.status_code == 200
    assert (public.json()["category"], public.json()["category_en"]) == ("燃气", "Gas safety")
