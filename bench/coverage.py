"""Coverage of the whole street (1,506 micro-grids) from the rollups, against computing it from
the raw check-ins and visits, side by side at 1,000,000 check-ins.

    .venv/bin/python bench/coverage.py

Fills var/bench/coverage.sqlite3 once (the demo street, one worker per micro-grid, a million
check-ins and 60,000 visits over a quarter, then one rebuild of the rollups; a few minutes) and
reuses it. Both sides answer the same figures for 2026-Q4 — households visited and reached,
check-ins and distinct patrol points checked per micro-grid — and read the same denominators
(``CoverageTally``). The baseline is one grouped query over the raw check-ins and one over the
visits (``rollups.raw_coverage``), what a page would have to run without the rollups.
"""

from __future__ import annotations

import datetime as dt
import random

import _common

CHECKINS = 1_000_000
VISITS = 60_000
TARGET_RATIO = 1 / 50
QUARTER = "2026-Q4"
START = dt.datetime(2026, 9, 30, 16, 0, tzinfo=dt.UTC)  # 2026-10-01 00:00 in Chengdu
SPAN_S = 61 * 86400  # October and November


def fill() -> str:
    from django.db import connection, transaction

    from finegrid.accounts.models import User
    from finegrid.demo.generator import seed
    from finegrid.grids.models import Grid, Household, Level
    from finegrid.workforce import rollups
    from finegrid.workforce.models import Checkin, Code, CodeKind, Worker, WorkerGrid

    if Checkin.objects.count() >= CHECKINS:
        return "reused var/bench/coverage.sqlite3"
    if not Grid.objects.exists():
        seed(scale_name="street", seed_value=1, password="x")
    rng = random.Random(5)
    micros = list(
        Grid.objects.filter(level=Level.MICRO).values_list("pk", "path", "center_lat", "center_lng")
    )
    with transaction.atomic():
        if not Worker.objects.exists():
            users = User.objects.bulk_create(
                [
                    User(username=f"bench-w{i}", display_name=f"网格员{i}")
                    for i in range(len(micros))
                ],
                batch_size=1000,
            )
            workers = Worker.objects.bulk_create(
                [
                    Worker(
                        user=u,
                        type="micro_worker",
                        origin="volunteer",
                        status="active",
                        grid_path=m[1],
                    )
                    for u, m in zip(users, micros, strict=True)
                ],
                batch_size=1000,
            )
            WorkerGrid.objects.bulk_create(
                [
                    WorkerGrid(worker=w, grid_id=m[0], grid_path=m[1])
                    for w, m in zip(workers, micros, strict=True)
                ],
                batch_size=1000,
            )
            # a micro-grid code beside each patrol point's: check-ins at both kinds
            Code.objects.bulk_create(
                [
                    Code(
                        kind=CodeKind.MICRO_GRID,
                        object_id=m[0],
                        name=str(m[0]),
                        grid_id=m[0],
                        grid_path=m[1],
                    )
                    for m in micros
                ],
                batch_size=1000,
                ignore_conflicts=True,
            )
        worker_of = dict(WorkerGrid.objects.values_list("grid", "worker"))
        user_of = dict(Worker.objects.values_list("pk", "user"))
        codes: dict[int, list[int]] = {}
        for pk, grid in Code.objects.values_list("pk", "grid"):
            codes.setdefault(grid, []).append(pk)
        paths = {m[0]: m[1] for m in micros}
        grids_with_codes = [g for g in codes if g in worker_of]
        existing = Checkin.objects.count()

        def rows():  # type: ignore[no-untyped-def]
            for _ in range(CHECKINS - existing):
                grid = rng.choice(grids_with_codes)
                worker = worker_of[grid]
                at = START + dt.timedelta(seconds=rng.randrange(SPAN_S))
                yield (
                    worker,
                    rng.choice(codes[grid]),
                    1,
                    grid,
                    paths[grid],
                    at.strftime("%Y-%m-%d %H:%M:%S"),
                    30.0,
                    104.0,
                    5.0,
                    False,
                    "",
                    "",
                    user_of[worker],
                )

        with connection.cursor() as cur:
            cur.executemany(
                "INSERT INTO workforce_checkin (worker_id, code_id, code_version, grid_id,"
                " grid_path, at, lat, lng, distance_m, flagged, flag_reason, idempotency_key,"
                " created_by_id)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                rows(),
            )
        homes = list(Household.objects.values_list("pk", "micro_grid", "grid_path"))
        from finegrid.workforce.models import HouseholdVisit

        HouseholdVisit.objects.bulk_create(
            [
                HouseholdVisit(
                    household_id=h[0],
                    worker_id=worker_of.get(h[1]),
                    micro_grid_id=h[1],
                    grid_path=h[2],
                    at=START + dt.timedelta(seconds=rng.randrange(SPAN_S)),
                    outcome=rng.choice(["met", "met", "not_home"]),
                )
                for h in (rng.choice(homes) for _ in range(VISITS))
                if h[1] in worker_of
            ],
            batch_size=2000,
        )
    rollups.tally_refresh()
    rollups.rollups_rebuild(since=dt.date(2026, 10, 1), until=dt.date(2026, 12, 1))
    return f"filled var/bench/coverage.sqlite3 with {CHECKINS:,} check-ins and {VISITS:,} visits"


def main() -> None:
    _common.setup("coverage")
    report = _common.Report("coverage", "Coverage of the street from rollups (`bench/coverage.py`)")
    took, how = _common.timed(fill)
    report.note(f"{how} ({took:.0f} s)")
    from django.db import connection

    from finegrid.grids.models import Grid, Level
    from finegrid.workforce import rollups, selectors_patrols
    from finegrid.workforce.models import Checkin, CoverageTally
    from finegrid.workforce.periods import parse_period

    street = Grid.objects.get(level=Level.STREET)
    period = parse_period(QUARTER)
    n_micro = Grid.objects.filter(level=Level.MICRO).count()

    def from_rollups() -> int:
        found = selectors_patrols.coverage_under(
            grid=street, period=period, today=dt.date(2026, 12, 2)
        )
        return len(found.rows)

    def from_raw() -> int:
        # the same denominators as the rollup side, then the figures from the raw rows
        tallies = dict(CoverageTally.objects.values_list("micro_grid", "households"))
        raw = rollups.raw_coverage(period, prefix=street.path)
        return len(tallies) + len(raw)

    # the two sides agree before either is timed
    found = selectors_patrols.coverage_under(grid=street, period=period, today=dt.date(2026, 12, 2))
    raw = rollups.raw_coverage(period, prefix=street.path)
    mismatched = sum(
        1
        for row in found.rows
        if (row.points_checked, row.households_visited, row.checkins)
        != tuple(
            raw.get(row.grid_id, {}).get(k, 0)
            for k in ("points_checked", "households_visited", "checkins")
        )
    )
    fast = _common.median_of(from_rollups, 7)
    slow = _common.median_of(from_raw, 3)
    report.figure("database", connection.vendor)
    report.figure("micro-grids / check-ins", f"{n_micro:,} / {Checkin.objects.count():,}")
    report.figure("micro-grids whose figures differ between the two", f"{mismatched}")
    report.figure("baseline: computed from the raw check-ins and visits", f"{slow * 1000:.0f} ms")
    report.figure("from the rollups (the coverage selector, 4 queries)", f"{fast * 1000:.1f} ms")
    report.target(
        "street coverage from rollups / from raw check-ins",
        f"1/{slow / fast:.0f}",
        f"≤ 1/{1 / TARGET_RATIO:.0f}",
        fast <= slow * TARGET_RATIO and mismatched == 0,
    )
    report.note(
        "Both sides read the same denominators (CoverageTally); the rollups were rebuilt once "
        "from the bulk-inserted rows (rollups_rebuild), which the tests show equal to the "
        "per-check-in updates."
    )
    report.save()


if __name__ == "__main__":
    main()
