"""Periodic jobs that ``finegrid serve`` runs in background threads (the embedded setup).

Apps register their jobs in ``AppConfig.ready()``; core knows none of them. Production runs the
same jobs from a scheduler or a ``--loop`` command beside the servers instead.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.db import close_old_connections

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    every: float
    run: Callable[[], object]


JOBS: dict[str, Job] = {}


def register(name: str, every: float, run: Callable[[], object]) -> None:
    JOBS[name] = Job(name, every, run)


def start_all(stop: threading.Event | None = None) -> list[threading.Thread]:
    """One daemon thread per job, until ``stop`` is set (or the process ends)."""
    stop = stop or threading.Event()
    threads = []
    for job in JOBS.values():

        def loop(job: Job = job) -> None:
            while not stop.is_set():
                try:
                    job.run()
                except Exception:
                    # one bad run must not stop the clock for the life of the server
                    logger.exception("periodic job %s failed", job.name)
                finally:
                    close_old_connections()
                stop.wait(job.every)

        thread = threading.Thread(target=loop, name=f"finegrid-{job.name}", daemon=True)
        thread.start()
        threads.append(thread)
    return threads
