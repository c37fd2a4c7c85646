"""The heartbeat limit holds across server processes: two ``finegrid serve`` processes on one
database, sharing Redis (db 2), together let six heartbeats a minute through from one key and
record the flood once.

Needs Redis on 127.0.0.1:6379 (CI has it; FINEGRID_TEST_REDIS_URL names another); skipped
without it. The servers use their own SQLite file, migrated first, whatever the suite's database.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

REDIS_URL = os.environ.get("FINEGRID_TEST_REDIS_URL", "redis://127.0.0.1:6379/2")
ROOT = Path(__file__).resolve().parents[2]
FINEGRID = str(Path(sys.executable).with_name("finegrid"))

SETUP = """
import django
django.setup()
from finegrid.accounts.models import Role, RoleAssignment, User
from tests.care.helpers import enrol_elder
from tests.conftest import make_net
net = make_net()
leader = User.objects.create_user(username="leader", password="x" * 12, display_name="李建国")
RoleAssignment.objects.create(user=leader, role=Role.STREET_LEADER, grid=net.street)
print(enrol_elder(net, leader).button_key)
"""


def _redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except Exception:
        return False


pytestmark = pytest.mark.skipif(not _redis_up(), reason="no Redis at FINEGRID_TEST_REDIS_URL")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(db: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FINEGRID_")}
    env.update(
        DJANGO_SETTINGS_MODULE="finegrid.config.settings",
        FINEGRID_SQLITE_PATH=str(db),
        FINEGRID_REDIS_URL=REDIS_URL,
        FINEGRID_PII_KEYS="t1:" + "A" * 43,
        FINEGRID_PII_INDEX_KEY="B" * 43,
        PYTHONPATH=str(ROOT),
    )
    return env


def _wait_up(port: int, proc: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server on {port} exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/ping", timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"server on {port} did not start")


def _beat(port: int, key: str) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(  # noqa: S310 (loopback, our own server)
        f"http://127.0.0.1:{port}/api/v1/care/devices/heartbeat",
        data=json.dumps({"battery": 77}).encode(),
        headers={"Content-Type": "application/json", "X-Device-Key": key},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as refused:
        return refused.code, dict(refused.headers)


def test_two_servers_sharing_redis_hold_one_limit(tmp_path: Path) -> None:
    db = tmp_path / "finegrid.sqlite3"
    env = _env(db)
    subprocess.run(  # noqa: S603 (our own CLI, fixed arguments)
        [FINEGRID, "migrate", "-v", "0"], env=env, cwd=ROOT, check=True, timeout=300
    )
    made = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SETUP],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=120,
        capture_output=True,
        text=True,
    )
    key = made.stdout.strip().splitlines()[-1]
    ports = [_free_port(), _free_port()]
    servers: list[subprocess.Popen[bytes]] = []
    try:
        for port in ports:
            servers.append(
                subprocess.Popen(  # noqa: S603
                    [FINEGRID, "serve", "--no-worker", "--addr", f"127.0.0.1:{port}"],
                    env=env,
                    cwd=ROOT,
                    stdout=subprocess.DEVNULL,
                    stderr=(tmp_path / f"serve-{port}.log").open("wb"),
                )
            )
        for port, proc in zip(ports, servers, strict=True):
            _wait_up(port, proc)
        # alternate between the servers: each alone would let twelve through
        answers = [_beat(ports[n % 2], key) for n in range(12)]
    finally:
        for proc in servers:
            proc.terminate()
        for proc in servers:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
    statuses = [status for status, _headers in answers]
    # the servers' own clock (their Date header), not this process's, which a test may move
    minutes = {parsedate_to_datetime(h["date"]).replace(second=0) for _s, h in answers}
    one_window = len(minutes) == 1
    with sqlite3.connect(db) as conn:
        floods = conn.execute("select count(*) from care_refusal where kind = 'flood'").fetchone()[
            0
        ]
        battery = conn.execute("select battery from care_device where key_hint != ''").fetchone()[0]
    assert battery == 77
    if one_window:
        assert statuses == [200] * 6 + [429] * 6, statuses
        assert floods == 1
    else:
        # the minute turned during the run (a second's chance in sixty): a second window opened
        assert set(statuses) <= {200, 429} and 6 <= statuses.count(200) <= 12, statuses
        assert floods in (0, 1, 2)
    refused = [headers for status, headers in answers if status == 429]
    assert all(1 <= int(h["Retry-After"]) <= 60 for h in refused)
