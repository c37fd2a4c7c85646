"""``finegrid seed --scale street`` on a fresh SQLite file, against a 90 s budget.

    .venv/bin/python bench/seed.py

Deletes and recreates var/bench/street.sqlite3 (bench/map.py then serves it). The baseline is
planning the same geometry alone (``plan_tree``), so the report splits the run into geometry
and everything else (validation, database writes, people and places).
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats

import _common

BUDGET_S = 90.0


def main() -> None:
    report = _common.Report("seed", "Seeding the demo street")
    migrate_s, _ = _common.timed(lambda: _common.setup("street", fresh=True))
    from django.core.management import call_command

    from finegrid.demo.generator import SCALES, plan_tree

    report.figure("migrate a fresh SQLite file", f"{migrate_s:.2f} s")
    plan_s, plan = _common.timed(lambda: plan_tree(SCALES["street"], 1))
    report.figure(
        f"baseline: plan_tree(street) alone ({len(plan.specs):,} grids)", f"{plan_s:.2f} s"
    )

    out = io.StringIO()
    profiler = cProfile.Profile() if os.environ.get("BENCH_PROFILE") else None
    if profiler:
        profiler.enable()
    seed_s, _ = _common.timed(lambda: call_command("seed", scale="street", stdout=out))
    if profiler:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    print(f"  {out.getvalue().strip()}")
    report.figure("seed --scale street (plan + write + people and places)", f"{seed_s:.2f} s")
    report.figure("of which beyond planning the geometry", f"{seed_s - plan_s:.2f} s")
    report.figure("ratio seed / plan_tree", f"{seed_s / plan_s:.2f}×")
    size = sum(p.stat().st_size for p in _common.BENCH_DIR.glob("street.sqlite3*") if p.is_file())
    report.figure("database size after seeding (with WAL)", f"{size / 1e6:.0f} MB")
    report.target(
        "seed --scale street", f"{seed_s:.1f} s", f"≤ {BUDGET_S:.0f} s", seed_s <= BUDGET_S
    )
    report.note(
        "Baseline: planning the same geometry alone (plan_tree); the rest of the seed is "
        "validation, database writes, and people and places. Fresh file, in-process "
        "call_command('seed', scale='street')."
    )
    report.save()


if __name__ == "__main__":
    main()
