"""A retried report is recognised by the unique index on its Idempotency-Key, so a first report
reads no key, and a retry answers its first case even when the report would not pass now."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from finegrid.accounts.models import User
from finegrid.cases.models import Case, CaseEvent, Category
from tests.cases.test_api_create import BODY, post
from tests.conftest import Net, client_for


def test_a_first_report_reads_no_idempotency_key(net: Net, worker: User) -> None:
    with CaptureQueriesContext(connection) as ctx:
        r = post(client_for(worker), BODY, key="k-1")
    assert r.status_code == 201
    reads = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT")]
    assert not any('"idempotency_key" =' in sql for sql in reads)
    assert Case.objects.get().idempotency_key == f"u{worker.pk}:k-1"


def test_a_retry_answers_its_case_after_the_category_was_retired(net: Net, worker: User) -> None:
    client = client_for(worker)
    first = post(client, BODY, key="k-1")
    assert first.status_code == 201
    Category.objects.filter(code=BODY["category"]).update(active=False)
    from finegrid.cases.services import forget_categories

    forget_categories()
    retry = post(client, BODY, key="k-1")
    assert retry.status_code == 201 and retry.headers["Idempotent-Replayed"] == "true"
    assert retry.json()["id"] == first.json()["id"]
    fresh = post(client, BODY, key="k-2")
    assert fresh.status_code == 422 and fresh.json()["field"] == "category"
    assert Case.objects.count() == 1 and CaseEvent.objects.count() == 1


def test_a_retry_with_another_body_is_refused_and_writes_nothing(net: Net, worker: User) -> None:
    client = client_for(worker)
    assert post(client, BODY, key="k-1").status_code == 201
    r = post(client, {**BODY, "description": "另一件事"}, key="k-1")
    assert r.status_code == 422 and r.json()["field"] == "Idempotency-Key"
    assert Case.objects.count() == 1 and CaseEvent.objects.count() == 1
