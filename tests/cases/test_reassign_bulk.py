"""cases_reassign_bulk: many cases to one handler, all or none, with one problem per refused
case (its row the case's number) so the dispatcher sees every refusal at once."""

from __future__ import annotations

import pytest

from finegrid.accounts.models import User
from finegrid.cases import services
from finegrid.cases.models import Case, CaseEvent
from finegrid.core.errors import InvalidInput
from finegrid.notifications.models import Notification
from tests.cases.helpers import report, staff_net
from tests.conftest import Net, _person


def _dispatched(worker: User, gridhead: User, n: int) -> list[Case]:
    cases = []
    for i in range(n):
        case = report(worker, lng=104.001 + i * 0.001)
        services.case_accept(actor=gridhead, case=case)
        cases.append(services.case_dispatch(actor=gridhead, case=case, assignee=worker))
    return cases


def test_every_case_goes_to_the_new_handler(
    net: Net, worker: User, gridhead: User, official: User
) -> None:
    staff_net(net, worker, gridhead)
    cases = _dispatched(worker, gridhead, 3)
    done = services.cases_reassign_bulk(
        actor=official, cases=cases, assignee=gridhead, note="换人跟进"
    )
    assert [c.pk for c in done] == [c.pk for c in cases]
    assert {Case.objects.get(pk=c.pk).assignee_id for c in cases} == {gridhead.pk}
    assert CaseEvent.objects.filter(action="reassign", note="换人跟进").count() == 3


def test_each_refused_case_is_a_problem_of_its_own_and_nothing_is_written(
    net: Net, worker: User, gridhead: User, official: User
) -> None:
    staff_net(net, worker, gridhead)
    first, second = _dispatched(worker, gridhead, 2)
    fresh = report(worker, lng=104.008)  # only reported: not yet to be reassigned
    other = _person("other", "community_official", net.c2, "高堆书记")
    far = report(other, lng=104.03)  # in C2: not the official's to move
    notices = Notification.objects.count()
    with pytest.raises(InvalidInput) as refused:
        services.cases_reassign_bulk(
            actor=official, cases=[first, fresh, second, far], assignee=gridhead
        )
    problems = refused.value.problems
    assert [p.row for p in problems] == [fresh.number, far.number]
    assert problems[0].field == "status"
    assert all(p.as_dict()["message"] and p.as_dict()["message_en"] for p in problems)
    assert [Case.objects.get(pk=c.pk).assignee_id for c in (first, second)] == [worker.pk] * 2
    assert not CaseEvent.objects.filter(action="reassign").exists()
    assert Notification.objects.count() == notices  # no one was told of a rolled-back move
