"""Case creation over HTTP under load, against the smallest durable write on the same server.

    .venv/bin/python bench/case_api.py            # needs wrk (apt-get install wrk)

Seeds a fresh var/bench/cases.sqlite3 with the demo street, serves it with ``finegrid serve``
(uvicorn) on a free 127.0.0.1 port and loads it with wrk on loopback: the baseline
``POST /api/v1/diagnostics/write`` (the same Bearer token, a small JSON body validated by ninja,
one row inserted through the ORM in one durable transaction), then ``POST /api/v1/cases`` with a
unique Idempotency-Key per request, spread over the street's micro-grids and the ten categories.
Same server, same connections, same duration, one after the other; ``GET /api/v1/ping`` (no auth,
no database) is measured too, as the server's fixed cost. Afterwards every answered request must
have made exactly one row. Then the same on PostgreSQL (database ``BENCH_PG_DB``, default
bench_cases, dropped afterwards).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import _common

CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
THREADS = 2
SECONDS = int(os.environ.get("BENCH_SECONDS", "15"))
# The baseline and creation take turns in rounds, so that load from other work on the machine
# falls on both alike; each one's figures pool its rounds.
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
WARMUP_SECONDS = 3
SINGLE_SECONDS = 5
PG_DB = os.environ.get("BENCH_PG_DB", "bench_cases")
POINTS = 400
PASSWORD = "finegrid-demo"
SERVER_LOG = _common.BENCH_DIR / "case-api-server.log"
SCRIPTS = _common.BENCH_DIR / "case-api"

RPS_SHARE_GOAL = 0.5  # creation ≥ 50% of the baseline write's requests/s
P95_RATIO_GOAL = 3.0  # creation p95 ≤ 3× the baseline write's
BASELINE = "/api/v1/diagnostics/write"

# wrk runs one Lua state per thread: setup() numbers the threads so that keys never collide.
LUA_COMMON = """
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function done(summary, latency, requests)
  -- 200 evenly spaced quantiles, so that several rounds can be pooled into one distribution
  local q = {}
  for i = 1, 200 do
    q[i] = string.format("%.3f", latency:percentile((i - 0.5) / 2) / 1e3)
  end
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.3f, "non_2xx": %d, "socket_errors": %d, '
    .. '"p50_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f, "mean_ms": %.3f, "q": [%s]}\\n',
    summary.requests, summary.duration / 1e6, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1e3, latency:percentile(95) / 1e3, latency:percentile(99) / 1e3,
    latency.mean / 1e3, table.concat(q, ", ")))
end
"""

LUA_CREATE = """
local points = {%(points)s}
local categories = {%(categories)s}
local counter = 0
local run = "r"

-- a fresh run id per wrk invocation (its first argument), so no run replays another's keys
function init(args)
  run = args[1] or run
end

request = function()
  counter = counter + 1
  local p = points[(counter * 7 + (tid or 0)) %% #points + 1]
  local category = categories[counter %% #categories + 1]
  local body = string.format(
    '{"category": "%%s", "description": "bench %%s-%%d-%%d", "lat": %%.6f, "lng": %%.6f}',
    category, run, tid or 0, counter, p[1], p[2])
  local headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer %(token)s",
    ["Idempotency-Key"] = string.format("%%s-%%d-%%d", run, tid or 0, counter),
  }
  return wrk.format("POST", "/api/v1/cases", headers, body)
end
"""

LUA_PROBE = """
local counter = 0
local run = "r"

function init(args)
  run = args[1] or run
end

request = function()
  counter = counter + 1
  local body = string.format('{"note": "bench %%s-%%d-%%d"}', run, tid or 0, counter)
  local headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer %(token)s",
  }
  return wrk.format("POST", "%(path)s", headers, body)
end
"""


def ensure_wrk() -> str:
    exe = shutil.which("wrk")
    if exe is None:
        raise SystemExit("bench/case_api.py needs wrk on PATH: apt-get install -y wrk")
    return exe


def seed_street() -> str:
    from django.core.management import call_command

    from finegrid.grids.models import Grid

    if os.environ.get("BENCH_REUSE_DB") and Grid.objects.exists():
        return "reused var/bench/cases.sqlite3 (BENCH_REUSE_DB, for investigating only)"

    took, _ = _common.timed(lambda: call_command("seed", scale="street", verbosity=0))
    return f"seeded a fresh var/bench/cases.sqlite3 with the demo street ({took:.1f} s)"


def report_points(n: int) -> list[tuple[float, float]]:
    """Centres of micro-grids that the point index places in that very micro-grid."""
    from finegrid.grids.models import Grid, Level
    from finegrid.grids.selectors import locate

    out = []
    micro = Grid.objects.filter(level=Level.MICRO, center_lat__isnull=False).order_by("code")
    for g in micro.only("pk", "center_lat", "center_lng").iterator():
        assert g.center_lat is not None and g.center_lng is not None
        hit = locate(lat=g.center_lat, lng=g.center_lng)
        if hit is not None and hit.id == g.pk:
            out.append((g.center_lat, g.center_lng))
        if len(out) == n:
            break
    assert out, "no micro-grid centre lies in its own micro-grid"
    return out


def in_process(lat: float, lng: float) -> dict[str, float]:
    """Queries behind one POST /api/v1/cases and behind one baseline write, and the median time of
    the app's own work for each (and for ping), in-process with Django's test client (no server,
    no network)."""
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext

    from finegrid.accounts.models import ApiToken, User

    user = User.objects.get(username="leader")
    _token, key = ApiToken.issue(user=user, name="bench-queries")
    client = DjangoClient(headers={"Authorization": f"Bearer {key}"})
    body = {"category": "sanitation", "description": "bench warm", "lat": lat, "lng": lng}

    def create() -> None:
        resp = client.post(
            "/api/v1/cases",
            body,
            content_type="application/json",
            headers={"Idempotency-Key": f"bench-in-process-{time.time_ns()}"},
        )
        assert resp.status_code == 201, resp.content

    def probe() -> None:
        resp = client.post(BASELINE, {"note": "bench"}, content_type="application/json")
        assert resp.status_code == 201, resp.content

    def ping() -> None:
        assert client.get("/api/v1/ping").status_code == 200

    create()  # warm caches
    probe()
    with CaptureQueriesContext(connection) as ctx:
        create()
    with CaptureQueriesContext(connection) as probe_ctx:
        probe()
    return {
        "queries": len(ctx.captured_queries),
        "probe_queries": len(probe_ctx.captured_queries),
        "create_ms": _median_ms(create, 60),
        "probe_ms": _median_ms(probe, 60),
        "ping_ms": _median_ms(ping, 300),
    }


def _median_ms(fn: Any, n: int) -> float:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return sorted(times)[n // 2] * 1e3


def start_server(port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """``finegrid serve`` as a user starts it (with its task worker thread), or with the extra
    arguments in BENCH_SERVE_ARGS (e.g. ``--no-worker``) when investigating."""
    exe = os.path.join(os.path.dirname(sys.executable), "finegrid")
    extra = os.environ.get("BENCH_SERVE_ARGS", "").split()
    with SERVER_LOG.open("wb") as log:
        return subprocess.Popen(  # noqa: S603 (our own CLI, fixed arguments)
            [exe, "serve", "--addr", f"127.0.0.1:{port}", *extra],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def write_scripts(token: str, points: list[tuple[float, float]]) -> dict[str, Path]:
    from finegrid.cases.models import Category

    SCRIPTS.mkdir(parents=True, exist_ok=True)
    codes = list(Category.objects.filter(active=True).values_list("code", flat=True))
    create = SCRIPTS / "create.lua"
    create.write_text(
        LUA_COMMON
        + LUA_CREATE
        % {
            "points": ", ".join(f"{{{lat:.6f}, {lng:.6f}}}" for lat, lng in points),
            "categories": ", ".join(f'"{c}"' for c in codes),
            "token": token,
        },
        encoding="utf-8",
    )
    probe = SCRIPTS / "probe.lua"
    probe.write_text(LUA_COMMON + LUA_PROBE % {"token": token, "path": BASELINE}, encoding="utf-8")
    bare = SCRIPTS / "bare.lua"
    bare.write_text(LUA_COMMON, encoding="utf-8")
    return {"bare": bare, "probe": probe, "create": create}


def run_wrk(
    wrk: str, url: str, script: Path, seconds: int, connections: int = CONNECTIONS
) -> dict[str, Any]:
    run_id = f"r{time.time_ns()}"
    proc = subprocess.run(  # noqa: S603 (wrk from PATH, our own arguments)
        [
            wrk,
            f"-t{min(THREADS, connections)}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            url,
            "--",
            run_id,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    found = re.search(r"^RESULT (\{.*\})$", proc.stdout, re.MULTILINE)
    if found is None:
        raise SystemExit(f"wrk gave no result:\n{proc.stdout}\n{proc.stderr}")
    result: dict[str, Any] = json.loads(found.group(1))
    result["rps"] = result["requests"] / result["seconds"]
    return result


def pooled(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """Several wrk runs of one endpoint as one: counts added, latency quantiles pooled (each
    round's 200 quantiles weighted by its requests)."""
    out: dict[str, Any] = {
        key: sum(r[key] for r in rounds)
        for key in ("requests", "seconds", "non_2xx", "socket_errors")
    }
    out["rps"] = out["requests"] / out["seconds"]
    points = sorted((v, r["requests"] / len(r["q"])) for r in rounds for v in r["q"])
    total = sum(w for _v, w in points)
    for pct in (50, 95, 99):
        seen = 0.0
        for value, weight in points:
            seen += weight
            if seen >= total * pct / 100:
                out[f"p{pct}_ms"] = value
                break
    return out


def describe(result: dict[str, Any]) -> str:
    return (
        f"{result['rps']:,.0f} req/s; p50 {result['p50_ms']:.1f} ms, p95 {result['p95_ms']:.1f} "
        f"ms, p99 {result['p99_ms']:.1f} ms; {result['requests']:,} requests, "
        f"{result['non_2xx']} non-2xx, {result['socket_errors']} socket errors"
    )


def _count_sqlite() -> tuple[int, int]:
    from finegrid.cases.models import Case
    from finegrid.core.models import WriteProbe

    return Case.objects.count(), WriteProbe.objects.count()


def load_phase(
    wrk: str, env: dict[str, str], points: list[tuple[float, float]], count: Any
) -> dict[str, Any]:
    """Serve the seeded street with ``env``, then load ping, the baseline write and creation.
    ``count()`` answers (cases, probe rows) in the database."""
    import map as map_bench  # the stdlib-only HTTP client and server start of bench/map.py

    server = start_server(port := map_bench.free_port(), env)
    base = f"http://127.0.0.1:{port}"
    try:
        client = map_bench.Client(base)
        started = map_bench.wait_ready(client, server)
        _, body, status = client.request(
            "/api/v1/auth/token", {"username": "leader", "password": PASSWORD, "name": "bench"}
        )
        assert status == 201, status
        scripts = write_scripts(json.loads(body)["token"], points)
        ping_url = base + "/api/v1/ping"
        before = count()[0]
        # warm every path (imports, point index, caches) before measuring
        run_wrk(wrk, ping_url, scripts["bare"], WARMUP_SECONDS)
        run_wrk(wrk, base, scripts["probe"], WARMUP_SECONDS)
        warm = run_wrk(wrk, base, scripts["create"], WARMUP_SECONDS)
        # one connection: each request's own time through the server, nothing queued
        probe_one = run_wrk(wrk, base, scripts["probe"], SINGLE_SECONDS, 1)
        create_one = run_wrk(wrk, base, scripts["create"], SINGLE_SECONDS, 1)
        ping = run_wrk(wrk, ping_url, scripts["bare"], SINGLE_SECONDS)
        bare_rounds, create_rounds, bare_made, made = [], [], 0, 0
        for _round in range(ROUNDS):
            cases_before, probes_before = count()
            bare_rounds.append(run_wrk(wrk, base, scripts["probe"], SECONDS // ROUNDS))
            cases_between, probes_after = count()
            create_rounds.append(run_wrk(wrk, base, scripts["create"], SECONDS // ROUNDS))
            bare_made += probes_after - probes_before
            made += count()[0] - cases_between
        bare, create = pooled(bare_rounds), pooled(create_rounds)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
    return {
        "start": started,
        "before": before,
        "warm": warm,
        "bare_one": probe_one,
        "create_one": create_one,
        "ping": ping,
        "bare": bare,
        "bare_made": bare_made,
        "create": create,
        "made": made,
    }


def _psql(*args: str) -> str:
    return subprocess.run(  # noqa: S603
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAq", *args],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def postgres_phase(wrk: str, points: list[tuple[float, float]]) -> dict[str, Any] | None:
    """The same load on PostgreSQL, the production database: a fresh database seeded with the
    same street (same seed, so the same points), served by ``finegrid serve``."""
    try:
        _psql("-c", "select 1")
    except (OSError, subprocess.CalledProcessError):
        return None
    _psql("-c", f"drop database if exists {PG_DB}")
    _psql("-c", f"create database {PG_DB}")
    env = {**os.environ, "FINEGRID_DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{PG_DB}"}
    env.pop("FINEGRID_SQLITE_PATH", None)
    exe = os.path.join(os.path.dirname(sys.executable), "finegrid")
    try:
        for command in (["migrate", "-v0"], ["seed", "--scale", "street"]):
            subprocess.run(  # noqa: S603 (our own CLI)
                [exe, *command], env=env, check=True, capture_output=True
            )

        def count() -> tuple[int, int]:
            cases = _psql("-d", PG_DB, "-c", "select count(*) from cases_case")
            probes = _psql("-d", PG_DB, "-c", "select count(*) from core_writeprobe")
            return int(cases), int(probes)

        return load_phase(wrk, env, points, count)
    finally:
        _psql("-c", f"drop database if exists {PG_DB}")


def _one_row_each(
    report: _common.Report, label: str, result: dict[str, Any], made: int, what: str
) -> None:
    # wrk stops counting at each round's deadline; up to one request per connection is still
    # being served then, and may write its row before the count
    answered = result["requests"] - result["non_2xx"]
    slack = CONNECTIONS * ROUNDS
    report.target(
        f"{label}: each 201 made one {what} (± requests in flight at the rounds' ends), no errors",
        f"{made:,} {what}s for {answered:,} answers, {result['non_2xx']} non-2xx",
        f"0 to {slack} more {what}s than answers, 0 non-2xx",
        answered <= made <= answered + slack and result["non_2xx"] == 0,
    )


def judge(report: _common.Report, load: dict[str, Any], database: str) -> None:
    bare, create = load["bare"], load["create"]
    _one_row_each(report, f"{database}, baseline write", bare, load["bare_made"], "row")
    _one_row_each(report, f"{database}, creation", create, load["made"], "case")
    share = create["rps"] / bare["rps"]
    report.target(
        f"{database}: creation throughput vs the baseline write",
        f"{share:.0%} ({create['rps']:,.0f} vs {bare['rps']:,.0f} req/s)",
        f"≥ {RPS_SHARE_GOAL:.0%}",
        share >= RPS_SHARE_GOAL,
    )
    p95_ratio = create["p95_ms"] / bare["p95_ms"]
    report.target(
        f"{database}: creation p95 latency vs the baseline write",
        f"{p95_ratio:.1f}× ({create['p95_ms']:.1f} vs {bare['p95_ms']:.1f} ms)",
        f"≤ {P95_RATIO_GOAL:.0f}×",
        p95_ratio <= P95_RATIO_GOAL,
    )


LOAD_FIGURES = (
    (f"GET /api/v1/ping, no auth, no database ({CONNECTIONS} connections)", "ping"),
    (f"baseline POST {BASELINE} ({CONNECTIONS} connections)", "bare"),
    (f"POST /api/v1/cases ({CONNECTIONS} connections)", "create"),
    (f"baseline POST {BASELINE}, 1 connection", "bare_one"),
    ("POST /api/v1/cases, 1 connection", "create_one"),
)


def main() -> None:
    wrk = ensure_wrk()
    report = _common.Report("case_api", "Case creation over HTTP under load (uvicorn + wrk)")
    os.environ["FINEGRID_DIAGNOSTICS"] = "1"  # the baseline endpoint, here and in the servers
    _common.setup("cases", fresh=not os.environ.get("BENCH_REUSE_DB"))
    report.note(seed_street())
    points = report_points(POINTS)
    alone = in_process(*points[0])

    load = load_phase(wrk, dict(os.environ), points, _count_sqlite)
    report.figure("server start until first answer", f"{load['start']:.1f} s")
    for label, key in LOAD_FIGURES:
        report.figure(f"SQLite: {label}", describe(load[key]))
    report.figure(
        "cases in the database before the load (seeded + warm-up)",
        f"{load['before']:,} + {load['warm']['requests']:,}",
    )
    report.figure(
        f"in-process median (test client, no server): POST /api/v1/cases, {BASELINE}, ping",
        f"{alone['create_ms']:.2f} ms, {alone['probe_ms']:.2f} ms, {alone['ping_ms']:.2f} ms",
    )
    report.figure(
        "queries behind one POST /api/v1/cases and one baseline write (in-process)",
        f"{alone['queries']} and {alone['probe_queries']}",
    )
    report.note(
        f"wrk {THREADS} threads, {CONNECTIONS} connections, {SECONDS} s per endpoint in "
        f"{ROUNDS} rounds that alternate baseline and creation (each one's figures pool its "
        f"rounds), after a {WARMUP_SECONDS} s warm-up each, on loopback to one `finegrid serve` "
        "(uvicorn, one "
        "process, requests on FINEGRID_HTTP_THREADS long-lived threads). Baseline: POST "
        f"{BASELINE} (FINEGRID_DIAGNOSTICS=1) with the leader's Bearer token, a ninja-validated "
        "body and one row inserted through the ORM in one durable transaction. Creation: the "
        f"same token, unique Idempotency-Key, {len(points)} micro-grid centres and every "
        "category in turn. SQLite WAL with synchronous=FULL (a confirmed write survives a power "
        "cut). wrk shares the machine's CPUs with the server. See "
        "docs/decisions/0004-serving-writes.md."
    )
    judge(report, load, "SQLite")
    pg = postgres_phase(wrk, points)
    if pg is None:
        report.note("PostgreSQL on 127.0.0.1:5432 was not reachable: measured on SQLite only.")
    else:
        for label, key in LOAD_FIGURES:
            report.figure(f"PostgreSQL: {label}", describe(pg[key]))
        judge(report, pg, "PostgreSQL")
        report.note(
            "PostgreSQL: the same street seeded into a fresh database on 127.0.0.1:5432 "
            "(synchronous_commit on), one `finegrid serve` process, the same wrk load."
        )
    report.save()


if __name__ == "__main__":
    main()
