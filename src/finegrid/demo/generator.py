"""The demo street (大丰街道 as the seeds describe it) and the city net for benchmarks.

Deterministic for a given seed: the same seed draws the same street, names and phones.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from shapely.geometry.base import BaseGeometry

from finegrid.accounts.models import Role, RoleAssignment, User
from finegrid.core import seeding
from finegrid.demo import names
from finegrid.demo.geometry import blob, random_points, split
from finegrid.grids.models import (
    Building,
    DedicatedType,
    Duty,
    Estate,
    Grid,
    Household,
    Kind,
    Level,
    Responsibility,
    Unit,
)
from finegrid.grids.services import GridSpec, forget_responsibles, grids_bulk_create

# 大丰街道, 新都区, 成都: roughly where its centre lies.
DAFENG = (30.790, 104.083)
CHENGDU = (30.660, 104.065)
STREET_CODE = "510114003"


@dataclass(frozen=True)
class Scale:
    streets: int
    communities: int
    grids: int
    micros: int
    dedicated_under_community: int
    dedicated_under_grid: int
    households: int
    radius_m: float
    micro_workers: int = 0
    people: bool = True
    cases: int = 0


SCALES = {
    "small": Scale(1, 1, 8, 64, 2, 2, 1_300, 1_200, micro_workers=92, cases=120),
    # 15 community nets, 140 grids, 1,506 micro-grids, 71 dedicated grids, 140 full-time and
    # 2,172 micro-grid workers (seed 000).
    "street": Scale(1, 15, 140, 1_506, 30, 41, 30_000, 3_800, micro_workers=2_172, cases=1_500),
    # Chengdu: 3,044 communities, 14,020 grids, 126,449 micro-grids; geometry only.
    "city": Scale(261, 3_044, 14_020, 126_449, 0, 0, 0, 60_000, people=False),
}


def distribute(total: int, parts: int, rng: random.Random, spread: float = 0.35) -> list[int]:
    """Split ``total`` into ``parts`` positive integers around the mean."""
    if parts <= 0:
        return []
    weights = [max(0.2, 1 + rng.uniform(-spread, spread)) for _ in range(parts)]
    base = total - parts
    raw = [w / sum(weights) * base for w in weights]
    out = [1 + int(r) for r in raw]
    short = total - sum(out)
    order = sorted(range(parts), key=lambda i: raw[i] - int(raw[i]), reverse=True)
    for i in order[:short]:
        out[i] += 1
    return out


@dataclass
class Plan:
    """The generated tree, kept in memory for placing households and people afterwards."""

    specs: list[tuple[GridSpec, BaseGeometry]] = field(default_factory=list)
    # community code -> its regular grids' codes; grid code -> its regular micro-grids' codes
    grids_of: dict[str, list[str]] = field(default_factory=dict)
    micros_of: dict[str, list[str]] = field(default_factory=dict)
    geom: dict[str, BaseGeometry] = field(default_factory=dict)
    community_names: dict[str, str] = field(default_factory=dict)

    def add(self, spec: GridSpec, geom: BaseGeometry) -> None:
        self.specs.append((spec, geom))
        self.geom[spec.code] = geom


def _dedicated(rng: random.Random, serial: int) -> tuple[str, str]:
    kind, pool = names.DEDICATED[serial % len(names.DEDICATED)]
    base = pool[(serial // len(names.DEDICATED)) % len(pool)]
    suffix = "" if serial < len(names.DEDICATED) * len(pool) else f"{serial}"
    return kind, f"{base}{suffix}专属网格"


def plan_tree(scale: Scale, seed: int) -> Plan:
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    plan = Plan()
    centre = CHENGDU if scale.streets > 1 else DAFENG
    area = blob(rng, lat=centre[0], lng=centre[1], radius_m=scale.radius_m)
    relax = 0 if scale.streets > 1 else 1
    street_cells = split(area, scale.streets, nrng, relax=relax) if scale.streets > 1 else [area]
    communities_per = distribute(scale.communities, scale.streets, rng)
    ded_c = (
        distribute(scale.dedicated_under_community, scale.communities, rng)
        if scale.dedicated_under_community
        else [0] * scale.communities
    )
    grids_per = distribute(scale.grids, scale.communities, rng)
    ded_g = (
        distribute(scale.dedicated_under_grid, scale.grids, rng)
        if scale.dedicated_under_grid
        else [0] * scale.grids
    )
    micros_per = distribute(scale.micros, scale.grids, rng)
    # distribute() gives every part at least one; dedicated counts may be zero per parent.
    if scale.dedicated_under_community:
        ded_c = _sparse(scale.dedicated_under_community, scale.communities, rng)
        ded_g = _sparse(scale.dedicated_under_grid, scale.grids, rng)
    c_serial = g_serial = d_serial = 0
    levels: dict[str, list[tuple[GridSpec, BaseGeometry]]] = {lv: [] for lv in Level.values}
    for s_index, s_geom in enumerate(street_cells):
        s_code = STREET_CODE if scale.streets == 1 else f"5101{s_index + 1:05d}"
        s_name = "大丰街道" if scale.streets == 1 else f"第{s_index + 1}街道"
        levels[Level.STREET].append((GridSpec(s_code, s_name, Level.STREET, None), s_geom))
        n_comm = communities_per[s_index]
        comm_cells = split(s_geom, n_comm, nrng, relax=relax)
        for c_local, c_geom in enumerate(comm_cells):
            c_code = f"{s_code}{c_local + 1:03d}"
            short = (
                names.COMMUNITIES[c_serial]
                if c_serial < len(names.COMMUNITIES)
                else f"第{c_serial + 1}"
            )
            plan.community_names[c_code] = short
            levels[Level.COMMUNITY].append(
                (GridSpec(c_code, f"{short}社区", Level.COMMUNITY, s_code), c_geom)
            )
            n_grid, n_ded = grids_per[c_serial], ded_c[c_serial]
            cells = split(c_geom, n_grid + n_ded, nrng, relax=relax)
            plan.grids_of[c_code] = []
            for k, cell in enumerate(cells[n_grid:]):
                kind, label = _dedicated(rng, d_serial)
                d_serial += 1
                levels[Level.GRID].append(
                    (
                        GridSpec(
                            f"{c_code}Z{k + 1:02d}", label, Level.GRID, c_code, Kind.DEDICATED, kind
                        ),
                        cell,
                    )
                )
            for g_local, g_geom in enumerate(cells[:n_grid]):
                g_code = f"{c_code}{g_local + 1:02d}"
                plan.grids_of[c_code].append(g_code)
                levels[Level.GRID].append(
                    (GridSpec(g_code, f"{short}第{g_local + 1}网格", Level.GRID, c_code), g_geom)
                )
                n_micro, n_dm = micros_per[g_serial], ded_g[g_serial]
                g_serial += 1
                m_cells = split(g_geom, n_micro + n_dm, nrng, relax=relax)
                plan.micros_of[g_code] = []
                for k, cell in enumerate(m_cells[n_micro:]):
                    kind, label = _dedicated(rng, d_serial)
                    d_serial += 1
                    levels[Level.MICRO].append(
                        (
                            GridSpec(
                                f"{g_code}Z{k + 1:02d}",
                                label,
                                Level.MICRO,
                                g_code,
                                Kind.DEDICATED,
                                kind,
                            ),
                            cell,
                        )
                    )
                for m_local, m_geom in enumerate(m_cells[:n_micro]):
                    m_code = f"{g_code}{m_local + 1:03d}"
                    plan.micros_of[g_code].append(m_code)
                    levels[Level.MICRO].append(
                        (
                            GridSpec(
                                m_code,
                                f"{short}{g_local + 1}-{m_local + 1}微网格",
                                Level.MICRO,
                                g_code,
                            ),
                            m_geom,
                        )
                    )
            c_serial += 1
    for level in Level.values:  # parents before children, one level at a time
        for spec, geom in levels[level]:
            plan.add(spec, geom)
    return plan


def _sparse(total: int, parts: int, rng: random.Random) -> list[int]:
    out = [0] * parts
    for _ in range(total):
        out[rng.randrange(parts)] += 1
    return out


# --- people and places ----------------------------------------------------------------------


class Staff:
    """Creates users in bulk with one shared password hash (hashing 2,400 passwords one by one
    would take minutes)."""

    def __init__(self, rng: random.Random, password: str) -> None:
        self.rng = rng
        self.hash = make_password(password)
        self.users: list[User] = []
        self.roles: list[tuple[User, str, str]] = []  # user, role, grid code
        # user, duty, target kind ("grid", "estate", "building"), target key
        self.duties: list[tuple[User, str, str, Any]] = []

    def new(self, username: str, name: str | None = None, **extra: object) -> User:
        user = User(
            username=username,
            display_name=name or names.person_name(self.rng),
            phone=names.phone(self.rng),
            password=self.hash,
            **extra,
        )
        self.users.append(user)
        return user

    def role(self, user: User, role: str, grid_code: str) -> None:
        self.roles.append((user, role, grid_code))

    def duty(self, user: User, duty: str, kind: str, key: Any) -> None:
        self.duties.append((user, duty, kind, key))


DEMO_ACCOUNTS = [
    ("leader", Role.STREET_LEADER, "street leader · 街道领导"),
    ("official", Role.COMMUNITY_OFFICIAL, "community official · 社区两委"),
    ("gridhead", Role.GRID_HEAD, "grid head · 网格长"),
    ("worker", Role.MICRO_WORKER, "micro-grid worker · 微网格员"),
    ("dept", Role.DEPARTMENT_STAFF, "department staff · 职能部门"),
    ("resident", Role.RESIDENT, "resident · 居民"),
    ("admin", Role.SYSTEM_ADMIN, "system administrator · 系统管理员"),
]


def _people_and_places(plan: Plan, scale: Scale, seed: int, password: str) -> dict[str, int]:
    rng = random.Random(seed + 1)
    nrng = np.random.default_rng(seed + 1)
    staff = Staff(rng, password)
    street = next(spec.code for spec, _ in plan.specs if spec.level == Level.STREET)
    communities = list(plan.grids_of)
    first_c = communities[0]
    first_g = plan.grids_of[first_c][0]
    first_m = plan.micros_of[first_g][0]

    # Demo logins, each placed where the seeds' people would be.
    leader = staff.new("leader", "李建国", is_staff=True)
    staff.role(leader, Role.STREET_LEADER, street)
    staff.duty(leader, Duty.STREET_SECRETARY, "grid", street)
    director = staff.new("sl00")
    staff.role(director, Role.STREET_LEADER, street)
    staff.duty(director, Duty.STREET_SECRETARY, "grid", street)
    official = staff.new("official", "胡晓梅")
    staff.role(official, Role.COMMUNITY_OFFICIAL, first_c)
    gridhead = staff.new("gridhead", "张志强")
    worker = staff.new("worker", "蔡如欣")
    dept = staff.new("dept", "城管执法中队 王磊")
    staff.role(dept, Role.DEPARTMENT_STAFF, street)
    resident = staff.new("resident", "胡民贵")
    staff.role(resident, Role.RESIDENT, first_m)
    admin = staff.new("admin", "系统管理员", is_staff=True, is_superuser=True)
    staff.role(admin, Role.SYSTEM_ADMIN, street)

    leaders = [staff.new(f"sl{i:02d}") for i in range(1, max(2, len(communities) // 2) + 1)]
    for u in leaders:
        staff.role(u, Role.STREET_LEADER, street)
    cadres = [staff.new(f"so{i:03d}") for i in range(max(4, len(communities) * 2))]
    for u in cadres:
        staff.role(u, Role.STREET_OFFICIAL, street)

    all_micros = [m for ms in plan.micros_of.values() for m in ms]
    # micro-grids with a second worker, so that the total matches the scale exactly
    doubled = set(
        rng.sample(all_micros, max(0, min(len(all_micros), scale.micro_workers - len(all_micros))))
    )
    micro_seq = grid_seq = 0
    estates: list[Estate] = []
    estate_meta: list[tuple[str, list[str], list[User]]] = []  # micro codes it covers
    used_estates: set[str] = set()
    for ci, c_code in enumerate(communities):
        staff.duty(leaders[ci % len(leaders)], Duty.COMMUNITY_LEAD, "grid", c_code)
        members = [official] if c_code == first_c else []
        members += [staff.new(f"cw{ci:02d}{i}") for i in range(7 - len(members))]
        for u in members:
            if u is not official:
                staff.role(u, Role.COMMUNITY_OFFICIAL, c_code)
        staff.duty(members[0], Duty.COMMUNITY_SECRETARY, "grid", c_code)
        for gi, g_code in enumerate(plan.grids_of[c_code]):
            head = gridhead if g_code == first_g else members[1 + gi % (len(members) - 1)]
            staff.role(head, Role.GRID_HEAD, g_code)
            staff.duty(head, Duty.GRID_HEAD, "grid", g_code)
            staff.duty(head, Duty.PARTY_BRANCH, "grid", g_code)
            full = staff.new(f"gw{grid_seq:04d}")
            grid_seq += 1
            staff.role(full, Role.GRID_WORKER, g_code)
            staff.duty(full, Duty.GRID_WORKER, "grid", g_code)
            micro_workers: list[User] = []
            for m_code in plan.micros_of[g_code]:
                mw = worker if m_code == first_m else staff.new(f"mw{micro_seq:05d}")
                micro_seq += 1
                staff.role(mw, Role.MICRO_WORKER, m_code)
                staff.duty(mw, Duty.MICRO_WORKER, "grid", m_code)
                micro_workers.append(mw)
                if m_code in doubled:
                    extra = staff.new(f"mw{micro_seq:05d}")
                    micro_seq += 1
                    staff.role(extra, Role.MICRO_WORKER, m_code)
                    staff.duty(extra, Duty.MICRO_WORKER, "grid", m_code)
                    micro_workers.append(extra)
            # 一站三长: three heads chosen among the grid's micro-grid workers.
            for duty, person in zip(
                (Duty.PARTY_SERVICE_HEAD, Duty.SAFETY_HEAD, Duty.CIVILITY_HEAD),
                rng.sample(micro_workers, min(3, len(micro_workers))),
                strict=False,
            ):
                staff.duty(person, duty, "grid", g_code)
            # Estates: runs of neighbouring micro-grids; the first one in 锦丰 is 锦丰新城,
            # the large public-rental estate of the seeds.
            micros = plan.micros_of[g_code]
            start = 0
            while start < len(micros):
                size = rng.randint(3, 8)
                chunk = micros[start : start + size]
                start += size
                if ci == 0 and gi == 0 and not estates:
                    name = "锦丰新城"
                else:
                    name = names.estate_name(rng, used_estates)
                point = plan.geom[chunk[0]].representative_point()
                road = rng.choice(names.ROADS)
                estates.append(
                    Estate(
                        name=name,
                        lat=round(point.y, 6),
                        lng=round(point.x, 6),
                        address=f"新都区{road}{rng.randint(1, 999)}号",
                    )
                )
                estate_meta.append((chunk[0], chunk, members))

    counts: dict[str, int] = {}
    with transaction.atomic():
        User.objects.bulk_create(staff.users, batch_size=1000)
        grid_rows = list(Grid.objects.values_list("code", "id", "path"))
        grid_ids = {code: pk for code, pk, _path in grid_rows}
        grid_paths = {code: path for code, _pk, path in grid_rows}
        RoleAssignment.objects.bulk_create(
            [
                RoleAssignment(user=u, role=r, grid_id=grid_ids[c], grid_path=grid_paths[c])
                for u, r, c in staff.roles
            ],
            batch_size=2000,
        )
        for estate, (m_code, _chunk, _m) in zip(estates, estate_meta, strict=True):
            estate.micro_grid_id = grid_ids[m_code]
            estate.grid_path = grid_paths[m_code]
        Estate.objects.bulk_create(estates, batch_size=1000)

        targets = distribute(
            scale.households, sum(len(v) for v in plan.micros_of.values()), rng, spread=0.5
        )
        buildings: list[Building] = []
        building_micro: list[str] = []
        plan_rows: list[tuple[int, int, int, int]] = []  # building index, units, floors, households
        t = 0
        per_estate: dict[int, int] = {}
        for estate, (_first, chunk, members) in zip(estates, estate_meta, strict=True):
            for m_code in chunk:
                n_house = targets[t]
                t += 1
                n_build = max(1, math.ceil(n_house / 24))
                pts = random_points(nrng, plan.geom[m_code], n_build)
                share = (
                    distribute(n_house, n_build, rng, spread=0.2)
                    if n_house >= n_build
                    else [n_house] + [0] * (n_build - 1)
                )
                for (x, y), h in zip(pts, share, strict=True):
                    per_estate[id(estate)] = number = per_estate.get(id(estate), 0) + 1
                    n_units = 1 if h <= 12 else 2
                    floors = max(2, min(33, math.ceil(h / (n_units * 2))))
                    buildings.append(
                        Building(
                            name=f"{estate.name}{number}栋",
                            estate=estate,
                            floors=floors,
                            lat=round(float(y), 6),
                            lng=round(float(x), 6),
                            micro_grid_id=grid_ids[m_code],
                            grid_path=grid_paths[m_code],
                        )
                    )
                    building_micro.append(m_code)
                    plan_rows.append((len(buildings) - 1, n_units, floors, h))
                    staff.duty(
                        rng.choice(members), Duty.BUILDING_COMMITTEE, "building", len(buildings) - 1
                    )
            staff.duty(rng.choice(cadres), Duty.ESTATE_CADRE, "estate", estate)
        Building.objects.bulk_create(buildings, batch_size=2000)
        units: list[Unit] = []
        for b_index, n_units, _floors, _h in plan_rows:  # noqa: B007
            units.extend(Unit(building=buildings[b_index], number=n) for n in range(1, n_units + 1))
        Unit.objects.bulk_create(units, batch_size=5000)
        unit_of = {(u.building.pk, u.number): u for u in units}
        households: list[Household] = []
        for b_index, n_units, _floors, h in plan_rows:
            b = buildings[b_index]
            for k in range(h):
                unit_no = 1 + k % n_units
                per_floor = 2
                floor = 1 + (k // n_units) // per_floor
                room = f"{floor}{1 + (k // n_units) % per_floor:02d}"
                address = f"{b.name}{unit_no}单元{room}号"
                households.append(
                    Household(
                        name=address,
                        address=address,
                        building=b,
                        unit=unit_of[(b.pk, unit_no)],
                        room=room,
                        lat=b.lat,
                        lng=b.lng,
                        micro_grid_id=b.micro_grid_id,
                        grid_path=b.grid_path,
                    )
                )
        Household.objects.bulk_create(households, batch_size=5000)

        responsibilities = []
        # in post since before the demo's year of history, so every old case has its holder
        since = timezone.now() - dt.timedelta(days=400)
        for u, duty_name, kind, key in staff.duties:
            r = Responsibility(person=u, duty=duty_name, started_at=since)
            if kind == "grid":
                r.grid_id, r.grid_path = grid_ids[key], grid_paths[key]
            elif kind == "estate":
                r.estate, r.grid_path = key, key.grid_path
            else:
                b = buildings[key]
                r.building, r.grid_path = b, b.grid_path
            responsibilities.append(r)
        Responsibility.objects.bulk_create(responsibilities, batch_size=5000)
        counts = {
            "users": len(staff.users),
            "estates": len(estates),
            "buildings": len(buildings),
            "households": len(households),
            "responsibilities": len(responsibilities),
        }
    return counts


def _resident_home(micro_code: str) -> None:
    """The demo login ``resident`` (胡民贵) is registered, as the head, in a household of the
    first micro-grid (锦丰1-1微网格), so their home page shows that household and its worker."""
    import datetime as dt

    from finegrid.registry.models import Gender, Relation
    from finegrid.registry.services import PersonData, person_create, person_link_account

    user = User.objects.filter(username="resident").first()
    admin = User.objects.filter(username="admin").first()
    homes = Household.objects.filter(micro_grid__code=micro_code).order_by("id")
    empty = homes.filter(members__isnull=True).first()
    home = empty or homes.first()
    if user is None or admin is None or home is None:
        return
    data = PersonData(
        name=user.display_name,
        phone=user.phone,
        gender=Gender.MALE,
        birth_date=dt.date(1968, 5, 12),
        household_id=home.pk,
        relation=Relation.HEAD if empty else Relation.OTHER,
    )
    person = person_create(actor=admin, data=data)
    person_link_account(actor=admin, person=person, user=user)


def seed(*, scale_name: str, seed_value: int = 1, password: str) -> dict[str, int]:
    """Generate and store a whole net. The database must hold no grids yet."""
    scale = SCALES[scale_name]
    plan = plan_tree(scale, seed_value)
    with transaction.atomic():
        total = grids_bulk_create(specs=iter(plan.specs))
    counts = {"grids": total}
    for level in Level.values:
        counts[level] = sum(1 for s, _ in plan.specs if s.level == level)
    counts["dedicated"] = sum(1 for s, _ in plan.specs if s.kind == Kind.DEDICATED)
    if scale.people:
        counts.update(_people_and_places(plan, scale, seed_value, password))
        from finegrid.demo.population import populate

        counts = populate(plan, scale, seed_value, counts)
        first_grid = plan.grids_of[next(iter(plan.grids_of))][0]
        _resident_home(plan.micros_of[first_grid][0])
        from finegrid.demo.cases import make_cases

        counts.update(make_cases(count=scale.cases, seed_value=seed_value))
        counts.update(seeding.run_all(scale_name=scale_name, seed_value=seed_value))
        # the duties above were written in bulk, past the services that tell the caches
        forget_responsibles()
    return counts


assert set(k for k, _ in names.DEDICATED) <= set(DedicatedType.values)
