"""A case the caller may not see answers 404 before anything else of the request is looked at:
an unknown handler, department or duplicate in the body of a neighbour's request does not tell
them whether the case exists (each endpoint fetches the case in its first statement)."""

from __future__ import annotations

from typing import Any

import pytest

from finegrid.accounts.models import User
from finegrid.cases.models import CaseEvent, Status
from tests.cases.helpers import report
from tests.conftest import Net, client_for

BAD_LOOKUPS = [
    ("dispatch", {"assignee": "nobody"}),
    ("reassign", {"assignee": "nobody"}),
    ("supervise", {"supervisor": "nobody"}),
    ("whistle", {"department": "nowhere"}),
    ("report-in", {"department": "nowhere"}),
    ("department-resolve", {"department": "nowhere", "note": "好了"}),
    ("merge", {"into": "19990101000001"}),
    ("whistles/nowhere/withdraw", {"reason": "派错了"}),
    ("progress", {"note": "x", "photos": ["no-such-photo"]}),
]


@pytest.mark.parametrize(("path", "body"), BAD_LOOKUPS)
def test_the_neighbour_gets_404_for_the_case_not_the_bad_lookup(
    net: Net, worker: User, neighbour: User, path: str, body: dict[str, Any]
) -> None:
    case = report(worker)
    r = client_for(neighbour).post(
        f"/api/v1/cases/{case.pk}/{path}", body, content_type="application/json"
    )
    assert r.status_code == 404 and r.json()["field"] == "id", (path, r.content)
    case.refresh_from_db()
    assert case.status == Status.REPORTED and CaseEvent.objects.count() == 1


@pytest.mark.parametrize(("path", "body"), BAD_LOOKUPS[:4])
def test_the_case_holder_gets_the_bad_lookup_named(
    net: Net, worker: User, gridhead: User, path: str, body: dict[str, Any]
) -> None:
    case = report(worker)
    r = client_for(gridhead).post(
        f"/api/v1/cases/{case.pk}/{path}", body, content_type="application/json"
    )
    assert r.status_code == 422 and r.json()["field"] in body, (path, r.content)
