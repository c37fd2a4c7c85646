from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run the periodic jobs (case clocks, emergency-call escalations, the alert outbox) in "
        "the foreground, beside servers started with `serve --no-worker`. 运行定时任务。"
    )

    def handle(self, *args: Any, **opts: Any) -> None:
        from finegrid.core import periodic

        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        threads = periodic.start_all(stop)
        self.stdout.write(f"periodic jobs running: {', '.join(sorted(periodic.JOBS))}")
        stop.wait()
        for thread in threads:
            thread.join(timeout=5)
