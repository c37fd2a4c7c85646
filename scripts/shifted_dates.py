"""Run the date-sensitive tests as if today were another day.

    python scripts/shifted_dates.py [PYTEST ARGS…]

A test that pins one call to a fixed date while the rest runs at the real clock passes on the day
it was written and fails days later, for everyone. This runs the tests of the apps that count
time (cases, registry, Open311) with the whole process's clock moved (FINEGRID_TEST_NOW, read by
tests/conftest.py) to moments that expose such a mix:

- a year ahead at 23:30 Beijing time (outside working hours, a far-off date),
- the next Spring Festival at 07:30 Beijing time (a public holiday; still the previous day in UTC),
- today at 07:30 Beijing time (the UTC date is yesterday's).

Browser tests are left out: they are the slowest and their clocks come from the same helpers.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
import zoneinfo
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")
PATHS = ["tests/cases", "tests/registry", "tests/open311"]
# 春节 (the first day of the lunar year); past the table's end the last one is used, which is
# still a holiday in the past and so still a shifted day.
SPRING_FESTIVALS = [
    dt.date(2027, 2, 6),
    dt.date(2028, 1, 26),
    dt.date(2029, 2, 13),
    dt.date(2030, 2, 3),
    dt.date(2031, 1, 23),
    dt.date(2032, 2, 11),
    dt.date(2033, 1, 31),
    dt.date(2034, 2, 19),
    dt.date(2035, 2, 8),
]


def moments(today: dt.date) -> list[tuple[str, dt.datetime]]:
    try:
        next_year = today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        next_year = today.replace(year=today.year + 1, day=28)
    festival = next((d for d in SPRING_FESTIVALS if d > today), SPRING_FESTIVALS[-1])
    at = dt.time
    return [
        ("a year ahead, 23:30", dt.datetime.combine(next_year, at(23, 30), BEIJING)),
        ("Spring Festival, 07:30", dt.datetime.combine(festival, at(7, 30), BEIJING)),
        ("today, 07:30", dt.datetime.combine(today, at(7, 30), BEIJING)),
    ]


def main(args: list[str]) -> int:
    today = dt.datetime.now(BEIJING).date()
    pytest = str(ROOT / ".venv" / "bin" / "pytest")
    command = [pytest, *PATHS, "-q", "-p", "no:randomly", "--ignore-glob=*test_browser*", *args]
    # The moments run side by side (each test database is in memory), so the check costs about
    # one run's time on a machine with two cores instead of three.
    runs = []
    for label, moment in moments(today):
        env = {**os.environ, "FINEGRID_TEST_NOW": moment.isoformat()}
        log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
        process = subprocess.Popen(  # noqa: S603 - fixed arguments
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        runs.append((label, moment, process, log))
    failed = []
    for label, moment, process, log in runs:
        code = process.wait()
        log.seek(0)
        print(f"== {label}: {moment.isoformat()}")
        print(log.read().rstrip(), flush=True)
        if code:
            failed.append(label)
    if failed:
        print("failed at: " + "; ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
