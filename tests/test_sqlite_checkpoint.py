"""In `finegrid serve` on SQLite, WAL checkpoints run on a thread of their own: request
connections never checkpoint inside their commit, and the log is still copied back."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from finegrid.core.sqlite import base as sqlite_base
from finegrid.core.sqlite import checkpoint

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="checkpoints are SQLite's write-ahead log"
)


@pytest.fixture
def database(tmp_path: Path, django_db_blocker: Any) -> Iterator[Any]:
    """A connection of the project's SQLite backend to a file of its own."""
    django_db_blocker.unblock()
    wrapper = sqlite_base.DatabaseWrapper(
        {**connection.settings_dict, "NAME": str(tmp_path / "serve.sqlite3")}, alias="checkpoint"
    )
    yield wrapper
    checkpoint.disable()
    wrapper.close()
    django_db_blocker.restore()


def autocheckpoint(wrapper: Any) -> int:
    with wrapper.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        return int(cursor.fetchone()[0])


def write_rows(wrapper: Any, n: int) -> None:
    with wrapper.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT)")
        for i in range(n):
            cursor.execute("INSERT INTO t (v) VALUES (%s)", [f"row {i}" * 50])


def test_without_the_server_connections_checkpoint_as_sqlite_does(database: Any) -> None:
    assert not checkpoint.enabled()
    assert autocheckpoint(database) == 1000


def test_the_servers_connections_leave_checkpoints_to_its_thread(database: Any) -> None:
    path = str(database.settings_dict["NAME"])
    thread = checkpoint.enable(path, every=0.05)
    assert checkpoint.enable(path, every=0.05) is thread  # one thread per database
    assert autocheckpoint(database) == 0
    write_rows(database, 200)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        _busy, log, copied = checkpoint.checkpoint(path)
        if log and copied == log:
            break
        time.sleep(0.05)
    assert log > 0 and copied == log
    checkpoint.disable()
    assert not thread.is_alive() and not checkpoint.enabled()
