"""The per-process category cache follows a change made by any process within a second."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from finegrid.accounts.models import User
from finegrid.cases import categories, services_taxonomy
from finegrid.cases.categories import active_category, taxonomy_bump
from finegrid.cases.models import Category, TaxonomyState
from tests.cases.taxonomy_helpers import NEW_CATEGORY, send
from tests.conftest import client_for


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _frozen(monkeypatch: Any) -> Clock:
    clock = Clock()
    monkeypatch.setattr(categories.time, "monotonic", clock)
    return clock


def test_a_change_by_another_process_is_seen_within_a_second(db: Any, monkeypatch: Any) -> None:
    clock = _frozen(monkeypatch)
    assert active_category("dispute") is not None
    # another server deactivates it: its own transaction moves the generation, ours forgets nothing
    Category.objects.filter(code="dispute").update(active=False)
    taxonomy_bump()
    clock.now += 0.5
    with CaptureQueriesContext(connection) as ctx:
        assert active_category("dispute") is not None  # within the second: the cached table
    assert len(ctx.captured_queries) == 0
    clock.now += 0.6
    with CaptureQueriesContext(connection) as ctx:
        assert active_category("dispute") is None
    assert len(ctx.captured_queries) == 2  # the generation, then the table once
    clock.now += 1.1
    with CaptureQueriesContext(connection) as ctx:
        assert active_category("sanitation") is not None
    assert len(ctx.captured_queries) == 1  # unchanged generation: the table is kept


def test_a_change_made_here_is_seen_at_once(
    leader: User, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _frozen(monkeypatch)
    assert active_category("noise") is None
    with django_capture_on_commit_callbacks(execute=True):
        r = send(client_for(leader), "post", "/api/v1/cases/categories", NEW_CATEGORY)
    assert r.status_code == 201
    assert active_category("noise") is not None  # same clock reading: forgotten on commit
    assert TaxonomyState.objects.get(pk=1).generation == 1


def test_every_taxonomy_service_moves_the_generation(leader: User) -> None:
    gas = Category.objects.get(code="gas")
    spec = services_taxonomy.category_spec(gas)
    spec.accept_minutes = 20
    services_taxonomy.category_update(actor=leader, category=gas, spec=spec)
    services_taxonomy.category_deactivate(actor=leader, category=gas)
    assert TaxonomyState.objects.get(pk=1).generation == 2
    # a save that changes nothing leaves the caches alone
    gas.refresh_from_db()
    services_taxonomy.category_update(
        actor=leader, category=gas, spec=services_taxonomy.category_spec(gas)
    )
    assert TaxonomyState.objects.get(pk=1).generation == 2
