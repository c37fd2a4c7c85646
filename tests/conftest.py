"""Shared fixtures: a small net of named grids and the personas of DESIGN.md.

    S  街道 (street)                      104.00–104.04 E, 30.00–30.02 N
    ├─ C1 社区            104.00–104.02
    │  └─ G1 网格         104.00–104.02
    │     ├─ M1 微网格    104.00–104.01   ← worker (微网格员), resident
    │     └─ M2 微网格    104.01–104.02   ← neighbour (the next micro-grid's worker)
    └─ C2 社区            104.02–104.04
       └─ G2 网格
          └─ M3 微网格

leader: street leader over S · official: community official of C1 · gridhead: grid head of G1
dept: department staff over S · resident: resident in M1 (no jurisdiction)
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from hypothesis import settings as hypothesis_settings

from finegrid.accounts.models import Role, RoleAssignment, User
from finegrid.grids import services
from finegrid.grids.models import Grid, Level
from finegrid.grids.selectors import point_index_cache

PASSWORD = "correct-horse-battery"

# Tests never assert a time: Hypothesis's per-example deadline would fail a property test on a
# busy machine (or under a moved clock) although nothing is wrong with the code.
hypothesis_settings.register_profile("finegrid", deadline=None)
hypothesis_settings.load_profile("finegrid")


def box(x0: float, y0: float, x1: float, y1: float) -> dict[str, Any]:
    return {
        "type": "Polygon",
        "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]],
    }


@dataclass
class Net:
    street: Grid
    c1: Grid
    c2: Grid
    g1: Grid
    g2: Grid
    m1: Grid
    m2: Grid
    m3: Grid


def _shifted_now() -> dt.datetime | None:
    """The moment FINEGRID_TEST_NOW names (ISO 8601, with offset), or None for the real clock."""
    raw = os.environ.get("FINEGRID_TEST_NOW", "").strip()
    if not raw:
        return None
    moment = dt.datetime.fromisoformat(raw)
    if moment.tzinfo is None:
        raise pytest.UsageError("FINEGRID_TEST_NOW needs an offset, e.g. 2027-02-06T07:30+08:00")
    return moment


@pytest.fixture(autouse=True)
def _shifted_clock() -> Iterator[None]:
    # scripts/shifted_dates.py runs the suite as if it were another day (a year ahead, a Spring
    # Festival, late at night, early in the morning): a test that mixes a pinned date with the
    # real clock fails there, long before the calendar catches up with it. The clock ticks, as the
    # real one does; a test that pins its own moment with time_machine still wins.
    moment = _shifted_now()
    if moment is None:
        yield
        return
    import time_machine

    with time_machine.travel(moment, tick=True):
        yield


@pytest.fixture(scope="session", autouse=True)
def _static_files_listed_once() -> Iterator[None]:
    # Every test Client builds the middleware chain again, and WhiteNoise's middleware then walks
    # every static finder and stats each file (a sixth of a typical test's time). The files do not
    # change during a run, so the walk is done once per process and the later chains get a copy of
    # the same table of files; keyed by what the walk reads, so a test that changes those settings
    # gets a fresh walk.
    from django.conf import settings
    from whitenoise.middleware import WhiteNoiseMiddleware

    walk = WhiteNoiseMiddleware.add_files_from_finders
    walked: dict[tuple[Any, ...], dict[str, Any]] = {}

    def add_files_from_finders_once(self: WhiteNoiseMiddleware) -> None:
        key = (
            self.static_prefix,
            str(self.static_root),
            tuple(map(str, settings.STATICFILES_DIRS)),
            tuple(settings.STATICFILES_FINDERS),
            tuple(settings.INSTALLED_APPS),
        )
        if key not in walked:
            before = dict(self.files)
            walk(self)
            walked[key] = {url: f for url, f in self.files.items() if before.get(url) is not f}
        self.files.update(walked[key])  # as the walk does: a finder's file wins

    WhiteNoiseMiddleware.add_files_from_finders = add_files_from_finders_once  # type: ignore[method-assign]
    try:
        yield
    finally:
        WhiteNoiseMiddleware.add_files_from_finders = walk  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _rows_of_data_migrations(request: Any) -> None:
    """A transactional test's database is flushed after it, with the rows that data migrations
    wrote (categories, departments, the official holidays): any database test that follows one
    in the same process (xdist mixes them) gets them back, as a fresh database has them."""
    if "db" not in request.fixturenames and "transactional_db" not in request.fixturenames:
        return
    from django.apps import apps

    from finegrid.cases import clock, taxonomy
    from finegrid.cases.models import Category, Holiday

    if "transactional_db" in request.fixturenames:
        request.getfixturevalue("transactional_db")
    else:
        request.getfixturevalue("db")
    if not Category.objects.exists():
        taxonomy.load(apps, None)
    if not Holiday.objects.exists():
        holidays = importlib.import_module("finegrid.cases.migrations.0005_load_official_holidays")
        holidays.load(apps, None)
        english = importlib.import_module("finegrid.cases.migrations.0011_fill_english_labels")
        english.forwards(apps, None)
        clock.forget_holidays()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # PBKDF2's deliberate slowness protects real accounts; tests only need a working login.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _pii_keys(settings: Any) -> Any:
    from finegrid.core import pii

    settings.PII_KEYS = "t1:" + "A" * 43  # 32 zero-ish bytes, urlsafe base64 without padding
    settings.PII_INDEX_KEY = "B" * 43
    pii.keys.cache_clear()
    yield
    pii.keys.cache_clear()


@pytest.fixture(autouse=True)
def _fresh_point_index() -> None:
    # Each test has its own database; per-process caches must not outlive it.
    from finegrid.accounts.tokens import forget_tokens
    from finegrid.cases.clock import forget_holidays
    from finegrid.cases.services import forget_categories
    from finegrid.core.generations import forget_generation_caches

    point_index_cache.invalidate()
    forget_categories()
    forget_holidays()
    forget_tokens()
    forget_generation_caches()


# code, name, level, parent, west and east edge (every grid spans 30.00–30.02 N)
NET = [
    ("S", "大丰街道", Level.STREET, None, 104.0, 104.04),
    ("C1", "锦丰社区", Level.COMMUNITY, "S", 104.0, 104.02),
    ("C2", "高堆社区", Level.COMMUNITY, "S", 104.02, 104.04),
    ("G1", "锦丰第1网格", Level.GRID, "C1", 104.0, 104.02),
    ("G2", "高堆第1网格", Level.GRID, "C2", 104.02, 104.04),
    ("M1", "锦丰1-1微网格", Level.MICRO, "G1", 104.0, 104.01),
    ("M2", "锦丰1-2微网格", Level.MICRO, "G1", 104.01, 104.02),
    ("M3", "高堆1-1微网格", Level.MICRO, "G2", 104.02, 104.04),
]


def make_net() -> Net:
    """The net above, through the grid service (so its checks run as for any user)."""
    made: dict[str, Grid] = {}
    for code, name, level, parent, west, east in NET:
        made[code] = services.grid_create(
            code=code,
            name=name,
            level=level,
            parent=made[parent] if parent else None,
            boundary=box(west, 30.0, east, 30.02),
        )
    return Net(*made.values())


@pytest.fixture
def net(db: Any) -> Net:
    return make_net()


def _person(username: str, role: str, grid: Grid, name: str) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, display_name=name, phone="13800000000"
    )
    RoleAssignment.objects.create(user=user, role=role, grid=grid)
    return user


@pytest.fixture
def leader(net: Net) -> User:
    return _person("leader", Role.STREET_LEADER, net.street, "李建国")


@pytest.fixture
def official(net: Net) -> User:
    return _person("official", Role.COMMUNITY_OFFICIAL, net.c1, "胡晓梅")


@pytest.fixture
def gridhead(net: Net) -> User:
    return _person("gridhead", Role.GRID_HEAD, net.g1, "张志强")


@pytest.fixture
def worker(net: Net) -> User:
    return _person("worker", Role.MICRO_WORKER, net.m1, "蔡如欣")


@pytest.fixture
def neighbour(net: Net) -> User:
    return _person("neighbour", Role.MICRO_WORKER, net.m2, "陈丽")


@pytest.fixture
def dept(net: Net) -> User:
    return _person("dept", Role.DEPARTMENT_STAFF, net.street, "王磊")


@pytest.fixture
def resident(net: Net) -> User:
    return _person("resident", Role.RESIDENT, net.m1, "胡民贵")


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def sent_home(response: Any) -> bool:
    """A resident asking for a staff page is sent to their home, never shown a bare 403."""
    return bool(response.status_code == 302 and response["Location"] == "/home/")
