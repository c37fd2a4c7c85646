from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

logger = logging.getLogger(__name__)


def parse_addr(addr: str) -> tuple[str, int]:
    host, _, port = addr.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise CommandError(f"--addr 应为 主机:端口 / --addr must be HOST:PORT, got {addr!r}")
    return host, int(port)


def start_task_worker() -> threading.Thread:
    """Run the database task worker in a daemon thread of this process, so the embedded demo
    processes background work (large imports) with no second process. Production runs
    ``finegrid db_worker`` beside the servers instead (docs/decisions/0002-background-tasks.md)."""
    from django.utils.crypto import get_random_string
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=["default"],
        interval=1,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=f"serve-{get_random_string(12)}",
        excluded_queue_names=[],
    )

    def loop() -> None:
        # Worker.run() only returns on shutdown; an unexpected error (a locked database after a
        # long write) must not end background work for the life of the server.
        while True:
            try:
                worker.run()
                return
            except Exception:
                logger.exception("task worker stopped; restarting in 5 s")
                time.sleep(5)

    # signals stay with uvicorn: the worker's own handlers may only be set in the main thread
    thread = threading.Thread(target=loop, name="finegrid-tasks", daemon=True)
    thread.start()
    return thread


def run_server(addr: str, *, worker: bool = True) -> None:
    import uvicorn

    from finegrid.core import startup

    host, port = parse_addr(addr)
    from django.db import connection

    if connection.vendor == "sqlite":
        from finegrid.core.sqlite import checkpoint

        # before any connection of the server is opened: requests then never checkpoint
        checkpoint.enable(str(connection.settings_dict["NAME"]))
    # Build the caches (the point index: seconds at city scale) before taking requests, so no
    # caller waits for them.
    startup.warm_all()
    if worker:
        from finegrid.core import periodic

        start_task_worker()
        periodic.start_all()
    # WebSockets (the alert page, /ws/alerts/) through the `websockets` package, named here so
    # that a server without it fails at start rather than answering every socket with 404
    uvicorn.run(
        "finegrid.config.asgi:application",
        host=host,
        port=port,
        log_level="warning",
        ws="websockets-sansio",
        lifespan="off",
    )


class Command(BaseCommand):
    help = "Serve finegrid over ASGI (uvicorn). 启动服务。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000")
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help=(
                "Run no background tasks or periodic jobs here (run `finegrid db_worker` and "
                "`finegrid sweep --loop 60` separately)."
            ),
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        self.stdout.write(f"finegrid serving on http://{opts['addr']}/")
        run_server(opts["addr"], worker=not opts["no_worker"])
