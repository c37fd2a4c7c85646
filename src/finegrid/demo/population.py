"""The demo street's people (issue 3, item 10): families, migrants, special populations, rentals
and the businesses along its streets.

About 2.5 people a household, as in 大丰: local families (many of them resettled villagers) and a
large migrant share, renting from them. 锦丰新城, the large public-rental estate of the seeds, has
its 300+ elderly people living alone. Deterministic for a given seed: the same seed draws the same
names, ID numbers (and so masked IDs) and phones; ciphertexts differ, their nonces are random.

Ages and dates are drawn against a fixed reference date, not today, so that a seed gives the same
people whatever the day; ages read on screen move on from there.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from typing import Any

import numpy as np
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from finegrid.core import pii
from finegrid.demo import names
from finegrid.demo.geometry import random_points
from finegrid.demo.identity import (
    BATCH_HOUSEHOLDS,
    BUSINESSES_STREET,
    JINFENG,
    JINFENG_ALONE_SHARE,
    REFERENCE,
    STREET_HOUSEHOLDS,
    check_origins,
    licence_number,
)
from finegrid.demo.town import Home, Town, draw, jinfeng_target
from finegrid.grids.models import Building, Duty, Estate, Grid, Household, Responsibility, Unit
from finegrid.registry.models import (
    Business,
    BusinessType,
    CareKind,
    CareTag,
    Gender,
    InspectionStatus,
    Membership,
    Person,
    Rental,
    ResidenceStatus,
)
from finegrid.registry.services import seal_tag, sealed_fields


def _homes(
    seed: int, scale_households: int, plan_geom: dict[str, Any]
) -> tuple[list[Home], set[int], dict[str, int]]:
    """Every household, 锦丰新城 grown if it cannot hold its elderly, and which of its
    households they live in."""
    rng = random.Random(seed + 10)
    nrng = np.random.default_rng(seed + 10)
    rows = Household.objects.order_by("id").values_list("id", "grid_path", "building__estate__name")
    homes = [Home(pk, path, estate or "") for pk, path, estate in rows]
    target = jinfeng_target(scale_households)
    jinfeng = [i for i, home in enumerate(homes) if home.estate == JINFENG]
    own = min(target, int(len(jinfeng) * JINFENG_ALONE_SHARE))
    alone = set(rng.sample(jinfeng, own))
    grown = {"households": 0, "buildings": 0, "responsibilities": 0}
    if target > own and jinfeng:
        start = len(homes)
        grown = _grow_jinfeng(target - own, homes, nrng, plan_geom)
        alone |= set(range(start, len(homes)))
    return homes, alone, grown


def _grow_jinfeng(
    need: int, homes: list[Home], nrng: np.random.Generator, plan_geom: dict[str, Any]
) -> dict[str, int]:
    """New blocks of small flats in 锦丰新城's micro-grids: the estate the seeds call the city's
    largest public-rental estate is far larger than an estate the generator draws."""
    estate = Estate.objects.get(name=JINFENG)
    old = list(Building.objects.filter(estate=estate).order_by("id"))
    micro = {b.micro_grid_id: b.grid_path for b in old}
    codes = dict(Grid.objects.filter(id__in=micro).values_list("id", "code"))
    committee = list(
        Responsibility.objects.filter(building__estate=estate, duty=Duty.BUILDING_COMMITTEE)
        .order_by("id")
        .values_list("person_id", flat=True)
    )
    per_floor, floors = 2, 15
    n_build = math.ceil(need / (per_floor * floors))
    micro_ids = sorted(micro)
    buildings: list[Building] = []
    for k in range(n_build):
        m = micro_ids[k % len(micro_ids)]
        ((x, y),) = random_points(nrng, plan_geom[codes[m]], 1)
        buildings.append(
            Building(
                name=f"{JINFENG}{len(old) + k + 1}栋",
                estate=estate,
                floors=floors,
                lat=round(float(y), 6),
                lng=round(float(x), 6),
                micro_grid_id=m,
                grid_path=micro[m],
            )
        )
    with transaction.atomic():
        Building.objects.bulk_create(buildings)
        units = Unit.objects.bulk_create([Unit(building=b, number=1) for b in buildings])
        households: list[Household] = []
        for k in range(need):
            b, u = buildings[k // (per_floor * floors)], units[k // (per_floor * floors)]
            flat = k % (per_floor * floors)
            room = f"{1 + flat // per_floor}{1 + flat % per_floor:02d}"
            address = f"{b.name}1单元{room}号"
            households.append(
                Household(
                    name=address,
                    address=address,
                    building=b,
                    unit=u,
                    room=room,
                    lat=b.lat,
                    lng=b.lng,
                    micro_grid_id=b.micro_grid_id,
                    grid_path=b.grid_path,
                )
            )
        Household.objects.bulk_create(households)
        duties = [
            Responsibility(
                person_id=committee[k % len(committee)],
                duty=Duty.BUILDING_COMMITTEE,
                building=b,
                grid_path=b.grid_path,
            )
            for k, b in enumerate(buildings)
            if committee
        ]
        Responsibility.objects.bulk_create(duties)
    homes.extend(Home(hh.pk, hh.grid_path, JINFENG) for hh in households)
    return {
        "households": len(households),
        "buildings": len(buildings),
        "responsibilities": len(duties),
    }


def _insert(model: type[models.Model], rows: list[dict[str, Any]]) -> list[int]:
    """A plain multi-row INSERT of ``rows`` (attribute name → value, defaults for the rest) with
    primary keys numbered after the table's largest; answers them.

    ``bulk_create`` spends most of its time preparing values field by field (about 25 s for the
    street's people and stays); these are plain values already. The database must not be written
    by anyone else meanwhile: seeding fills an empty one."""
    if not rows:
        return []
    ops = connection.ops
    fields = model._meta.concrete_fields
    names = [f.attname for f in fields]
    defaults = {f.attname: f.get_default() for f in fields}
    now = ops.adapt_datetimefield_value(timezone.now())
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = now
    base = model._default_manager.aggregate(top=Max("pk"))["top"] or 0
    pks = list(range(base + 1, base + 1 + len(rows)))
    table = ops.quote_name(model._meta.db_table)
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
    pk_name = model._meta.pk.attname
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5_000):
            values = []
            for pk, row in zip(
                pks[start : start + 5_000], rows[start : start + 5_000], strict=True
            ):
                row[pk_name] = pk
                values.append(tuple(row.get(n, defaults[n]) for n in names))
            cursor.executemany(sql, values)
        for statement in ops.sequence_reset_sql(no_style(), [model]):  # PostgreSQL's serials
            cursor.execute(statement)
    return pks


def _store(town: Town) -> dict[int, int]:
    """People, their stays and care tags, a transaction per batch of households; answers the
    primary key of every draft."""
    homes, people = town.homes, town.people
    pks: dict[int, int] = {}
    # Which batch writes a draft: the one of its last household, so that movers come last.
    by_batch: dict[int, list[int]] = {}
    for i, d in enumerate(people):
        by_batch.setdefault(d.stays[-1].household // BATCH_HOUSEHOLDS, []).append(i)
    for b in sorted(by_batch):
        idx = by_batch[b]
        rows = []
        for i in idx:
            d = people[i]
            last = d.stays[-1]
            home = homes[last.household]
            current = last.moved_out is None
            values = sealed_fields(
                {
                    "name": d.name,
                    "gender": d.gender,
                    "birth_date": d.birth,
                    "document_type": d.document_type,
                    "residence_status": d.status,
                    "is_party_member": d.party,
                    "party_dual_registered": d.dual,
                    "party_organisation": d.organisation,
                    "is_veteran": d.veteran,
                    "occupation": d.occupation,
                    "notes": d.notes,
                    "_id_number": d.number,
                    "_phone": d.phone,
                }
            )
            values.update(
                household_id=home.pk if current else None,
                relation=last.relation if current else "",
                grid_path=home.grid_path,
                deceased_on=d.deceased_on,
            )
            rows.append(values)
        with transaction.atomic():
            stays: list[dict[str, Any]] = []
            tags = []
            for i, pk, row in zip(idx, _insert(Person, rows), rows, strict=True):
                pks[i] = pk
                d = people[i]
                for s in d.stays:
                    stays.append(
                        {
                            "person_id": pk,
                            "household_id": homes[s.household].pk,
                            "relation": s.relation,
                            "moved_in": s.moved_in,
                            "moved_out": s.moved_out,
                            "end_reason": s.reason,
                        }
                    )
                for kind, attributes, since in d.tags:
                    tags.append(
                        CareTag(
                            person_id=pk,
                            grid_path=row["grid_path"],
                            started_on=since,
                            **seal_tag(kind, attributes),
                        )
                    )
            _insert(Membership, stays)
            CareTag.objects.bulk_create(tags, batch_size=1000)
    return pks


def _rentals(town: Town, pks: dict[int, int], seed: int) -> int:
    rng = random.Random(seed + 12)
    heads = town.local_heads
    rentals, tenants = [], []
    for lease in town.leases:
        home = town.homes[lease.home]
        # the landlord: a resettled local family with a flat to spare; now and then from outside
        landlord = pks[heads[rng.randrange(len(heads))]] if heads and rng.random() < 0.85 else None
        rentals.append(
            Rental(
                household_id=home.pk,
                landlord_id=landlord,
                registered=lease.registered,
                lease_start=lease.start,
                lease_end=lease.end,
                grid_path=home.grid_path,
            )
        )
    through = Rental.tenants.through
    with transaction.atomic():
        Rental.objects.bulk_create(rentals, batch_size=1000)
        for lease, rental in zip(town.leases, rentals, strict=True):
            for i in town.homes[lease.home].members:
                tenants.append(through(rental_id=rental.pk, person_id=pks[i]))
        through.objects.bulk_create(tenants, batch_size=2000)
    return len(rentals)


def _businesses(plan: Any, seed: int, households: int) -> int:
    rng = random.Random(seed + 13)
    nrng = np.random.default_rng(seed + 13)
    n = max(12, round(BUSINESSES_STREET * households / STREET_HOUSEHOLDS))
    micros = [m for ms in plan.micros_of.values() for m in ms]
    markets = [
        (spec.code, spec.name.removesuffix("专属网格"))
        for spec, _g in plan.specs
        if spec.dedicated_type == "market"
    ]
    grid_rows = list(Grid.objects.values_list("code", "id", "path"))
    grids = {code: pk for code, pk, _path in grid_rows}
    paths = {code: path for code, _pk, path in grid_rows}
    kinds = [
        (BusinessType.SHOP, 30),
        (BusinessType.RESTAURANT, 30),
        (BusinessType.MARKET_STALL, 15 if markets else 0),
        (BusinessType.WORKSHOP, 8),
        (BusinessType.HOTEL, 4),
        (BusinessType.SERVICE, 13),
    ]
    # shops cluster on a fifth of the micro-grids: the ones along the main roads
    streets = rng.sample(micros, max(1, len(micros) // 5))
    placed: dict[str, list[tuple[str, str, str]]] = {}  # grid code -> (type, name, address)
    stall_no: dict[str, int] = {}
    used: set[str] = set()
    for _ in range(n):
        kind = rng.choices(*zip(*kinds, strict=True))[0]
        if kind == BusinessType.MARKET_STALL:
            code, road = rng.choice(markets)
            stall_no[code] = stall_no.get(code, 0) + 1
            address = f"{road}{stall_no[code]}号摊位"
        else:
            code, road = rng.choice(streets), rng.choice(names.ROADS)
            address = f"新都区{road}{rng.randint(1, 399)}号"
        name = ""
        for _try in range(5):
            name = rng.choice(names.BUSINESS_NAMES[kind]).format(
                s=rng.choice(names.SURNAMES), r=road
            )
            if name not in used:
                break
        used.add(name)
        placed.setdefault(code, []).append((kind, name, address))
    rows = []
    phones: set[str] = set()
    for code in sorted(placed):
        items = placed[code]
        points = random_points(nrng, plan.geom[code], len(items))
        for (kind, name, address), (x, y) in zip(items, points, strict=True):
            status = rng.choices(
                (InspectionStatus.PASSED, InspectionStatus.FAILED, InspectionStatus.PENDING),
                (68, 10, 22),
            )[0]
            phone = names.phone(rng)
            while phone in phones:
                phone = names.phone(rng)
            phones.add(phone)
            gender = rng.choice((Gender.MALE, Gender.FEMALE))
            era = rng.choice(("mid", "mid", "old"))
            rows.append(
                Business(
                    name=name,
                    business_type=kind,
                    licence_number=licence_number(
                        rng, individual=kind not in (BusinessType.HOTEL,) and rng.random() < 0.85
                    ),
                    contact_name=rng.choice(names.SURNAMES)
                    + rng.choice(names.GIVEN_BY_ERA[(era, gender)]),
                    contact_phone_enc=pii.encrypt(phone),
                    contact_phone_masked=pii.mask_phone(phone),
                    address=address,
                    lat=round(float(y), 6),
                    lng=round(float(x), 6),
                    micro_grid_id=grids[code],
                    grid_path=paths[code],
                    inspection_status=status,
                    inspected_on=None
                    if status == InspectionStatus.PENDING
                    else REFERENCE - dt.timedelta(days=rng.randrange(3, 365)),
                )
            )
    with transaction.atomic():
        Business.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def populate(
    plan: Any, scale: Any, seed: int, counts: dict[str, int] | None = None
) -> dict[str, int]:
    """People, care tags, rentals and businesses for the households the generator placed.

    Answers the counts for the seed summary; ``counts`` (the generator's) is brought up to date
    where 锦丰新城 grew."""
    check_origins()
    homes, alone_at, grown = _homes(seed, scale.households, plan.geom)
    town = draw(seed, homes, alone_at, plan.community_names)
    pks = _store(town)
    rentals = _rentals(town, pks, seed)
    businesses = _businesses(plan, seed, scale.households)
    current = [d for d in town.people if d.stays[-1].moved_out is None]
    migrants = sum(d.status in (ResidenceStatus.MIGRANT, ResidenceStatus.TENANT) for d in current)
    alone = sum(
        1
        for home in homes
        if home.estate == JINFENG
        for i in home.members
        for kind, _a, _s in town.people[i].tags
        if kind == CareKind.LIVING_ALONE
    )
    out = dict(counts or {})
    for key in ("households", "buildings", "responsibilities"):
        if key in out:
            out[key] += grown[key]
    out.update(
        {
            "people": len(current),
            "migrants %": round(100 * migrants / max(1, len(current))),
            "living alone in 锦丰新城": alone,
            "care tags": sum(len(d.tags) for d in town.people),
            "memberships": sum(len(d.stays) for d in town.people),
            "rentals": rentals,
            "businesses": businesses,
        }
    )
    return out
