"""WAL checkpoints on a thread of their own in `finegrid serve`, not inside a request's commit.

By default SQLite copies the write-ahead log back into the database file (and syncs it) in the
commit that takes the log past 1,000 pages: every few dozen reports one request does that work
while it holds the write lock, so every other writer waits too. In the server, the request
connections turn automatic checkpoints off (:func:`enable` before the first connection) and this
thread runs a passive checkpoint every ``every`` seconds: it copies what no reader still needs
and never blocks a writer. Other processes (``db_worker``, the CLI, tests) keep SQLite's default.
See docs/decisions/0004-serving-writes.md.
"""

from __future__ import annotations

import logging
import sqlite3
import threading

logger = logging.getLogger(__name__)

_enabled = False
_started: dict[str, tuple[threading.Thread, threading.Event]] = {}
_guard = threading.Lock()


def enabled() -> bool:
    """Whether connections of this process leave checkpoints to the thread."""
    return _enabled


def checkpoint(path: str) -> tuple[int, int, int]:
    """One passive checkpoint of the database at ``path``: (busy, log frames, frames copied)."""
    conn = sqlite3.connect(path, timeout=5)
    try:
        row = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    finally:
        conn.close()
    return int(row[0]), int(row[1]), int(row[2])


def enable(path: str, every: float = 1.0) -> threading.Thread:
    """Turn automatic checkpoints off for connections opened from now on and start the thread
    that checkpoints ``path`` (once per database and process)."""
    global _enabled
    with _guard:
        _enabled = True
        found = _started.get(path)
        if found is not None and found[0].is_alive():
            return found[0]
        stopping = threading.Event()

        def loop() -> None:
            while not stopping.wait(every):
                try:
                    checkpoint(path)
                except Exception:  # a locked or busy database: try again next time
                    logger.exception("WAL checkpoint of %s failed; trying again", path)

        thread = threading.Thread(target=loop, name="finegrid-checkpoint", daemon=True)
        thread.start()
        _started[path] = (thread, stopping)
        return thread


def disable() -> None:
    """Stop every checkpoint thread; connections opened from now on checkpoint as SQLite does
    by default (tests)."""
    global _enabled
    with _guard:
        _enabled = False
        for thread, stopping in _started.values():
            stopping.set()
            thread.join()
        _started.clear()
