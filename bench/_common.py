"""Shared set-up for the benchmarks: a private SQLite file per bench, timing and reporting.

Import this module before anything from Django or finegrid: :func:`setup` must set the database
path before ``django.setup()`` reads the settings, so a bench never touches var/finegrid.sqlite3.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
RESULTS_DIR = BENCH_DIR / "results"


def db_path(name: str) -> Path:
    return BENCH_DIR / f"{name}.sqlite3"


def remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def setup(db_name: str, *, fresh: bool = False) -> Path:
    """Point Django at ``var/bench/<db_name>.sqlite3``, set it up and migrate."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    path = db_path(db_name)
    if fresh:
        remove_db(path)
    os.environ["DJANGO_SETTINGS_MODULE"] = "finegrid.config.settings"
    os.environ["FINEGRID_SQLITE_PATH"] = str(path)
    os.environ.setdefault("FINEGRID_HOME", str(ROOT))
    os.environ.pop("FINEGRID_DATABASE_URL", None)  # a bench always runs on its own SQLite file
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return path


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    out = fn()
    return time.perf_counter() - started, out


def best_of(fn: Callable[[], Any], repeat: int = 3) -> float:
    return min(timed(fn)[0] for _ in range(repeat))


def median_of(fn: Callable[[], Any], repeat: int = 5) -> float:
    return statistics.median(timed(fn)[0] for _ in range(repeat))


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


class Report:
    """Collects a bench's figures and targets; prints them and saves them for bench/run.py."""

    def __init__(self, name: str, title: str) -> None:
        self.name = name
        self.title = title
        self.rows: list[tuple[str, str]] = []
        self.targets: list[dict[str, Any]] = []
        self.notes: list[str] = []

    def figure(self, label: str, value: str) -> None:
        self.rows.append((label, value))
        print(f"  {label:<58} {value}", flush=True)

    def target(self, label: str, measured: str, goal: str, ok: bool) -> None:
        self.targets.append({"label": label, "measured": measured, "goal": goal, "ok": ok})
        print(f"  TARGET {label}: {measured} (goal {goal}) -> {verdict(ok)}", flush=True)

    def note(self, text: str) -> None:
        self.notes.append(text)
        print(f"  note: {text}", flush=True)

    def save(self) -> Path:
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        out = RESULTS_DIR / f"{self.name}.json"
        data = {
            "name": self.name,
            "title": self.title,
            "rows": self.rows,
            "targets": self.targets,
            "notes": self.notes,
            "python": sys.version.split()[0],
            "finished": datetime.now(UTC).isoformat(timespec="seconds"),
            "ok": all(t["ok"] for t in self.targets),
        }
        out.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        return out
