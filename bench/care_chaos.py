"""Chaos: 1,000 emergency-button presses while server and worker processes are SIGKILLed.

    .venv/bin/python bench/care_chaos.py                 # 1,000 presses, about 4 minutes
    CHAOS_PRESSES=200 .venv/bin/python bench/care_chaos.py   # quicker

A fresh var/bench/care_chaos.sqlite3 holds a community of five micro-grids, each with its worker,
a grid head, and 60 elderly people enrolled with a button each; the community's chain is two short
steps (micro-grid worker 8 s, grid head 8 s), so an unanswered call runs out of chain in 16 s and
opens a red case. Four processes serve it: two web servers (``finegrid serve --no-worker``) and two
job runners (``finegrid periodic``: escalations and the outbox). Then:

1. calm — 100 presses with nothing killed: the baseline;
2. chaos — CHAOS_PRESSES presses spread over CHAOS_SECONDS while a killer SIGKILLs one of the four
   processes at random every 3–9 s and restarts it 1–3 s later.

A press is a device's: ``X-Device-Key`` and an ``Idempotency-Key``, sent to either server and,
when the answer is lost (connection refused or reset, a timeout, a 5xx), sent again to the other
with the same key, as a real button retries. Meanwhile the micro-grid workers acknowledge every
call whose number is even (through the API, with their tokens); odd ones are left to the chain.

When the presses are done and no call is still alerting, the database must show: one call per
press key (none lost, none doubled), every call acknowledged or run out of chain into a red case,
each step started once, one alert row per person, step and channel, and no alert left unsent.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import _common

PRESSES = int(os.environ.get("CHAOS_PRESSES", "1000"))
SECONDS = float(os.environ.get("CHAOS_SECONDS", "180"))
CALM = int(os.environ.get("CHAOS_CALM", "100"))
MICROS = 5
ELDERS_PER_MICRO = 60
STEP_SECONDS = 8
LOG_DIR = _common.BENCH_DIR / "care-chaos"


def free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build() -> dict[str, Any]:
    """The community, its people and their buttons; answers the keys and the workers' tokens."""
    import datetime as dt

    from django.utils import timezone

    from finegrid.accounts.models import ApiToken, Role, RoleAssignment, User
    from finegrid.care.models import ChainStep
    from finegrid.care.services_enrolment import DeviceSpec, enrolment_create
    from finegrid.grids.models import Duty, Level
    from finegrid.grids.services import grid_create, household_create, responsibility_assign
    from finegrid.registry.models import CareKind, Relation
    from finegrid.registry.services import PersonData, care_tag_add, person_create

    def box(w: float, e: float) -> dict[str, Any]:
        ring = [[w, 30.0], [e, 30.0], [e, 30.02], [w, 30.02], [w, 30.0]]
        return {"type": "Polygon", "coordinates": [ring]}

    street = grid_create(code="S", name="大丰街道", level=Level.STREET, boundary=box(104.0, 104.05))
    community = grid_create(
        code="C1",
        name="锦丰社区",
        level=Level.COMMUNITY,
        parent=street,
        boundary=box(104.0, 104.05),
    )
    grid = grid_create(
        code="G1",
        name="锦丰第1网格",
        level=Level.GRID,
        parent=community,
        boundary=box(104.0, 104.05),
    )
    admin = User.objects.create_superuser(username="admin", password="x" * 12)
    RoleAssignment.objects.create(user=admin, role=Role.SYSTEM_ADMIN, grid=street)
    since = timezone.now() - dt.timedelta(days=30)
    head = User.objects.create_user(username="head", password="x" * 12, display_name="张志强")
    RoleAssignment.objects.create(user=head, role=Role.GRID_HEAD, grid=grid)
    responsibility_assign(person=head, duty=Duty.GRID_HEAD, grid=grid, at=since)
    ChainStep.objects.bulk_create(
        [
            ChainStep(community=community, order=0, role="micro_worker", seconds=STEP_SECONDS),
            ChainStep(community=community, order=1, role="grid_head", seconds=STEP_SECONDS),
        ]
    )
    keys: list[str] = []
    tokens: dict[int, str] = {}
    for m in range(MICROS):
        w = 104.0 + 0.01 * m
        micro = grid_create(
            code=f"M{m}",
            name=f"锦丰1-{m + 1}微网格",
            level=Level.MICRO,
            parent=grid,
            boundary=box(w, w + 0.01),
        )
        worker = User.objects.create_user(
            username=f"w{m}", password="x" * 12, display_name=f"网格员{m}"
        )
        RoleAssignment.objects.create(user=worker, role=Role.MICRO_WORKER, grid=micro)
        responsibility_assign(person=worker, duty=Duty.MICRO_WORKER, grid=micro, at=since)
        tokens[worker.pk] = ApiToken.issue(user=worker, name="chaos")[1]
        for i in range(ELDERS_PER_MICRO):
            home = household_create(address=f"锦丰新城{m}栋{i}号", micro_grid=micro)
            person = person_create(
                actor=admin,
                data=PersonData(
                    name=f"老人{m}-{i}",
                    gender="male",
                    birth_date=dt.date(1940, 1, 1),
                    household_id=home.pk,
                    relation=Relation.HEAD,
                ),
            )
            care_tag_add(actor=admin, person=person, kind=CareKind.LIVING_ALONE)
            done = enrolment_create(
                actor=admin, person=person, devices=[DeviceSpec("button")], contacts=[]
            )
            keys.append(done.devices[0][1])
    return {"keys": keys, "tokens": tokens}


class Fleet:
    """The four processes, each restartable; a kill is SIGKILL, as a crash or the OOM killer."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.exe = os.path.join(os.path.dirname(sys.executable), "finegrid")
        self.ports = [free_port(), free_port()]
        self.specs = {
            "web-a": ["serve", "--no-worker", "--addr", f"127.0.0.1:{self.ports[0]}"],
            "web-b": ["serve", "--no-worker", "--addr", f"127.0.0.1:{self.ports[1]}"],
            "jobs-1": ["periodic"],
            "jobs-2": ["periodic"],
        }
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.kills: dict[str, int] = dict.fromkeys(self.specs, 0)
        LOG_DIR.mkdir(parents=True, exist_ok=True)

    def start(self, name: str) -> None:
        log = (LOG_DIR / f"{name}.log").open("ab")
        self.procs[name] = subprocess.Popen(  # noqa: S603 (our own CLI, fixed arguments)
            [self.exe, *self.specs[name]], env=self.env, stdout=log, stderr=subprocess.STDOUT
        )

    def start_all(self) -> None:
        for name in self.specs:
            self.start(name)
        for port in self.ports:
            wait_up(port)

    def kill(self, name: str) -> None:
        proc = self.procs[name]
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            self.kills[name] += 1

    def stop_all(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs.values():
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def wait_up(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/v1/openapi.json")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server on {port} did not come up")


def request(
    port: int, method: str, path: str, headers: dict[str, str], body: str = ""
) -> tuple[int, dict[str, Any] | list[Any] | None]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, body=body or None, headers=headers)
        answer = conn.getresponse()
        raw = answer.read()
        try:
            return answer.status, json.loads(raw) if raw else None
        except ValueError:
            return answer.status, None
    finally:
        conn.close()


def press(fleet: Fleet, key: str, idem: str, stats: dict[str, Any]) -> tuple[int, float]:
    """Press until the server answers 201; answers (call id, seconds to the answer)."""
    started = time.perf_counter()
    headers = {"Content-Type": "application/json", "X-Device-Key": key, "Idempotency-Key": idem}
    port = random.choice(fleet.ports)  # noqa: S311
    tries = 0
    while True:
        tries += 1
        try:
            status, body = request(port, "POST", "/api/v1/care/emergency-calls", headers, "{}")
            if status == 201 and isinstance(body, dict):
                with stats["lock"]:
                    stats["retries"] += tries - 1
                    if tries > 1:
                        stats["retried_presses"] += 1
                return int(body["id"]), time.perf_counter() - started
            with stats["lock"]:
                stats[f"http_{status}"] = stats.get(f"http_{status}", 0) + 1
        except OSError:
            with stats["lock"]:
                stats["network_errors"] += 1
        port = fleet.ports[1] if port == fleet.ports[0] else fleet.ports[0]
        time.sleep(min(0.2 * tries, 2.0))


def acknowledger(fleet: Fleet, tokens: dict[int, str], stop: threading.Event) -> None:
    """Each worker acknowledges the even-numbered calls they were alerted to."""
    done: set[int] = set()
    while not stop.is_set():
        for token in tokens.values():
            port = random.choice(fleet.ports)  # noqa: S311
            auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            try:
                status, rows = request(port, "GET", "/api/v1/care/emergency-calls?limit=500", auth)
                if status != 200 or not isinstance(rows, list):
                    continue
                for row in rows:
                    cid = int(row["id"])
                    if cid % 2 or cid in done or row["status"] not in ("alerting", "unanswered"):
                        continue
                    s, _ = request(
                        port, "POST", f"/api/v1/care/emergency-calls/{cid}/acknowledge", auth
                    )
                    if s in (200, 409):
                        done.add(cid)
            except OSError:
                continue
        stop.wait(0.5)


def killer(fleet: Fleet, stop: threading.Event, rng: random.Random) -> None:
    while not stop.wait(rng.uniform(3, 9)):
        name = rng.choice(list(fleet.specs))
        fleet.kill(name)
        time.sleep(rng.uniform(1, 3))
        fleet.start(name)


def run_phase(
    fleet: Fleet, keys: list[str], n: int, seconds: float, tag: str, stats: dict[str, Any]
) -> dict[str, int]:
    """n presses spread evenly over ``seconds``; answers press key → call id."""
    out: dict[str, int] = {}
    latencies: list[float] = []
    lock = threading.Lock()
    began = time.monotonic()

    def one(i: int) -> None:
        # the i-th press is due at its share of the phase from its start, however busy the pool
        time.sleep(max(0.0, began + seconds * i / n - time.monotonic()))
        idem = f"{tag}-{i}"
        cid, took = press(fleet, keys[i % len(keys)], idem, stats)
        with lock:
            out[idem] = cid
            latencies.append(took)

    with ThreadPoolExecutor(max_workers=64) as pool:
        list(pool.map(one, range(n)))
    stats[f"{tag}_latency"] = sorted(latencies)
    return out


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(q * len(values)))]


def settle(timeout: float) -> int:
    from finegrid.care.models import EmergencyCall

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        left = EmergencyCall.objects.filter(status="alerting").count()
        if not left:
            return 0
        time.sleep(1)
    return EmergencyCall.objects.filter(status="alerting").count()


def escalation_lateness() -> list[float]:
    """Seconds from each step's deadline to the start of the next step (or the chain's end)."""
    from finegrid.care.models import CallEvent, EmergencyCall

    plans = dict(EmergencyCall.objects.values_list("pk", "plan"))
    starts: dict[int, dict[int, Any]] = {}
    ends: dict[int, Any] = {}
    for call, kind, step, at in CallEvent.objects.filter(
        kind__in=("step", "unanswered")
    ).values_list("call", "kind", "step", "at"):
        if kind == "step":
            starts.setdefault(call, {})[step] = at
        else:
            ends[call] = at
    out = []
    for call, steps in starts.items():
        plan = plans[call]
        for step, at in steps.items():
            following = steps.get(step + 1) or (ends.get(call) if step == len(plan) - 1 else None)
            if following is not None:
                due = at.timestamp() + plan[step]["seconds"]
                out.append(following.timestamp() - due)
    return sorted(out)


def check(pressed: dict[str, int], report: _common.Report) -> bool:
    from django.db.models import Count

    from finegrid.care.models import CallEvent, EmergencyCall, Outbound

    calls = EmergencyCall.objects.all()
    keys = {k.split(":", 1)[1]: pk for k, pk in calls.values_list("idempotency_key", "pk")}
    lost = [k for k in pressed if k not in keys]
    mismatched = [k for k, pk in pressed.items() if keys.get(k) != pk]
    doubled = calls.count() - len(keys)
    by_status = dict(calls.values_list("status").annotate(n=Count("pk")).order_by())
    stuck = sum(v for s, v in by_status.items() if s not in ("acknowledged", "unanswered"))
    no_case = calls.filter(status="unanswered", case__isnull=True).count()
    steps_twice = (
        CallEvent.objects.filter(kind="step")
        .values("call", "step")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    alerts_twice = (
        Outbound.objects.filter(kind="alert")
        .values("call", "step", "recipient", "channel")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    unsent = Outbound.objects.exclude(status="sent").count()
    resent = Outbound.objects.filter(status="sent", attempts__gt=1).count()
    lateness = escalation_lateness()
    report.figure(
        "escalation after its deadline, under kills (p50 / p99 / max)",
        f"{pct(lateness, 0.5):.2f} / {pct(lateness, 0.99):.2f} / "
        f"{(lateness[-1] if lateness else float('nan')):.2f} s ({len(lateness)} steps)",
    )
    report.figure("calls in the database", f"{calls.count():,}")
    report.figure("by status", ", ".join(f"{k} {v}" for k, v in sorted(by_status.items())))
    report.figure("unanswered calls without their red case", str(no_case))
    report.figure("press keys with no call (lost)", str(len(lost)))
    report.figure("press keys answered with another call", str(len(mismatched)))
    report.figure("calls made twice", str(doubled))
    report.figure("steps started twice", str(steps_twice))
    report.figure("alert rows twice for one person, step and channel", str(alerts_twice))
    report.figure("alerts not sent at the end", str(unsent))
    report.figure("alerts sent more than once (a claim expired after a kill)", str(resent))
    ok = not lost and not mismatched and not doubled and not stuck and not steps_twice
    ok = ok and not alerts_twice and not unsent and not no_case
    return ok


def main() -> int:
    path = _common.setup("care_chaos", fresh=True)
    report = _common.Report("care_chaos", "Emergency calls with processes killed (chaos)")
    made = build()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "finegrid.config.settings",
        "FINEGRID_SQLITE_PATH": str(path),
    }
    env.pop("FINEGRID_DATABASE_URL", None)
    fleet = Fleet(env)
    fleet.start_all()
    stats: dict[str, Any] = {
        "lock": threading.Lock(),
        "retries": 0,
        "retried_presses": 0,
        "network_errors": 0,
    }
    stop = threading.Event()
    acks = threading.Thread(target=acknowledger, args=(fleet, made["tokens"], stop), daemon=True)
    acks.start()
    rng = random.Random(7)  # noqa: S311
    try:
        calm = run_phase(fleet, made["keys"], CALM, max(10.0, CALM / 6), "calm", stats)
        stop_kills = threading.Event()
        chaos_killer = threading.Thread(target=killer, args=(fleet, stop_kills, rng), daemon=True)
        started = time.monotonic()
        chaos_killer.start()
        chaos = run_phase(fleet, made["keys"], PRESSES, SECONDS, "chaos", stats)
        stop_kills.set()
        chaos_killer.join()
        # whatever was killed last is back: let the chain and the acknowledgements finish
        for name, proc in fleet.procs.items():
            if proc.poll() is not None:
                fleet.start(name)
        for port in fleet.ports:
            wait_up(port)
        left = settle(timeout=6 * STEP_SECONDS + 60)
        took = time.monotonic() - started
    finally:
        stop.set()
        fleet.stop_all()
    report.figure("presses (calm, then chaos)", f"{len(calm)} + {len(chaos)}")
    report.figure("chaos phase (presses and settling)", f"{took:.0f} s")
    kills = sum(fleet.kills.values())
    report.figure(
        "processes SIGKILLed",
        f"{kills} (" + ", ".join(f"{k} {v}" for k, v in fleet.kills.items()) + ")",
    )
    report.figure("presses retried after a lost answer", str(stats["retried_presses"]))
    report.figure("network errors seen by the buttons", str(stats["network_errors"]))
    errors = {k: v for k, v in stats.items() if k.startswith("http_")}
    report.figure("non-201 answers (retried)", json.dumps(errors) if errors else "none")
    calm_p = stats["calm_latency"]
    chaos_p = stats["chaos_latency"]
    for label, values in (("calm", calm_p), ("chaos", chaos_p)):
        report.figure(
            f"press → answer, {label} (p50 / p95 / p99)",
            f"{pct(values, 0.5) * 1e3:.0f} / {pct(values, 0.95) * 1e3:.0f} / "
            f"{pct(values, 0.99) * 1e3:.0f} ms",
        )
    report.figure(
        "press → answer p50, chaos / calm",
        f"{statistics.median(chaos_p) / statistics.median(calm_p):.2f}×",
    )
    report.figure("calls still alerting after settling", str(left))
    ok = check({**calm, **chaos}, report)
    report.target(
        "0 calls lost or doubled, every call acknowledged or escalated, each step once",
        "held" if ok else "broken",
        "0 lost, 0 duplicates",
        ok,
    )
    report.target("kills during the chaos phase", str(kills), "≥ 10", kills >= 10)
    report.note(
        f"SQLite file, 2 web servers + 2 job runners on one machine, {MICROS} micro-grids × "
        f"{ELDERS_PER_MICRO} buttons, chain {STEP_SECONDS} s + {STEP_SECONDS} s; logs in "
        f"{LOG_DIR.relative_to(_common.ROOT)}"
    )
    report.save()
    return 0 if all(t["ok"] for t in report.targets) else 1


if __name__ == "__main__":
    sys.exit(main())
