"""SQLite with a first-come, first-served queue for writers inside one process.

SQLite lets one writer at a time hold the database. A transaction that finds it taken waits in
SQLite's busy handler, which sleeps and polls (1, 2, 5 … 100 ms between tries); under a burst of
concurrent reports a waiter keeps missing the moment the lock is free while newer arrivals take
it, and a few requests wait a second or more (docs/decisions/0004-serving-writes.md). Writers of
this process therefore queue on a Python lock before ``BEGIN IMMEDIATE`` and are woken the moment
the previous writer commits or rolls back. Other processes (``finegrid db_worker``, a second
server) still meet at SQLite's own lock and busy timeout.
"""

from __future__ import annotations

import threading
from typing import Any

from django.db.backends.sqlite3 import base
from django.db.utils import OperationalError

from finegrid.core.sqlite import checkpoint

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def _writer_lock(name: str) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(name, threading.Lock())


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held: threading.Lock | None = None  # this connection's writer turn, while held
        # as long as SQLite itself would wait (PRAGMA busy_timeout / the "timeout" option)
        self._writer_wait = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))

    def get_new_connection(self, conn_params: Any) -> Any:
        conn = super().get_new_connection(conn_params)
        if checkpoint.enabled():
            conn.execute("PRAGMA wal_autocheckpoint=0")  # the server's thread does it instead
        return conn

    def _start_transaction_under_autocommit(self) -> None:
        lock = _writer_lock(str(self.settings_dict["NAME"]))
        if not lock.acquire(timeout=self._writer_wait):
            raise OperationalError("database is locked (another writer of this process)")
        self._held = lock
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # not in the stubs
        except BaseException:
            self._release_writer()
            raise

    def _release_writer(self) -> None:
        held, self._held = self._held, None
        if held is not None:
            held.release()

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]
        finally:
            self._release_writer()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]
        finally:
            self._release_writer()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]
        finally:
            self._release_writer()
