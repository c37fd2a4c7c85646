"""Check-ins over HTTP under load, against the smallest durable write on the same server.

    .venv/bin/python bench/checkin_api.py          # needs wrk (apt-get install wrk)
    BENCH_SCALE=small .venv/bin/python bench/checkin_api.py   # quicker, a smaller demo

Seeds a fresh var/bench/checkins.sqlite3 with the demo street (BENCH_SCALE, default street),
makes one active worker serving the whole street and the codes of every micro-grid, serves it
with ``finegrid serve`` and loads it with wrk on loopback, as bench/case_api.py does: the
baseline ``POST /api/v1/diagnostics/write`` (one row in one durable transaction) and
``POST /api/v1/workforce/checkins`` (the worker's Bearer token, a unique Idempotency-Key per
request, the codes of every micro-grid in turn, scanned at the micro-grid's centre) take turns in
rounds on the same server and connections. Afterwards every answer must have made one check-in.
Then the same on PostgreSQL (database ``BENCH_PG_DB``, default bench_checkins, dropped after).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import _common
import case_api

SCALE = os.environ.get("BENCH_SCALE", "street")
PG_DB = os.environ.get("BENCH_PG_DB", "bench_checkins")
WORKER = "bench-checkin-worker"
PASSWORD = "finegrid-bench-worker"
SCRIPTS = _common.BENCH_DIR / "checkin-api"
BASELINE = case_api.BASELINE
RPS_SHARE_GOAL = 0.5  # check-ins ≥ 50% of the baseline write's requests/s
P95_RATIO_GOAL = 3.0  # check-in p95 ≤ 3× the baseline write's

LUA_CHECKIN = """
local codes = {%(codes)s}
local counter = 0
local run = "r"

function init(args)
  run = args[1] or run
end

request = function()
  counter = counter + 1
  local c = codes[(counter * 7 + (tid or 0)) %% #codes + 1]
  local body = string.format('{"code": "%%s", "lat": %%.6f, "lng": %%.6f}', c[1], c[2], c[3])
  local headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer %(token)s",
    ["Idempotency-Key"] = string.format("%%s-%%d-%%d", run, tid or 0, counter),
  }
  return wrk.format("POST", "/api/v1/workforce/checkins", headers, body)
end
"""


def prepare() -> list[tuple[str, float, float]]:
    """The bench worker, serving the street, and (payload, lat, lng) of every micro-grid code."""
    from finegrid.accounts.models import Role, RoleAssignment, User
    from finegrid.grids.models import Grid
    from finegrid.workforce.models import Code, Worker, WorkerGrid, WorkerStatus, WorkerType
    from finegrid.workforce.services_codes import codes_ensure, payload_of

    street = Grid.objects.get(parent__isnull=True)
    user = User.objects.create_user(username=WORKER, password=PASSWORD, display_name="压测网格员")
    RoleAssignment.objects.create(user=user, role=Role.MICRO_WORKER, grid=street)
    worker = Worker.objects.create(
        user=user, type=WorkerType.GRID_WORKER, origin="volunteer", status=WorkerStatus.ACTIVE
    )
    WorkerGrid.objects.create(worker=worker, grid=street, grid_path=street.path)
    codes_ensure(grid=street, kinds=["micro"])
    rows = Code.objects.filter(kind="micro", lat__isnull=False).order_by("pk")
    return [(payload_of(c), c.lat, c.lng) for c in rows]  # type: ignore[misc]


def write_scripts(token: str, codes: list[tuple[str, float, float]]) -> dict[str, Path]:
    SCRIPTS.mkdir(parents=True, exist_ok=True)
    checkin = SCRIPTS / "checkin.lua"
    checkin.write_text(
        case_api.LUA_COMMON
        + LUA_CHECKIN
        % {
            "codes": ", ".join(f'{{"{p}", {lat:.6f}, {lng:.6f}}}' for p, lat, lng in codes),
            "token": token,
        },
        encoding="utf-8",
    )
    probe = SCRIPTS / "probe.lua"
    probe.write_text(
        case_api.LUA_COMMON + case_api.LUA_PROBE % {"token": token, "path": BASELINE},
        encoding="utf-8",
    )
    return {"probe": probe, "checkin": checkin}


def load_phase(
    wrk: str, env: dict[str, str], codes: list[tuple[str, float, float]], count: Any
) -> dict[str, Any]:
    """Serve with ``env``; load the baseline write and check-ins in alternating rounds.
    ``count()`` answers (check-ins, probe rows) in the database."""
    import map as map_bench

    server = case_api.start_server(port := map_bench.free_port(), env)
    base = f"http://127.0.0.1:{port}"
    seconds = case_api.SECONDS // case_api.ROUNDS
    try:
        client = map_bench.Client(base)
        started = map_bench.wait_ready(client, server)
        _, body, status = client.request(
            "/api/v1/auth/token", {"username": WORKER, "password": PASSWORD, "name": "bench"}
        )
        assert status == 201, status
        scripts = write_scripts(json.loads(body)["token"], codes)
        case_api.run_wrk(wrk, base, scripts["probe"], case_api.WARMUP_SECONDS)
        warm = case_api.run_wrk(wrk, base, scripts["checkin"], case_api.WARMUP_SECONDS)
        assert warm["non_2xx"] == 0, warm
        probe_one = case_api.run_wrk(wrk, base, scripts["probe"], case_api.SINGLE_SECONDS, 1)
        checkin_one = case_api.run_wrk(wrk, base, scripts["checkin"], case_api.SINGLE_SECONDS, 1)
        bare_rounds, checkin_rounds, bare_made, made = [], [], 0, 0
        for _round in range(case_api.ROUNDS):
            checkins_before, probes_before = count()
            bare_rounds.append(case_api.run_wrk(wrk, base, scripts["probe"], seconds))
            checkins_between, probes_after = count()
            checkin_rounds.append(case_api.run_wrk(wrk, base, scripts["checkin"], seconds))
            bare_made += probes_after - probes_before
            made += count()[0] - checkins_between
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
    return {
        "start": started,
        "bare": case_api.pooled(bare_rounds),
        "checkin": case_api.pooled(checkin_rounds),
        "bare_one": probe_one,
        "checkin_one": checkin_one,
        "bare_made": bare_made,
        "made": made,
    }


def _count_sqlite() -> tuple[int, int]:
    from finegrid.core.models import WriteProbe
    from finegrid.workforce.models import Checkin

    return Checkin.objects.count(), WriteProbe.objects.count()


def in_process(code: tuple[str, float, float]) -> dict[str, Any]:
    """Queries behind one check-in, in-process with Django's test client."""
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext

    from finegrid.accounts.models import ApiToken, User

    _token, key = ApiToken.issue(user=User.objects.get(username=WORKER), name="bench-queries")
    client = DjangoClient(headers={"Authorization": f"Bearer {key}"})
    body = {"code": code[0], "lat": code[1], "lng": code[2]}

    def checkin() -> None:
        resp = client.post(
            "/api/v1/workforce/checkins",
            body,
            content_type="application/json",
            headers={"Idempotency-Key": f"bench-in-process-{time.time_ns()}"},
        )
        assert resp.status_code == 201, resp.content

    checkin()
    with CaptureQueriesContext(connection) as ctx:
        checkin()
    return {"queries": len(ctx.captured_queries)}


def postgres_phase(wrk: str) -> dict[str, Any] | None:
    try:
        case_api._psql("-c", "select 1")
    except (OSError, subprocess.CalledProcessError):
        return None
    case_api._psql("-c", f"drop database if exists {PG_DB}")
    case_api._psql("-c", f"create database {PG_DB}")
    env = {**os.environ, "FINEGRID_DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{PG_DB}"}
    env.pop("FINEGRID_SQLITE_PATH", None)
    exe = os.path.join(os.path.dirname(sys.executable), "finegrid")
    try:
        for command in (["migrate", "-v0"], ["seed", "--scale", SCALE]):
            subprocess.run([exe, *command], env=env, check=True, capture_output=True)  # noqa: S603
        out = subprocess.run(  # noqa: S603 (this very script, preparing the database of env)
            [sys.executable, __file__, "--prepare"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        codes = [tuple(c) for c in json.loads(out.stdout.strip().splitlines()[-1])]

        def count() -> tuple[int, int]:
            checkins = case_api._psql("-d", PG_DB, "-c", "select count(*) from workforce_checkin")
            probes = case_api._psql("-d", PG_DB, "-c", "select count(*) from core_writeprobe")
            return int(checkins), int(probes)

        return load_phase(wrk, env, codes, count)  # type: ignore[arg-type]
    finally:
        case_api._psql("-c", f"drop database if exists {PG_DB}")


def judge(report: _common.Report, load: dict[str, Any], database: str) -> None:
    bare, checkin = load["bare"], load["checkin"]
    case_api._one_row_each(report, f"{database}, baseline write", bare, load["bare_made"], "row")
    case_api._one_row_each(report, f"{database}, check-in", checkin, load["made"], "check-in")
    share = checkin["rps"] / bare["rps"]
    report.target(
        f"{database}: check-in throughput vs the baseline write",
        f"{share:.0%} ({checkin['rps']:,.0f} vs {bare['rps']:,.0f} req/s)",
        f"≥ {RPS_SHARE_GOAL:.0%}",
        share >= RPS_SHARE_GOAL,
    )
    ratio = checkin["p95_ms"] / bare["p95_ms"]
    report.target(
        f"{database}: check-in p95 latency vs the baseline write",
        f"{ratio:.1f}× ({checkin['p95_ms']:.1f} vs {bare['p95_ms']:.1f} ms)",
        f"≤ {P95_RATIO_GOAL:.0f}×",
        ratio <= P95_RATIO_GOAL,
    )


FIGURES = (
    (f"baseline POST {BASELINE} ({case_api.CONNECTIONS} connections)", "bare"),
    (f"POST /api/v1/workforce/checkins ({case_api.CONNECTIONS} connections)", "checkin"),
    (f"baseline POST {BASELINE}, 1 connection", "bare_one"),
    ("POST /api/v1/workforce/checkins, 1 connection", "checkin_one"),
)


def main() -> None:
    wrk = case_api.ensure_wrk()
    report = _common.Report("checkin_api", "Check-ins over HTTP under load (uvicorn + wrk)")
    os.environ["FINEGRID_DIAGNOSTICS"] = "1"
    _common.setup("checkins", fresh=True)
    from django.core.management import call_command

    took, _ = _common.timed(lambda: call_command("seed", scale=SCALE, verbosity=0))
    report.note(f"seeded a fresh var/bench/checkins.sqlite3 with the {SCALE} demo ({took:.1f} s)")
    codes = prepare()
    report.figure("micro-grid codes scanned in turn", f"{len(codes):,}")
    alone = in_process(codes[0])
    report.figure("queries behind one check-in (in-process)", str(alone["queries"]))
    load = load_phase(wrk, dict(os.environ), codes, _count_sqlite)
    for label, key in FIGURES:
        report.figure(f"SQLite: {label}", case_api.describe(load[key]))
    judge(report, load, "SQLite")
    pg = postgres_phase(wrk)
    if pg is None:
        report.note("PostgreSQL on 127.0.0.1:5432 was not reachable: measured on SQLite only.")
    else:
        for label, key in FIGURES:
            report.figure(f"PostgreSQL: {label}", case_api.describe(pg[key]))
        judge(report, pg, "PostgreSQL")
    report.note(
        f"wrk {case_api.THREADS} threads, {case_api.CONNECTIONS} connections, "
        f"{case_api.SECONDS} s per endpoint in {case_api.ROUNDS} alternating rounds on one "
        "`finegrid serve`, as bench/case_api.py. Each check-in verifies the code's signature, "
        "reads the code, the worker and the grids they serve, looks for the same code scanned "
        "within minutes, and inserts the row in one transaction with the ON_CHECKIN hooks. "
        "Every scan is at the micro-grid's centre, so none is flagged (a flagged one adds the "
        "grid heads' lookup and one notification insert)."
    )
    report.save()


if __name__ == "__main__":
    if sys.argv[1:] == ["--prepare"]:
        import django

        os.environ["DJANGO_SETTINGS_MODULE"] = "finegrid.config.settings"
        django.setup()
        print(json.dumps(prepare()))
    else:
        main()
