"""The street map over HTTP: the layer requests a browser makes, cold and warm, under uvicorn.

    .venv/bin/python bench/map.py

Serves var/bench/street.sqlite3 (seeded by bench/seed.py; seeded here if missing) with
``finegrid serve`` on a free 127.0.0.1 port, logs in as ``leader`` with an API token and times
the drill-down community → grid → micro-grid. The baseline is ``/api/v1/openapi.json``, a small
endpoint through the same stack. Also checks that the grid list costs the same number of
queries at limit=10 and limit=1000.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from typing import Any

import _common

PASSWORD = "finegrid-demo"
INTERACTIVE_BUDGET_MS = 2000.0
STARTUP_TIMEOUT_S = 60.0
SERVER_LOG = _common.BENCH_DIR / "map-server.log"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Client:
    """Just enough HTTP for the bench: stdlib only, one base URL on 127.0.0.1."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.token = ""

    def request(self, path: str, body: dict[str, Any] | None = None) -> tuple[float, bytes, int]:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data)  # noqa: S310 (http://127.0.0.1 only)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if self.token:
            req.add_header("Authorization", f"Bearer {self.token}")
        started = time.perf_counter()
        with urllib.request.urlopen(req, timeout=120) as resp:  # noqa: S310
            payload = resp.read()
            status = resp.status
        return (time.perf_counter() - started) * 1000, payload, status

    def get(self, path: str) -> tuple[float, bytes]:
        ms, payload, status = self.request(path)
        assert status == 200, (path, status)
        return ms, payload


def ensure_street() -> str:
    from finegrid.grids.models import Grid

    if Grid.objects.exists():
        return "served var/bench/street.sqlite3 as left by bench/seed.py"
    from django.core.management import call_command

    took, _ = _common.timed(lambda: call_command("seed", scale="street", verbosity=0))
    return f"seeded var/bench/street.sqlite3 first ({took:.0f} s)"


def start_server(port: int) -> subprocess.Popen[bytes]:
    exe = os.path.join(os.path.dirname(sys.executable), "finegrid")
    env = dict(os.environ)  # carries FINEGRID_SQLITE_PATH from _common.setup()
    # a file rather than a pipe, so a chatty server can never block on a full pipe
    with SERVER_LOG.open("wb") as log:
        return subprocess.Popen(  # noqa: S603 (our own CLI, fixed arguments)
            [exe, "serve", "--addr", f"127.0.0.1:{port}"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def wait_ready(client: Client, server: subprocess.Popen[bytes]) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < STARTUP_TIMEOUT_S:
        if server.poll() is not None:
            raise SystemExit(f"server exited early:\n{SERVER_LOG.read_text()}")
        try:
            client.request("/api/v1/openapi.json")
            return time.perf_counter() - started
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    raise SystemExit("server did not answer within 60 s")


def query_counts() -> tuple[int, int]:
    """Queries behind GET /api/v1/grids at limit=10 and at limit=1000, in-process."""
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext

    from finegrid.accounts.models import User

    client = DjangoClient()
    client.force_login(User.objects.get(username="leader"))
    out = []
    for limit in (10, 1000):
        client.get("/api/v1/grids?limit=1")  # warm the session and caches alike
        with CaptureQueriesContext(connection) as ctx:
            resp = client.get(f"/api/v1/grids?level=micro&limit={limit}")
        assert resp.status_code == 200, resp.status_code
        assert len(resp.json()["items"]) == limit
        out.append(len(ctx.captured_queries))
    return out[0], out[1]


WARM_REPEAT = 5


def timed_get(client: Client, path: str, repeat: int) -> tuple[float, bytes]:
    """The first answer's time, or the best of ``repeat`` when warm (others share the machine)."""
    ms, body = client.get(path)
    for _ in range(repeat - 1):
        ms = min(ms, client.get(path)[0])
    return ms, body


def drill_down(client: Client, report: _common.Report, phase: str, repeat: int = 1) -> float:
    """The requests that show the whole street and open one community and one grid."""
    label = phase if repeat == 1 else f"{phase} (best of {repeat})"
    total = 0.0
    ms, body = timed_get(client, "/api/v1/grids/layer?level=community&zoom=13", repeat)
    total += ms
    features = json.loads(body)["features"]
    report.figure(f"{label}: communities layer ({len(features)} polygons)", fmt(ms, body))
    community = features[0]["properties"]["code"]
    path = f"/api/v1/grids/layer?level=grid&parent={community}&zoom=14"
    ms, body = timed_get(client, path, repeat)
    total += ms
    features = json.loads(body)["features"]
    report.figure(f"{label}: grids of {community} ({len(features)} polygons)", fmt(ms, body))
    grid = next(f["properties"]["code"] for f in features if f["properties"]["kind"] == "regular")
    ms, body = timed_get(client, f"/api/v1/grids/layer?level=micro&parent={grid}&zoom=16", repeat)
    total += ms
    features = json.loads(body)["features"]
    report.figure(f"{label}: micro-grids of {grid} ({len(features)} polygons)", fmt(ms, body))
    report.figure(f"{label}: drill-down total (3 requests)", f"{total:.0f} ms")
    return total


def fmt(ms: float, body: bytes) -> str:
    return f"{ms:.1f} ms, {len(body) / 1024:.1f} KiB"


def measure_http(client: Client, report: _common.Report) -> None:
    _, body, status = client.request(
        "/api/v1/auth/token", {"username": "leader", "password": PASSWORD, "name": "bench"}
    )
    assert status == 201, status
    client.token = json.loads(body)["token"]

    base_ms = min(client.get("/api/v1/openapi.json")[0] for _ in range(5))
    report.figure("baseline: /api/v1/openapi.json (best of 5)", f"{base_ms:.1f} ms")
    cold = drill_down(client, report, "cold")
    warm = drill_down(client, report, "warm", WARM_REPEAT)
    everything = "/api/v1/grids/layer?level=micro&zoom=13"
    all_cold, body = client.get(everything)
    n_all = len(json.loads(body)["features"])
    report.figure(f"cold: all micro-grids layer ({n_all:,} polygons)", fmt(all_cold, body))
    all_warm, body = timed_get(client, everything, WARM_REPEAT)
    report.figure(
        f"warm (best of {WARM_REPEAT}): all micro-grids layer ({n_all:,} polygons)",
        fmt(all_warm, body),
    )
    report.figure("ratio cold drill-down / baseline request", f"{cold / base_ms:.0f}×")
    report.figure("ratio warm drill-down / baseline request", f"{warm / base_ms:.1f}×")
    budget = f"≤ {INTERACTIVE_BUDGET_MS:.0f} ms"
    report.target(
        "street map interactive (cold drill-down, 3 requests)",
        f"{cold:.0f} ms",
        budget,
        cold <= INTERACTIVE_BUDGET_MS,
    )
    report.target(
        "all micro-grids layer, cold",
        f"{all_cold:.0f} ms",
        budget,
        all_cold <= INTERACTIVE_BUDGET_MS,
    )


def main() -> None:
    report = _common.Report("map", "The street map over HTTP (uvicorn)")
    _common.setup("street")
    report.note(ensure_street())
    report.note(
        "Over HTTP to `finegrid serve` (uvicorn) on 127.0.0.1 with a Bearer token as leader. "
        "Cold: first request for that layer after the server started (empty per-process cache; "
        "the first layer request also fills the household counts). Warm: the same again, best "
        f"of {WARM_REPEAT}. Baseline: /api/v1/openapi.json. Query counts: in-process test Client."
    )
    q10, q1000 = query_counts()
    server = start_server(port := free_port())
    try:
        client = Client(f"http://127.0.0.1:{port}")
        report.figure("server start until first answer", f"{wait_ready(client, server):.1f} s")
        measure_http(client, report)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
    report.target(
        "grid list queries, limit=10 vs limit=1000", f"{q10} vs {q1000}", "equal", q10 == q1000
    )
    report.save()


if __name__ == "__main__":
    main()
