"""A resident never meets a bare 403: the staff screens send them to their home."""

from __future__ import annotations

import pytest

from finegrid.accounts.models import User
from finegrid.cases.models import Case
from tests.cases.helpers import report
from tests.conftest import Net, client_for, sent_home


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/map/",
        "/cases/",
        "/cases/mine/",
        "/cases/department/",
        "/registry/people/",
        "/registry/special/",
        "/admin/",
    ],
)
def test_a_staff_page_sends_a_resident_home(net: Net, resident: User, url: str) -> None:
    assert sent_home(client_for(resident).get(url))


def test_a_case_page_sends_a_resident_home_and_changes_nothing(
    net: Net, resident: User, worker: User
) -> None:
    case = report(worker)
    client = client_for(resident)
    assert sent_home(client.get(f"/cases/{case.pk}/"))
    assert sent_home(client.post(f"/cases/{case.pk}/act/accept/", {"track": "now"}))
    case.refresh_from_db()
    assert case.status == "reported" and case.accepted_at is None


def test_the_staff_report_form_sends_a_resident_to_theirs(net: Net, resident: User) -> None:
    response = client_for(resident).get("/cases/new/?quick=1")
    assert response.status_code == 302 and response["Location"] == "/home/report/"


def test_the_home_explains_why_it_came_up(net: Net, resident: User) -> None:
    response = client_for(resident).get("/cases/", follow=True)
    assert response.redirect_chain[-1][0] == "/home/"
    assert "该页面供网格工作人员使用" in response.content.decode()


def test_a_resident_keeps_the_public_pages(net: Net, resident: User, worker: User) -> None:
    case = report(worker, source="resident")
    client = client_for(resident)
    assert client.get("/board/M1/").status_code == 200
    assert client.get(f"/track/{case.follow_code}/").status_code == 200
    assert Case.objects.count() == 1


def test_the_menu_offers_a_resident_their_home_not_the_staff_screens(
    net: Net, resident: User
) -> None:
    page = client_for(resident).get("/home/").content.decode()
    menu = page[page.index('id="fg-nav-menu"') : page.index("</nav>")]
    assert 'href="/home/"' in menu and 'href="/home/report/"' in menu
    assert 'href="/map/"' not in menu and 'href="/cases/"' not in menu


def test_a_worker_who_is_also_a_resident_keeps_the_staff_screens(net: Net, worker: User) -> None:
    from finegrid.accounts.models import Role, RoleAssignment

    RoleAssignment.objects.create(user=worker, role=Role.RESIDENT, grid=net.m1)
    page = client_for(worker).get("/map/")
    assert page.status_code == 200
    assert client_for(worker).get("/cases/mine/").status_code == 200
    menu = page.content.decode()
    menu = menu[menu.index('id="fg-nav-menu"') : menu.index("</nav>")]
    assert 'href="/map/"' in menu and 'href="/home/"' in menu  # their home is a click away
    assert client_for(worker).get("/home/").status_code == 200


def test_a_refusal_anywhere_sends_a_resident_home_and_staff_see_it(
    net: Net, resident: User, dept: User
) -> None:
    # a page outside the staff areas that refuses (a later capability, say) still never shows a
    # resident a bare 403; staff keep the refusal, which the error page explains
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.core.exceptions import PermissionDenied
    from django.test import RequestFactory

    from finegrid.residents.middleware import ResidentHomeMiddleware

    middleware = ResidentHomeMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]
    for user, home in ((resident, True), (dept, False)):
        request = RequestFactory().get("/somewhere/")
        request.user = user
        request.session = {}  # type: ignore[assignment]
        request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
        response = middleware.process_exception(request, PermissionDenied("no"))
        assert (response is not None and sent_home(response)) is home
