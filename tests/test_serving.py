"""How `finegrid serve` runs Django: requests on a few long-lived threads that keep their
database connection, and SQLite writers of one process queued instead of polling."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from django.core.signals import request_finished
from django.db import OperationalError, connection, connections, transaction

from finegrid.core.asgi import PooledASGIHandler
from finegrid.core.sqlite import base as sqlite_base
from finegrid.notifications.models import Notification

on_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the writer queue is part of the SQLite backend"
)


async def _get(app: PooledASGIHandler, path: str) -> int:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
    }
    sent: list[dict[str, Any]] = []
    messages = [{"type": "http.request", "body": b"", "more_body": False}]
    never = asyncio.Event()

    async def receive() -> dict[str, Any]:
        if messages:
            return messages.pop()
        await never.wait()  # the client stays connected until the answer is sent
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return next(m["status"] for m in sent if m["type"] == "http.response.start")


@pytest.mark.django_db(transaction=True)
def test_requests_run_on_the_pools_threads_and_keep_their_connection(leader: Any) -> None:
    app = PooledASGIHandler(threads=2)
    seen: list[tuple[str, int]] = []

    def record(**_kwargs: Any) -> None:
        # request_finished runs on the request's thread, before the connection would be closed
        seen.append((threading.current_thread().name, id(connections["default"].connection)))

    request_finished.connect(record)
    try:

        async def burst() -> list[int]:
            # the board reads the database; twelve at once, then twelve more
            first = await asyncio.gather(*(_get(app, "/board/S/") for _ in range(12)))
            second = await asyncio.gather(*(_get(app, "/board/S/") for _ in range(12)))
            return [*first, *second]

        statuses = asyncio.run(burst())
    finally:
        request_finished.disconnect(record)
        app.close()

    assert statuses == [200] * 24
    threads = {name for name, _conn in seen}
    assert threads <= {"finegrid-http-0_0", "finegrid-http-1_0"}, threads
    # one connection per thread, reused by every request that thread served
    assert len({conn for _name, conn in seen}) == len(threads)


def test_it_refuses_a_pool_without_threads() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        PooledASGIHandler(threads=0)


@on_sqlite
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_of_one_process_all_commit(leader: Any) -> None:
    """Eight threads writing at once: each waits its turn, none gives up with "locked"."""
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(15):
                with transaction.atomic():
                    Notification.objects.create(user=leader, kind="t", title=f"{n}-{i}")
        except BaseException as exc:  # noqa: BLE001 (reported by the assertion below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Notification.objects.filter(kind="t").count() == 8 * 15


@on_sqlite
@pytest.mark.django_db(transaction=True)
def test_the_writer_turn_ends_with_commit_rollback_and_failure(leader: Any) -> None:
    lock = sqlite_base._writer_lock(str(connection.settings_dict["NAME"]))
    with transaction.atomic():
        Notification.objects.create(user=leader, kind="t", title="kept")
        assert lock.locked()
    assert not lock.locked()
    with pytest.raises(RuntimeError), transaction.atomic():
        Notification.objects.create(user=leader, kind="t", title="undone")
        raise RuntimeError("undo")
    assert not lock.locked()
    assert list(Notification.objects.filter(kind="t").values_list("title", flat=True)) == ["kept"]


@on_sqlite
@pytest.mark.django_db(transaction=True)
def test_a_writer_that_waits_too_long_is_told_the_database_is_locked(leader: Any) -> None:
    lock = sqlite_base._writer_lock(str(connection.settings_dict["NAME"]))
    outcome: list[BaseException] = []

    def write() -> None:
        connections["default"]._writer_wait = 0.05  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                Notification.objects.create(user=leader, kind="t", title="late")
        except OperationalError as exc:
            outcome.append(exc)
        finally:
            connections.close_all()

    with lock:  # another writer of this process holds its turn
        t = threading.Thread(target=write)
        t.start()
        t.join()
    assert len(outcome) == 1 and "database is locked" in str(outcome[0])
    assert not Notification.objects.filter(kind="t").exists()
