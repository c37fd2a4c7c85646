"""Emergency call: press → the alerted worker's open page receives the alert, under load; and
how late the chain's escalations fire after their deadlines.

    .venv/bin/python bench/care_latency.py

Seeds a fresh var/bench/care.sqlite3 with the demo street, enrols an elder with a button in
each of the micro-grids whose micro-grid workers make up ``CLIENTS`` (200) pages, and serves it
with ``finegrid serve`` (uvicorn, the in-memory channel layer of the embedded setup) on a free
127.0.0.1 port. Then, in the same run:

1. Baseline: one page connected (one worker), no other traffic; ``PRESSES`` presses of that
   worker's elder's button (``POST /api/v1/care/emergency-calls`` with the device key).
2. Loaded: all 200 pages connected, case reports (``POST /api/v1/cases``) from
   ``LOAD_THREADS`` keep-alive connections of another process all the time, and the same number
   of presses spread over the 200 workers' elders.

A latency is the time from just before a press is sent until an alerted worker's page (a
``websockets`` client in this process) has the ``care.alert`` of that call; every (call, worker)
pair alerted at the first step counts. While the loaded phase runs, ``ESCALATION_CALLS`` calls
are pressed in another community whose chain has steps of ``STEP_SECONDS`` and nobody answers
them: each escalation's lateness is the time from the running step's deadline to the trace
event that ended it (the next step, or "nobody answered"), as the server recorded them.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import defaultdict
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

import _common

CLIENTS = int(os.environ.get("BENCH_CARE_CLIENTS", "200"))
PRESSES = int(os.environ.get("BENCH_CARE_PRESSES", "200"))
PRESS_INTERVAL = float(os.environ.get("BENCH_CARE_INTERVAL", "0.25"))  # seconds between presses
LOAD_THREADS = int(os.environ.get("BENCH_CARE_LOAD_THREADS", "8"))
ESCALATION_CALLS = int(os.environ.get("BENCH_CARE_ESCALATIONS", "20"))
STEP_SECONDS = 10  # the shortest step a chain may have (care/chain.py MIN_SECONDS)
ESCALATION_CHAIN = ["micro_worker", "grid_head", "station_duty", "community_duty", "family"]
QUIET_SECONDS = 3600  # the latency phase's chain: nobody escalates while it is measured
ALERT_WAIT = 15.0  # seconds after the last press for the last alert
LATENCY_GOAL = 1.0  # s, p99 press → page
ESCALATION_GOAL = 2.0  # s, p99 deadline → step event
SERVER_LOG = _common.BENCH_DIR / "care-latency-server.log"
LOAD_OUT = _common.BENCH_DIR / "care-latency-load.json"


# --- set-up, in-process ---


def seed_street() -> str:
    from django.core.management import call_command

    from finegrid.grids.models import Grid

    if os.environ.get("BENCH_REUSE_DB") and Grid.objects.exists():
        return "reused var/bench/care.sqlite3 (BENCH_REUSE_DB, for investigating only)"
    took, _ = _common.timed(lambda: call_command("seed", scale="street", verbosity=0))
    return f"seeded a fresh var/bench/care.sqlite3 with the demo street ({took:.1f} s)"


def _enrol_in(micro: Any, actor: Any) -> str | None:
    """Enrol one person with a care tag in ``micro`` with a button; its key (None: nobody)."""
    from finegrid.care.models import Enrolment
    from finegrid.care.services_enrolment import DeviceSpec, enrolment_create
    from finegrid.registry.models import CareTag

    enrolled = Enrolment.objects.filter(ended_at__isnull=True).values("person_id")

    tag = (
        CareTag.objects.filter(
            person__household__micro_grid=micro,
            person__deceased_on__isnull=True,
            ended_on__isnull=True,
        )
        .exclude(person_id__in=enrolled)
        .select_related("person")
        .order_by("person_id")
        .first()
    )
    if tag is None:
        return None
    done = enrolment_create(
        actor=actor, person=tag.person, devices=[DeviceSpec("button", "bench")], contacts=[]
    )
    return done.devices[0][1]


def set_up() -> dict[str, Any]:
    """Elders with buttons in the micro-grids of ``CLIENTS`` workers (quiet chains there), and
    ``ESCALATION_CALLS`` elders in another community (a chain of short steps)."""
    from finegrid.accounts.models import ApiToken, User
    from finegrid.care.services_enrolment import chain_set
    from finegrid.grids.models import Duty, Grid, Level, Responsibility

    leader = User.objects.get(username="leader")
    communities = list(Grid.objects.filter(level=Level.COMMUNITY).order_by("code"))
    escalating = communities[-1]
    workers: dict[int, str] = {}
    elders: list[dict[str, Any]] = []
    micros = Grid.objects.filter(level=Level.MICRO).exclude(path__startswith=escalating.path)
    for micro in micros.order_by("code").iterator():
        if len(workers) >= CLIENTS:
            break
        holders = list(
            Responsibility.objects.current()
            .filter(duty=Duty.MICRO_WORKER, grid=micro)
            .values_list("person_id", flat=True)
        )
        if not holders or len(workers) + len(holders) > CLIENTS:
            continue
        key = _enrol_in(micro, leader)
        if key is None:
            continue
        elders.append({"key": key, "micro": micro.code, "workers": holders})
        for pk in holders:
            workers[pk] = ApiToken.issue(user=User.objects.get(pk=pk), name="bench")[1]
    quiet = [{"role": "micro_worker", "seconds": QUIET_SECONDS}]
    for community in communities[:-1]:
        chain_set(actor=leader, community=community, steps=quiet)
    chain_set(
        actor=leader,
        community=escalating,
        steps=[{"role": r, "seconds": STEP_SECONDS} for r in ESCALATION_CHAIN],
    )
    late: list[str] = []
    for micro in (
        Grid.objects.filter(level=Level.MICRO, path__startswith=escalating.path)
        .order_by("code")
        .iterator()
    ):
        if len(late) >= ESCALATION_CALLS:
            break
        key = _enrol_in(micro, leader)
        if key is not None:
            late.append(key)
    return {
        "workers": workers,
        "elders": elders,
        "escalation_keys": late,
        "escalating": escalating.name,
        "leader_token": ApiToken.issue(user=leader, name="bench")[1],
    }


# --- the server and the pages ---


def start_server(port: int) -> subprocess.Popen[bytes]:
    exe = os.path.join(os.path.dirname(sys.executable), "finegrid")
    env = {k: v for k, v in os.environ.items() if k != "FINEGRID_REDIS_URL"}
    with SERVER_LOG.open("wb") as log:
        return subprocess.Popen(  # noqa: S603 (our own CLI, fixed arguments)
            [exe, "serve", "--addr", f"127.0.0.1:{port}"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def wait_ready(base: str, server: subprocess.Popen[bytes]) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < 120:
        if server.poll() is not None:
            raise SystemExit(f"server exited early:\n{SERVER_LOG.read_text()}")
        try:
            with urllib.request.urlopen(f"{base}/api/v1/ping", timeout=2):  # noqa: S310
                return time.perf_counter() - started
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise SystemExit("server did not answer within 120 s")


class Pages:
    """Worker pages: one ``websockets`` client each, in one event loop on a thread of its own,
    recording when each ``care.alert`` arrives (perf_counter, this process's clock)."""

    def __init__(self, ws_base: str, tokens: dict[int, str]) -> None:
        self.ws_base = ws_base
        self.tokens = tokens
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.alerts: dict[tuple[int, int], list[float]] = defaultdict(list)
        self.connected = 0
        self.lost = 0
        self.tasks: list[asyncio.Task[None]] = []

    def open(self, timeout: float = 120) -> float:
        self.thread.start()
        started = time.perf_counter()
        ready = asyncio.run_coroutine_threadsafe(self._open_all(), self.loop)
        ready.result(timeout=timeout)
        return time.perf_counter() - started

    async def _open_all(self) -> None:
        gate = asyncio.Semaphore(20)  # handshakes at once, as pages reconnecting after a restart
        events = [asyncio.Event() for _ in self.tokens]
        for (user, token), ready in zip(self.tokens.items(), events, strict=True):
            self.tasks.append(asyncio.create_task(self._page(user, token, ready, gate)))
        await asyncio.wait_for(asyncio.gather(*(e.wait() for e in events)), timeout=110)

    async def _page(self, user: int, token: str, ready: asyncio.Event, gate: Any) -> None:
        from websockets.asyncio.client import connect

        async with gate:
            ws = await connect(f"{self.ws_base}/ws/alerts/?token={token}", open_timeout=60)
            hello = json.loads(await ws.recv())
            assert hello["type"] == "care.hello", hello
        self.connected += 1
        ready.set()
        try:
            async for raw in ws:
                at = time.perf_counter()
                message = json.loads(raw)
                if message.get("type") == "care.alert":
                    self.alerts[(int(message["call"]), user)].append(at)
        except Exception:  # noqa: BLE001 (counted: a page that lost its socket)
            self.lost += 1
        finally:
            await ws.close()

    def close(self) -> None:
        for task in self.tasks:
            self.loop.call_soon_threadsafe(task.cancel)
        time.sleep(0.5)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


def press(conn: HTTPConnection, key: str) -> tuple[int, float]:
    """One press; (call id, seconds to its 201)."""
    body = b"{}"
    started = time.perf_counter()
    conn.request(
        "POST",
        "/api/v1/care/emergency-calls",
        body=body,
        headers={
            "Content-Type": "application/json",
            "X-Device-Key": key,
            "Idempotency-Key": uuid.uuid4().hex,
        },
    )
    answer = conn.getresponse()
    data = answer.read()
    if answer.status != 201:
        raise SystemExit(f"press answered {answer.status}: {data[:300]!r}")
    return int(json.loads(data)["id"]), time.perf_counter() - started


def press_all(port: int, keys: list[str]) -> tuple[dict[int, float], list[float]]:
    """Press each key in turn, one every PRESS_INTERVAL; when each call was pressed, and each
    press's answer time."""
    conn = HTTPConnection("127.0.0.1", port, timeout=30)
    sent: dict[int, float] = {}
    answers: list[float] = []
    next_at = time.perf_counter()
    for key in keys:
        now = time.perf_counter()
        if next_at > now:
            time.sleep(next_at - now)
        started = time.perf_counter()
        call, took = press(conn, key)
        sent[call] = started
        answers.append(took)
        next_at = started + PRESS_INTERVAL
    conn.close()
    return sent, answers


def latencies(pages: Pages, sent: dict[int, float]) -> dict[str, Any]:
    """Every (call, worker) alerted at the first step, as recorded by the server: when its page
    had the alert (waiting up to ALERT_WAIT for the last)."""
    from finegrid.care.models import CallRecipient

    expected = set(
        CallRecipient.objects.filter(call_id__in=list(sent), step=0, user_id__isnull=False)
        .values_list("call_id", "user_id")
        .distinct()
    )
    connected = {pair for pair in expected if pair[1] in pages.tokens}
    deadline = time.perf_counter() + ALERT_WAIT
    while time.perf_counter() < deadline and not all(pages.alerts.get(p) for p in connected):
        time.sleep(0.1)
    got = [min(pages.alerts[p]) - sent[p[0]] for p in connected if pages.alerts.get(p)]
    duplicates = sum(len(pages.alerts[p]) - 1 for p in connected if pages.alerts.get(p))
    return {
        "values": sorted(got),
        "pairs": len(connected),
        "missing": len(connected) - len(got),
        "elsewhere": len(expected - connected),
        "duplicates": duplicates,
    }


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    k = max(0, min(len(values) - 1, round(p / 100 * len(values) + 0.5) - 1))
    return sorted(values)[k]


def describe(values: list[float]) -> str:
    return (
        f"p50 {pct(values, 50) * 1e3:.0f} ms, p95 {pct(values, 95) * 1e3:.0f} ms, "
        f"p99 {pct(values, 99) * 1e3:.0f} ms, max {max(values) * 1e3:.0f} ms (n={len(values)})"
        if values
        else "no values"
    )


# --- case traffic, in another process ---


def load_main(base: str, token: str, points_file: str) -> None:
    """The case reports' process: LOAD_THREADS keep-alive connections posting cases until
    SIGTERM; then prints its counts as JSON."""
    points = json.loads(Path(points_file).read_text())
    stop = threading.Event()
    counts: dict[str, float] = {"requests": 0, "non_2xx": 0, "errors": 0}
    lock = threading.Lock()
    host, port = base.removeprefix("http://").split(":")

    def worker(n: int) -> None:
        conn = HTTPConnection(host, int(port), timeout=30)
        i = 0
        while not stop.is_set():
            i += 1
            lat, lng, category = points[(i * 7 + n) % len(points)]
            body = json.dumps(
                {
                    "category": category,
                    "description": f"bench care {n}-{i}",
                    "lat": lat,
                    "lng": lng,
                }
            )
            try:
                conn.request(
                    "POST",
                    "/api/v1/cases",
                    body=body,
                    headers={
                        "Content-Type": "application/json",
                        "Authorization": f"Bearer {token}",
                        "Idempotency-Key": f"care-bench-{n}-{i}-{time.time_ns()}",
                    },
                )
                answer = conn.getresponse()
                answer.read()
                ok = 200 <= answer.status < 300
                with lock:
                    counts["requests"] += 1
                    counts["non_2xx"] += 0 if ok else 1
            except (OSError, ConnectionError):
                with lock:
                    counts["errors"] += 1
                conn.close()
                conn = HTTPConnection(host, int(port), timeout=30)

    signal.signal(signal.SIGTERM, lambda *_a: stop.set())
    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(LOAD_THREADS)]
    for t in threads:
        t.start()
    while not stop.is_set():
        stop.wait(0.2)
    for t in threads:
        t.join(timeout=35)
    counts["seconds"] = round(time.perf_counter() - started, 2)
    LOAD_OUT.write_text(json.dumps(counts))


def start_load(base: str, token: str) -> subprocess.Popen[bytes]:
    import case_api  # report_points: centres of micro-grids the point index places there

    from finegrid.cases.models import Category

    codes = list(Category.objects.filter(active=True).values_list("code", flat=True))
    points = [
        (lat, lng, codes[i % len(codes)])
        for i, (lat, lng) in enumerate(case_api.report_points(case_api.POINTS))
    ]
    points_file = _common.BENCH_DIR / "care-latency-points.json"
    points_file.write_text(json.dumps(points))
    LOAD_OUT.unlink(missing_ok=True)
    return subprocess.Popen(  # noqa: S603 (this script)
        [sys.executable, __file__, "--load", base, token, str(points_file)]
    )


def stop_load(load: subprocess.Popen[bytes]) -> dict[str, Any]:
    load.send_signal(signal.SIGTERM)
    load.wait(timeout=60)
    out: dict[str, Any] = json.loads(LOAD_OUT.read_text())
    return out


# --- escalation ---


def escalation_lateness(calls: list[int], timeout: float) -> dict[str, Any]:
    """Wait until every call has run out of steps; each escalation's lateness: the running step's
    deadline (its start + its seconds) to the event that ended it, as the server recorded them."""
    from finegrid.care.models import CallEvent, CallStatus, EmergencyCall, EventKind

    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if not EmergencyCall.objects.filter(pk__in=calls, status=CallStatus.ALERTING).exists():
            break
        time.sleep(0.5)
    late: list[float] = []
    unfinished = EmergencyCall.objects.filter(pk__in=calls, status=CallStatus.ALERTING).count()
    for call in EmergencyCall.objects.filter(pk__in=calls):
        events = list(
            CallEvent.objects.filter(
                call=call, kind__in=[EventKind.STEP, EventKind.UNANSWERED]
            ).order_by("at", "id")
        )
        for running, ended in zip(events, events[1:], strict=False):
            if running.kind != EventKind.STEP or running.step is None:
                continue
            due = running.at.timestamp() + call.plan[running.step]["seconds"]
            late.append(ended.at.timestamp() - due)
    return {"values": sorted(late), "unfinished": unfinished}


# --- the bench ---


def main() -> None:
    import map as map_bench  # free_port

    report = _common.Report("care_latency", "Emergency call: press → page, and escalations")
    _common.setup("care", fresh=not os.environ.get("BENCH_REUSE_DB"))
    report.note(seed_street())
    took, made = _common.timed(set_up)
    workers: dict[int, str] = made["workers"]
    elders: list[dict[str, Any]] = made["elders"]
    report.figure(
        "set-up: pages (micro-grid workers), elders enrolled, escalation elders",
        f"{len(workers)}, {len(elders)}, {len(made['escalation_keys'])} ({took:.1f} s)",
    )
    port = map_bench.free_port()
    base, ws_base = f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{port}"
    server = start_server(port)
    load = None
    try:
        report.figure("server start until first answer", f"{wait_ready(base, server):.1f} s")
        # 1. baseline: one page, nobody else
        first = elders[0]
        alone = Pages(ws_base, {first["workers"][0]: workers[first["workers"][0]]})
        alone.open()
        press_all(port, [first["key"]] * 3)  # warm the press path
        time.sleep(1)
        sent, base_answers = press_all(port, [first["key"]] * PRESSES)
        baseline = latencies(alone, sent)
        alone.close()

        # 2. loaded: every page, case reports, and the escalating calls alongside
        pages = Pages(ws_base, workers)
        report.figure(f"{len(workers)} pages connected in", f"{pages.open():.1f} s")
        load = start_load(base, made["leader_token"])
        time.sleep(3)  # the load is running before the first press
        escalated, _ = press_all(port, made["escalation_keys"])
        keys = [elders[i % len(elders)]["key"] for i in range(PRESSES)]
        sent, loaded_answers = press_all(port, keys)
        loaded = latencies(pages, sent)
        # the case reports go on until the last escalation: those are measured under load too
        steps = len(ESCALATION_CHAIN)
        escalation = escalation_lateness(list(escalated), timeout=steps * STEP_SECONDS + 60)
        traffic = stop_load(load)
        load = None
        lost = pages.lost
        pages.close()
    finally:
        if load is not None and load.poll() is None:
            load.kill()
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()

    b, lo = baseline["values"], loaded["values"]
    report.figure("baseline: press → page (1 page, no other traffic)", describe(b))
    report.figure(
        f"loaded: press → page ({len(workers)} pages, case reports running)", describe(lo)
    )
    if b and lo:
        report.figure(
            "loaded / baseline, p50 and p99",
            f"{pct(lo, 50) / pct(b, 50):.1f}× and {pct(lo, 99) / pct(b, 99):.1f}×",
        )
    report.figure(
        "press answered (201): baseline p50 / p99, loaded p50 / p99",
        f"{pct(base_answers, 50) * 1e3:.0f} / {pct(base_answers, 99) * 1e3:.0f} ms, "
        f"{pct(loaded_answers, 50) * 1e3:.0f} / {pct(loaded_answers, 99) * 1e3:.0f} ms",
    )
    rate = traffic["requests"] / traffic["seconds"] if traffic["seconds"] else 0.0
    report.figure(
        "case reports during the loaded phase (and the escalations' end)",
        f"{traffic['requests']:,} in {traffic['seconds']:.0f} s ({rate:.0f}/s), "
        f"{traffic['non_2xx']} non-2xx, {traffic['errors']} errors",
    )
    report.figure(
        "alerts: (call, page) pairs, missing, duplicates; alerted elsewhere (no page)",
        f"baseline {baseline['pairs']}, {baseline['missing']}, {baseline['duplicates']}; loaded "
        f"{loaded['pairs']}, {loaded['missing']}, {loaded['duplicates']}; "
        f"{loaded['elsewhere']}",
    )
    esc = escalation["values"]
    report.figure(
        f"escalation: step deadline → next step event ({STEP_SECONDS} s steps)", describe(esc)
    )
    if esc:
        report.figure("escalation lateness mean", f"{statistics.mean(esc) * 1e3:.0f} ms")
    report.target(
        "loaded: press → page p99",
        f"{pct(lo, 99) * 1e3:.0f} ms" if lo else "none received",
        f"≤ {LATENCY_GOAL * 1e3:.0f} ms",
        bool(lo) and pct(lo, 99) <= LATENCY_GOAL,
    )
    report.target(
        "every alerted page received its alert, once",
        f"{loaded['missing'] + baseline['missing']} missing, "
        f"{loaded['duplicates'] + baseline['duplicates']} duplicates, {lost} sockets lost",
        "0, 0, 0",
        loaded["missing"] + baseline["missing"] == 0
        and loaded["duplicates"] + baseline["duplicates"] == 0
        and lost == 0,
    )
    report.target(
        "escalation: step deadline → step event p99",
        f"{pct(esc, 99) * 1e3:.0f} ms ({escalation['unfinished']} calls unfinished)"
        if esc
        else "none measured",
        f"≤ {ESCALATION_GOAL * 1e3:.0f} ms",
        bool(esc) and pct(esc, 99) <= ESCALATION_GOAL and escalation["unfinished"] == 0,
    )
    report.note(
        f"One `finegrid serve` (uvicorn, the in-memory channel layer, SQLite WAL with "
        f"synchronous=FULL) on loopback, seeded with the demo street. Pages: `websockets` "
        f"clients in the bench process holding /ws/alerts/ with each worker's API token. "
        f"Presses one every {PRESS_INTERVAL:g} s with a device key. Baseline: one page, the "
        f"same number of presses of one elder's button, nothing else running. Loaded: "
        f"{len(workers)} pages, the presses spread over their elders, {LOAD_THREADS} "
        f"keep-alive connections of another process posting cases all the time, and "
        f"{len(made['escalation_keys'])} calls in {made['escalating']} escalating through a "
        f"chain of {len(ESCALATION_CHAIN)} steps of {STEP_SECONDS} s that nobody answers "
        f"(steps with nobody on duty are skipped at once). The sweep runs every 0.5 s; the "
        f"escalation figures come from the call's trace (server clock). The machine is shared "
        f"and was busy: see the load average."
    )
    report.save()


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--load":
        load_main(*sys.argv[2:5])
    else:
        main()
