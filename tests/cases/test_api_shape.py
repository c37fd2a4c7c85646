"""The report's answer is written out without a second validation pass (cases/api.py): it must
still be exactly what the OpenAPI schema promises, first time and on a replay."""

from __future__ import annotations

from finegrid.accounts.models import User
from finegrid.cases.api import CaseCreated
from finegrid.cases.models import Case
from tests.cases.helpers import staff_net
from tests.cases.test_api_create import BODY, post
from tests.conftest import Net, client_for


def test_the_answer_to_a_report_is_the_schema_exactly(
    net: Net, worker: User, gridhead: User
) -> None:
    staff_net(net, worker, gridhead)
    client = client_for(worker)
    first = post(client, BODY, key="k1")
    second = post(client, {**BODY, "description": "又堆了"}, key="k2")
    replay = post(client, {**BODY, "description": "又堆了"}, key="k2")
    assert (first.status_code, second.status_code, replay.status_code) == (201, 201, 201)
    assert first["Content-Type"] == "application/json"
    assert replay.headers["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in second
    for answer in (first.json(), second.json(), replay.json()):
        # every key the schema names, no other, and each value of the schema's type
        assert set(answer) == set(CaseCreated.model_fields)
        assert CaseCreated.model_validate(answer).model_dump(mode="json") == answer
    assert second.json() == replay.json()
    assert [d["number"] for d in second.json()["duplicates"]] == [first.json()["number"]]
    assert Case.objects.count() == 2
