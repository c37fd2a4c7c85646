"""What every report asks the database stays indexed, whatever the number of cases.

A report checks its Idempotency-Key and looks for open duplicates nearby. If either query scans
the case table, every report costs in proportion to all cases ever reported (it did once: the key
check could not use the partial unique index). SQLite's planner is asked directly.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from finegrid.accounts.models import User
from finegrid.cases.models import Case
from tests.cases.test_api_create import BODY, post
from tests.conftest import Net, client_for

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plans")


def _plan(sql: str, params: tuple[object, ...] = ()) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return " | ".join(str(row[-1]) for row in cursor.fetchall())


def test_a_report_finds_its_key_and_its_duplicates_through_indexes(net: Net, worker: User) -> None:
    client = client_for(worker)
    assert post(client, BODY, key="first").status_code == 201
    with CaptureQueriesContext(connection) as ctx:
        r = post(client, {**BODY, "description": "又堆了"}, key="second")
        replay = post(client, {**BODY, "description": "又堆了"}, key="second")
    assert r.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"
    assert len(r.json()["duplicates"]) == 1  # the first report, nearby and open
    assert Case.objects.count() == 2
    on_cases = [q["sql"] for q in ctx.captured_queries if 'FROM "cases_case"' in q["sql"]]
    key_check = next(s for s in on_cases if '"idempotency_key" =' in s)
    nearby = next(s for s in on_cases if '"lat" BETWEEN' in s)
    assert "USING INDEX case_idempotency" in _plan(key_check)
    assert "USING INDEX case_nearby (category_id=? AND lat>? AND lat<?)" in _plan(nearby)


def test_a_handlers_cases_are_found_through_the_partial_indexes(net: Net, worker: User) -> None:
    # assignee, department, supervisor, household and merged_into are indexed only where set (a
    # new case has none of them, and writes no entry for them); a lookup by one still uses it
    for key in ("assignee", "department", "supervisor", "household", "merged_into"):
        qs = Case.objects.filter(**{f"{key}_id": 1}).values_list("pk", flat=True)
        plan = _plan(*qs.query.sql_with_params())
        assert f"USING INDEX case_{key} " in plan or f"USING COVERING INDEX case_{key} " in plan
    # and the category's own index is gone: the composite ones that lead with it serve instead
    indexes = connection.introspection.get_constraints(connection.cursor(), "cases_case")
    on_category = {
        n for n, c in indexes.items() if c["index"] and c["columns"][:1] == ["category_id"]
    }
    assert on_category == {"case_category_recent", "case_nearby"}
