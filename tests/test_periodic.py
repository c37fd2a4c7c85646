from __future__ import annotations

import threading

import pytest

from finegrid.cases.services import cases_sweep
from finegrid.core import periodic


def test_the_case_sweep_is_registered_to_run_every_minute() -> None:
    job = periodic.JOBS["cases-sweep"]
    assert (job.every, job.run) == (60, cases_sweep)


def test_a_job_keeps_running_after_a_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    runs: list[int] = []
    done = threading.Event()

    def flaky() -> None:
        runs.append(1)
        if len(runs) == 1:
            raise RuntimeError("first run fails")
        done.set()

    monkeypatch.setattr(periodic, "JOBS", {})
    periodic.register("flaky", 0.01, flaky)
    stop = threading.Event()
    (thread,) = periodic.start_all(stop)
    assert done.wait(5)
    stop.set()
    thread.join(5)
    assert len(runs) >= 2 and not thread.is_alive()
