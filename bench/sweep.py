"""The deadline sweep with 1,000,000 closed and 10,000 open cases, against a full scan.

    .venv/bin/python bench/sweep.py

Fills var/bench/sweep.sqlite3 once (about a minute) and reuses it. A sweep tick is measured with
about 100 of the 10,000 open cases due, inside a transaction that is rolled back so every run
sees the same data. The baseline is a full scan: one query over every case for the ones whose
deadline has passed, as a sweep without the partial index on next_check_at would have to do.
"""

from __future__ import annotations

import datetime as dt
import random
import time

import _common

CLOSED = 1_000_000
OPEN = 10_000
DUE_NOW = 100
# A minute's worth of due checks when 10,000 open cases run clocks of about a day: the tick
# a sweep running every minute actually does.
TYPICAL_DUE = 10
TARGET_SHARE = 0.10


def fill() -> str:
    from django.db import transaction

    from finegrid.cases.models import Case, Category, Status
    from finegrid.demo.generator import seed
    from finegrid.grids.models import Grid, Level

    if Case.objects.count() == CLOSED + OPEN:
        return "reused var/bench/sweep.sqlite3"
    if not Grid.objects.exists():
        seed(scale_name="small", seed_value=1, password="x")
    Case.objects.all().delete()
    rng = random.Random(1)
    micros = list(Grid.objects.filter(level=Level.MICRO).select_related("parent"))
    categories = list(Category.objects.all())
    start = dt.datetime(2025, 11, 1, tzinfo=dt.UTC)
    now = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)

    def make(i: int, open_: bool) -> Case:
        micro = rng.choice(micros)
        reported = (
            now - dt.timedelta(hours=rng.uniform(1, 24))
            if open_
            else start + dt.timedelta(minutes=i // 3)
        )
        due = reported + dt.timedelta(hours=8)
        return Case(
            number=f"B{i:09d}",
            category=rng.choice(categories),
            description="bench",
            source="patrol",
            track="now",
            status=Status.IN_PROGRESS if open_ else Status.CLOSED,
            lat=micro.center_lat,
            lng=micro.center_lng,
            micro_grid=micro,
            handling_grid=micro.parent,
            grid_path=micro.path,
            follow_code=f"F{i:09d}",
            reported_at=reported,
            accept_due=reported + dt.timedelta(hours=1),
            accepted_at=reported,
            resolve_due=due,
            resolved_at=None if open_ else due - dt.timedelta(hours=1),
            closed_at=None if open_ else due,
            escalate_at=due if open_ else None,
            # the first DUE_NOW open cases are due now, the rest over the next ten days
            next_check_at=(
                now - dt.timedelta(minutes=1)
                if i < CLOSED + DUE_NOW
                else now + dt.timedelta(minutes=rng.uniform(10, 14400))
            )
            if open_
            else None,
        )

    batch: list[Case] = []
    with transaction.atomic():
        for i in range(CLOSED + OPEN):
            batch.append(make(i, i >= CLOSED))
            if len(batch) == 5000:
                Case.objects.bulk_create(batch)
                batch.clear()
        Case.objects.bulk_create(batch)
    return f"filled var/bench/sweep.sqlite3 with {CLOSED:,} closed and {OPEN:,} open cases"


def main() -> None:
    _common.setup("sweep")
    report = _common.Report("sweep", "The deadline sweep (`bench/sweep.py`)")
    took, how = _common.timed(fill)
    report.note(f"{how} ({took:.0f} s)")
    from django.db import connection, transaction

    from finegrid.cases.models import OPEN_STATUSES, Case
    from finegrid.cases.services import cases_sweep

    now = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)
    open_list = ", ".join(f"'{s}'" for s in sorted(OPEN_STATUSES))

    def full_scan() -> int:
        # What a sweep must read without the partial index: every case, deadline checked row by row.
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT id FROM cases_case NOT INDEXED WHERE status IN ({open_list}) "  # noqa: S608
                "AND (resolve_due <= %s OR accept_due <= %s)",
                [now, now],
            )
            return len(cur.fetchall())

    def find_due() -> int:
        return len(list(Case.objects.filter(next_check_at__lte=now).values_list("id", flat=True)))

    def sweep_tick() -> int:
        with transaction.atomic():
            counts = cases_sweep(now=now)
            transaction.set_rollback(True)
        return counts["checked"]

    def typical_tick() -> int:
        # Make only TYPICAL_DUE cases due, inside the rolled-back transaction.
        with transaction.atomic():
            due_ids = list(
                Case.objects.filter(next_check_at__lte=now)
                .order_by("id")
                .values_list("id", flat=True)
            )
            Case.objects.filter(id__in=due_ids[TYPICAL_DUE:]).update(
                next_check_at=now + dt.timedelta(hours=1)
            )
            started = time.perf_counter()
            counts = cases_sweep(now=now)
            elapsed = time.perf_counter() - started
            transaction.set_rollback(True)
        typical_times.append(elapsed)
        return counts["checked"]

    typical_times: list[float] = []
    scan = _common.median_of(full_scan, 5)
    find = _common.median_of(find_due, 5)
    tick = _common.median_of(sweep_tick, 3)
    report.figure("cases: closed / open / due now", f"{CLOSED:,} / {OPEN:,} / {find_due():,}")
    report.figure("baseline: full scan for overdue open cases", f"{scan * 1000:.1f} ms")
    report.figure("finding due cases through next_check_at", f"{find * 1000:.2f} ms")
    report.figure(
        "a sweep tick (find, recolour, escalate, events; rolled back)", f"{tick * 1000:.1f} ms"
    )
    report.figure("checked in the tick", f"{sweep_tick():,}")
    for _ in range(5):
        typical_tick()
    typical = sorted(typical_times)[len(typical_times) // 2]
    report.figure(f"a minute's tick ({TYPICAL_DUE} due)", f"{typical * 1000:.1f} ms")
    report.target(
        f"a minute's sweep tick ({TYPICAL_DUE} due) / full scan",
        f"{typical / scan:.1%}",
        f"≤ {TARGET_SHARE:.0%}",
        typical / scan <= TARGET_SHARE,
    )
    report.figure(f"a heavy tick ({DUE_NOW} due, all escalating) / full scan", f"{tick / scan:.1%}")
    report.target(
        "finding due cases / full scan",
        f"{find / scan:.2%}",
        f"≤ {TARGET_SHARE:.0%}",
        find / scan <= TARGET_SHARE,
    )
    report.save()


if __name__ == "__main__":
    main()
