"""Real ``finegrid serve`` processes for the tests that need more than one process (or a real
WebSocket): a database of their own (a SQLite file, or a PostgreSQL database beside the test
one when FINEGRID_DATABASE_URL names PostgreSQL), set up by tests/care/two_servers_setup.py."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
FINEGRID = str(Path(sys.executable).with_name("finegrid"))
REDIS_URL = "redis://127.0.0.1:6379/1"
START_TIMEOUT = 90.0  # seconds; a cold start on a busy machine
PII = {"FINEGRID_PII_KEYS": "t1:" + "A" * 43, "FINEGRID_PII_INDEX_KEY": "B" * 43}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def redis_unreachable() -> str:
    """Why Redis cannot be used (empty when it can)."""
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001 (any failure means: not reachable)
        return f"Redis at {REDIS_URL} is not reachable ({exc.__class__.__name__}: {exc})"
    return ""


def _pg_admin(url: str, sql: str) -> None:
    import psycopg

    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql)


@contextmanager
def database(tmp_path: Path, name: str) -> Iterator[dict[str, str]]:
    """The environment of processes sharing one fresh, migrated database."""
    env = {**os.environ, **PII, "FINEGRID_HOME": str(tmp_path), "DJANGO_SETTINGS_MODULE": ""}
    env.pop("DJANGO_SETTINGS_MODULE")
    env.pop("FINEGRID_TEST_NOW", None)
    url = os.environ.get("FINEGRID_DATABASE_URL", "")
    pg = url.startswith(("postgres://", "postgresql://"))
    if pg:
        db_url = f"{url.rsplit('/', 1)[0]}/{url.rsplit('/', 1)[1].split('?')[0]}_{name}"
        db_name = db_url.rsplit("/", 1)[1]
        _pg_admin(url, f'drop database if exists "{db_name}"')
        _pg_admin(url, f'create database "{db_name}"')
        env["FINEGRID_DATABASE_URL"] = db_url
    else:
        env.pop("FINEGRID_DATABASE_URL", None)
        env["FINEGRID_SQLITE_PATH"] = str(tmp_path / f"{name}.sqlite3")
    try:
        subprocess.run(  # noqa: S603 (our own CLI)
            [FINEGRID, "migrate", "-v0"], env=env, check=True, capture_output=True, cwd=ROOT
        )
        yield env
    finally:
        if pg:
            _pg_admin(url, f'drop database if exists "{db_name}" with (force)')


def setup(env: dict[str, str], *args: str) -> dict[str, Any]:
    """Run tests/care/two_servers_setup.py in ``env``; its JSON answer."""
    done = subprocess.run(  # noqa: S603 (our own script)
        [sys.executable, "-m", "tests.care.two_servers_setup", *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    answer: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


class Server:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.ws = f"ws://127.0.0.1:{self.port}"
        self.log = log
        with log.open("wb") as out:
            self.proc = subprocess.Popen(  # noqa: S603 (our own CLI, fixed arguments)
                [FINEGRID, "serve", "--addr", f"127.0.0.1:{self.port}"],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=ROOT,
            )

    def wait_ready(self) -> None:
        started = time.monotonic()
        while time.monotonic() - started < START_TIMEOUT:
            if self.proc.poll() is not None:
                raise AssertionError(f"server exited early:\n{self.log.read_text()}")
            try:
                with urllib.request.urlopen(f"{self.base}/api/v1/ping", timeout=2):  # noqa: S310
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        raise AssertionError(f"server did not answer in {START_TIMEOUT:.0f} s")

    def post(
        self, path: str, body: dict[str, Any], headers: dict[str, str]
    ) -> tuple[int, dict[str, Any]]:
        request = urllib.request.Request(  # noqa: S310 (loopback)
            f"{self.base}{path}",
            data=json.dumps(body).encode(),
            method="POST",
            headers={"Content-Type": "application/json", **headers},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
                return answer.status, json.loads(answer.read() or b"{}")
        except urllib.error.HTTPError as refused:
            return refused.code, json.loads(refused.read() or b"{}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)


@contextmanager
def servers(env: dict[str, str], tmp_path: Path, n: int) -> Iterator[list[Server]]:
    started = [Server(env, tmp_path / f"server-{i}.log") for i in range(n)]
    try:
        for s in started:
            s.wait_ready()
        yield started
    finally:
        for s in started:
            s.stop()
