from __future__ import annotations

import datetime as dt

from finegrid.accounts.models import User
from finegrid.cases import selectors, services
from tests.cases.helpers import MONDAY_10, report
from tests.conftest import Net


def test_figures_count_closure_on_time_and_satisfaction(
    net: Net, gridhead: User, resident: User, leader: User
) -> None:
    t = MONDAY_10
    cases = [report(resident, source="resident", now=t + dt.timedelta(minutes=i)) for i in range(4)]
    for i, case in enumerate(cases[:3]):
        services.case_accept(actor=gridhead, case=case, now=t + dt.timedelta(minutes=30))
        late = dt.timedelta(days=5) if i == 2 else dt.timedelta(hours=2)
        services.case_resolve(actor=gridhead, case=case, note="已处理", now=t + late)
    services.case_feedback(case=cases[0], satisfaction="satisfied", now=t + dt.timedelta(days=6))
    services.case_feedback(
        case=cases[1], satisfaction="basically_satisfied", now=t + dt.timedelta(days=6)
    )
    f = selectors.figures(
        user=leader, grid="C1", since=t - dt.timedelta(days=1), until=t + dt.timedelta(days=1)
    )
    assert (f.cases_in, f.closed) == (4, 2)
    assert f.closure_rate == 0.5
    assert f.on_time_rate == round(2 / 3, 4)
    assert f.satisfaction_rate == 1.0
    assert f.avg_accept_minutes is not None and 28 <= f.avg_accept_minutes <= 30
    neighbour_view = selectors.figures(
        user=leader, grid="C2", since=t - dt.timedelta(days=1), until=t + dt.timedelta(days=1)
    )
    assert neighbour_view.cases_in == 0
