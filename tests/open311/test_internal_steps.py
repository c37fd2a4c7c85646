"""What staff do inside a case and the clock's colours are not news to a public client: they
neither show nor make a request "updated" (cases.workflow.INTERNAL_ACTIONS, decision 0034)."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from finegrid.accounts.models import User
from finegrid.cases import clock, services
from finegrid.cases.models import CaseEvent
from tests.cases.helpers import report
from tests.conftest import Net
from tests.open311.helpers import BASE, json_of


def _updated(number: str) -> str:
    (row,) = json_of(Client().get(f"{BASE}requests/{number}.json"))
    return str(row["updated_datetime"])


def _iso(when: dt.datetime) -> str:
    return when.astimezone(clock.LOCAL).isoformat(timespec="seconds")


def test_supervising_a_case_does_not_make_the_request_updated(
    net: Net, gridhead: User, official: User
) -> None:
    t = timezone.now().replace(microsecond=0)
    case = report(None, source="resident", now=t)
    accepted = services.case_accept(actor=gridhead, case=case, now=t + dt.timedelta(minutes=5))
    services.case_supervise(
        actor=official, case=accepted, supervisor=official, now=t + dt.timedelta(hours=1)
    )
    assert CaseEvent.objects.filter(case=case, action="supervise").exists()
    assert _updated(case.number) == _iso(t + dt.timedelta(minutes=5))


def test_a_move_the_public_sees_still_makes_it_updated(net: Net, gridhead: User) -> None:
    t = timezone.now().replace(microsecond=0)
    case = report(None, source="resident", now=t)
    services.case_accept(actor=gridhead, case=case, now=t + dt.timedelta(minutes=5))
    assert _updated(case.number) == _iso(t + dt.timedelta(minutes=5))
