"""Run every benchmark and rewrite docs/benchmarks.md with the figures of this run.

    .venv/bin/python bench/run.py            # all, in order
    .venv/bin/python bench/run.py locate     # some; the page still lists every saved result

Each bench runs in its own process (its own database, its own Django); the page is built from
the results they save under var/bench/results/. Exit status 1 when a bench fails or a target
is missed.
"""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import _common

# seed before map: map serves the street that seed leaves behind
BENCHES = [
    "seed",
    "map",
    "locate",
    "search",
    "import_xlsx",
    "case_api",
    "sweep",
    "on_duty",
    "checkin_api",
    "coverage",
    "care_latency",
    "care_chaos",
]
DOC = _common.ROOT / "docs" / "benchmarks.md"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def nproc() -> str:
    try:
        return subprocess.run(  # noqa: S603
            ["nproc"],  # noqa: S607 (coreutils, as the doc names it)
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return str(os.cpu_count())


def run_bench(name: str) -> tuple[bool, float]:
    print(f"== bench/{name}.py", flush=True)
    result = _common.RESULTS_DIR / f"{name}.json"
    result.unlink(missing_ok=True)
    started = time.perf_counter()
    proc = subprocess.run(  # noqa: S603 (our own scripts)
        [sys.executable, str(_common.ROOT / "bench" / f"{name}.py")], check=False
    )
    took = time.perf_counter() - started
    print(f"== bench/{name}.py finished in {took:.0f} s (exit {proc.returncode})\n", flush=True)
    return proc.returncode == 0 and result.exists(), took


def load_results() -> list[dict[str, Any]]:
    out = []
    for name in BENCHES:
        path = _common.RESULTS_DIR / f"{name}.json"
        if path.exists():
            out.append(json.loads(path.read_text(encoding="utf-8")))
    return out


def render(results: list[dict[str, Any]], failed: list[str], load: str) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Benchmarks",
        "",
        "Written by `bench/run.py`; do not edit by hand. Run `.venv/bin/python bench/run.py`",
        "to measure again, or `.venv/bin/python bench/<name>.py` for one bench. Each bench uses",
        "its own SQLite file under `var/bench/` and compares against a baseline measured in the",
        "same run.",
        "",
        f"- **Date:** {now}",
        f"- **Machine:** {nproc()} CPUs (`nproc`), {cpu_model()}, {platform.system()} "
        f"{platform.machine()}",
        f"- **Load average when the run began:** {load} (1, 5, 15 min; other work on the "
        "machine makes timings noisy)",
        f"- **Python:** {platform.python_version()}",
        f"- **Database:** SQLite {sqlite3.sqlite_version} (WAL, synchronous=FULL), one file per "
        "bench under `var/bench/`",
        "",
        "## Targets",
        "",
        "| Bench | Target | Measured | Goal | Result |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in results:
        for t in r["targets"]:
            verdict = _common.verdict(t["ok"])
            lines.append(
                f"| {r['name']} | {t['label']} | {t['measured']} | {t['goal']} | **{verdict}** |"
            )
    for name in failed:
        lines.append(f"| {name} | the bench itself | failed to run | runs | **MISS** |")
    for r in results:
        lines += ["", f"## {r['title']} (`bench/{r['name']}.py`, {r['finished']})", ""]
        lines += ["| Figure | Value |", "| --- | --- |"]
        lines += [f"| {label} | {value} |" for label, value in r["rows"]]
        if r["notes"]:
            lines.append("")
            lines += [f"- {note}" for note in r["notes"]]
    lines.append("")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    names = argv or BENCHES
    unknown = set(names) - set(BENCHES)
    if unknown:
        print(f"unknown bench: {', '.join(sorted(unknown))}; known: {', '.join(BENCHES)}")
        return 2
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    failed = [name for name in BENCHES if name in names and not run_bench(name)[0]]
    results = load_results()
    DOC.write_text(render(results, failed, load), encoding="utf-8")
    print(f"wrote {DOC.relative_to(_common.ROOT)}")
    missed = [t["label"] for r in results for t in r["targets"] if not t["ok"]]
    for label in missed:
        print(f"MISS: {label}")
    return 1 if failed or missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
