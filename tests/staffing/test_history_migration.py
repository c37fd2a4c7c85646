"""The data migration gives existing responsibilities a start, and ends the extra holders of a
one-holder duty so that its new constraint can stand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("grids", "0001_initial")]
AFTER = [("grids", "0004_responsibility_history_constraints")]


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.fixture
def back_to_the_latest_schema(transactional_db: None) -> Iterator[None]:
    """Migrating back unapplies every app that depends on grids (registry, cases, workforce …):
    put them all back, or the tests after this one in the process find no tables."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_existing_rows_start_when_created_and_a_second_head_is_ended(
    back_to_the_latest_schema: None,
) -> None:
    old = _migrate(BEFORE).loader.project_state(BEFORE).apps
    User = old.get_model("accounts", "User")
    Grid = old.get_model("grids", "Grid")
    Responsibility = old.get_model("grids", "Responsibility")
    grid = Grid.objects.create(code="S", name="街道", level="street", path="/S/", depth=0)
    a = User.objects.create(username="a")
    b = User.objects.create(username="b")
    early = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    later = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    rows = [
        Responsibility.objects.create(person=a, duty="grid_head", grid=grid, grid_path="/S/"),
        Responsibility.objects.create(person=b, duty="grid_head", grid=grid, grid_path="/S/"),
        Responsibility.objects.create(person=a, duty="grid_worker", grid=grid, grid_path="/S/"),
    ]
    for r, when in zip(rows, [early, later, early], strict=True):
        Responsibility.objects.filter(pk=r.pk).update(created_at=when)

    new = _migrate(AFTER).loader.project_state(AFTER).apps
    after = {r.pk: r for r in new.get_model("grids", "Responsibility").objects.all()}
    first, second, worker = (after[r.pk] for r in rows)
    assert first.started_at == early and second.started_at == later
    assert second.ended_at is None  # the newest head stays
    assert first.ended_at is not None and "one holder" in first.end_reason
    assert worker.ended_at is None and worker.started_at == early
