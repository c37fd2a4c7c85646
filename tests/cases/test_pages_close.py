"""The case page's close (结案) button: offered on a resolved case to whoever may close it."""

from __future__ import annotations

import re
from typing import Any

from finegrid.accounts.models import User
from finegrid.cases import services
from finegrid.cases.models import Case, CaseEvent, Status
from tests.cases.helpers import report, staff_net
from tests.conftest import Net, client_for


def english(user: User) -> Any:
    client = client_for(user)
    client.cookies["django_language"] = "en"
    return client


def _buttons(body: str) -> set[str]:
    return set(re.findall(r'class="fg-act-item" data-action="([a-z_]+)"', body))


def resolved(worker: User, gridhead: User) -> Case:
    case = report(worker)
    services.case_accept(actor=gridhead, case=case)
    services.case_resolve(actor=gridhead, case=case, note="已清理")
    case.refresh_from_db()
    return case


def test_the_grid_head_closes_a_resolved_case_from_its_page(
    net: Net, worker: User, gridhead: User
) -> None:
    staff_net(net, worker, gridhead)
    case = resolved(worker, gridhead)
    assert case.status == Status.AWAITING_FEEDBACK
    client = english(gridhead)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "close" in _buttons(page) and "Close the case" in page
    response = client.post(f"/cases/{case.pk}/act/close/", {"note": "电话回访，群众满意"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.closed_at is not None
    event = CaseEvent.objects.filter(case=case).latest("id")
    assert (event.action, event.actor, event.note) == ("close", gridhead, "电话回访，群众满意")
    assert (event.from_status, event.to_status) == (Status.AWAITING_FEEDBACK, Status.CLOSED)
    assert "close" not in _buttons(client.get(f"/cases/{case.pk}/").content.decode())


def test_an_open_case_offers_no_close_and_refuses_one(
    net: Net, worker: User, gridhead: User
) -> None:
    case = report(worker)
    services.case_accept(actor=gridhead, case=case)
    client = english(gridhead)
    assert "close" not in _buttons(client.get(f"/cases/{case.pk}/").content.decode())
    response = client.post(f"/cases/{case.pk}/act/close/", {"note": ""})
    assert response.status_code == 409
    assert "is not possible for a case that is" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED and case.closed_at is None


def test_a_micro_grid_worker_may_not_close(net: Net, worker: User, gridhead: User) -> None:
    case = resolved(worker, gridhead)
    client = english(worker)
    assert "close" not in _buttons(client.get(f"/cases/{case.pk}/").content.decode())
    response = client.post(f"/cases/{case.pk}/act/close/", {"note": ""})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == Status.AWAITING_FEEDBACK
    assert not CaseEvent.objects.filter(case=case, action="close").exists()


def test_a_user_of_the_neighbouring_grid_cannot_close(
    net: Net, worker: User, gridhead: User, neighbour: User
) -> None:
    case = resolved(worker, gridhead)
    response = client_for(neighbour).post(f"/cases/{case.pk}/act/close/", {"note": ""})
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.status == Status.AWAITING_FEEDBACK
    assert not CaseEvent.objects.filter(case=case, action="close").exists()
