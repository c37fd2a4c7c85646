"""The demo street's workers (队伍) and its party layer, written in bulk.

Profiles go over the logins the demo net already made: the full-time grid workers (``gw*``,
140 at street scale), the micro-grid workers (``mw*`` and ``worker``, 2,172) and the grid heads
(community committee members heading grids). They come from where the seeds say they come from
(party members, building heads, veterans, property staff, residents' groups, family doctors,
delivery riders — 丰行侠), are all active since before the demo's year of history, and serve the
grids of their duties. Every regular grid has its party organisation (140 in 140, seed 000), some
micro-grids a party group, some households are a party member's central household; the party
members registered to each grid (双报到) pair with its workers in 1+1+N links that cover every
household of the regular micro-grids.

Bulk writes past the services, as the rest of the demo does: the seed is a fixture, not a history
of clicks, and the services would cost minutes here.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from finegrid.accounts.models import User
from finegrid.core import pii
from finegrid.demo import names
from finegrid.grids.models import Duty, Grid, Household, Kind, Level, Responsibility
from finegrid.workforce.models import (
    OrganisationKind,
    Origin,
    PartyLink,
    PartyLinkHousehold,
    PartyMember,
    PartyOrganisation,
    Worker,
    WorkerEvent,
    WorkerGrid,
    WorkerStatus,
    WorkerType,
)

# where micro-grid workers come from (weights); 蔡如欣 of the seeds is a community volunteer
MICRO_ORIGINS: list[tuple[Origin, int]] = [
    (Origin.PARTY_MEMBER, 26),
    (Origin.BUILDING_HEAD, 22),
    (Origin.RESIDENTS_GROUP, 14),
    (Origin.PROPERTY_STAFF, 10),
    (Origin.VETERAN, 8),
    (Origin.DELIVERY_RIDER, 8),
    (Origin.VOLUNTEER, 7),
    (Origin.FAMILY_DOCTOR, 3),
    (Origin.POLICE, 2),
]
FULL_TIME_ORIGINS: list[tuple[Origin, int]] = [
    (Origin.PARTY_MEMBER, 45),
    (Origin.VETERAN, 20),
    (Origin.VOLUNTEER, 35),
]
SKILLS: dict[str, list[str]] = {
    Origin.PARTY_MEMBER: ["政策宣传", "矛盾调解"],
    Origin.BUILDING_HEAD: ["入户走访", "矛盾调解"],
    Origin.RESIDENTS_GROUP: ["入户走访", "文明劝导"],
    Origin.PROPERTY_STAFF: ["设施维修", "燃气安全排查"],
    Origin.VETERAN: ["应急处置", "消防安全"],
    Origin.DELIVERY_RIDER: ["信息采集", "应急处置", "助餐配送"],
    Origin.VOLUNTEER: ["助老服务", "护学"],
    Origin.FAMILY_DOCTOR: ["健康随访", "急救"],
    Origin.POLICE: ["治安巡逻", "反诈宣传"],
}
WORK_UNITS = [
    "新都区教育局",
    "新都区卫生健康局",
    "新都区住房和城乡建设局",
    "大丰街道办事处",
    "新都区人民医院",
    "国网成都市新都供电公司",
    "国家税务总局成都市新都区税务局",
    "新都区市场监督管理局",
    "大丰小学",
    "中国移动新都分公司",
    "新都区退役军人事务局",
    "新都区应急管理局",
]
WORKER_DUTIES = {
    Duty.GRID_WORKER: WorkerType.GRID_WORKER,
    Duty.MICRO_WORKER: WorkerType.MICRO_WORKER,
    Duty.GRID_HEAD: WorkerType.GRID_HEAD,
}
MEMBERS_PER_GRID = 4  # 双报到 members from outside the net, besides the workers who are members


def _pick(rng: random.Random, weighted: list[tuple[Origin, int]]) -> str:
    return rng.choices([o for o, _w in weighted], weights=[w for _o, w in weighted])[0]


def _phone_columns(phone: str) -> dict[str, str]:
    if not phone:
        return {}
    return {
        "phone_enc": pii.encrypt(phone),
        "phone_index": pii.blind_index("phone", phone),
        "phone_masked": pii.mask_phone(phone),
    }


def _profiles(rng: random.Random, since: dt.datetime) -> tuple[list[Worker], dict[int, list[Any]]]:
    """One worker per login holding a worker duty at a grid, with the grids of those duties."""
    held: dict[int, list[tuple[str, int, str]]] = defaultdict(list)
    rows = (
        Responsibility.objects.current()
        .filter(duty__in=list(WORKER_DUTIES), grid__isnull=False)
        .order_by("person_id", "grid_path")
        .values_list("person_id", "duty", "grid_id", "grid_path")
    )
    for person_id, duty, grid_id, path in rows:
        held[person_id].append((duty, grid_id, path))
    users = User.objects.filter(pk__in=list(held)).only("id", "username", "phone")
    workers: list[Worker] = []
    for user in sorted(users, key=lambda u: u.username):
        duties = held[user.pk]
        kinds = {d for d, _g, _p in duties}
        # a grid head heads first; a micro-grid worker who is also one of the three heads of
        # the grid is still a micro-grid worker
        for duty in (Duty.GRID_HEAD, Duty.GRID_WORKER, Duty.MICRO_WORKER):
            if duty in kinds:
                type_ = WORKER_DUTIES[duty]
                break
        origin: str
        if user.username == "worker":
            origin = Origin.VOLUNTEER
        elif type_ == WorkerType.GRID_HEAD:
            origin = Origin.PARTY_MEMBER
        elif type_ == WorkerType.GRID_WORKER:
            origin = _pick(rng, FULL_TIME_ORIGINS)
        else:
            origin = _pick(rng, MICRO_ORIGINS)
        w = Worker(
            user_id=user.pk,
            type=type_,
            origin=origin,
            skills=SKILLS[origin][: rng.randint(1, len(SKILLS[origin]))],
            status=WorkerStatus.ACTIVE,
            status_changed_at=since,
            grid_path=duties[0][2],
            created_at=since,
            updated_at=since,
            **_phone_columns(user.phone),
        )
        workers.append(w)
    return workers, {w.user_id: held[w.user_id] for w in workers}


# one event says how each came to serve; the moves before it happened before the platform
LIFECYCLE = [(WorkerStatus.TRAINED, WorkerStatus.ACTIVE, "完成培训，按进入退出导则上岗", 0)]


def _workers(rng: random.Random, since: dt.datetime) -> tuple[list[Worker], int]:
    workers, grids_of = _profiles(rng, since)
    Worker.objects.bulk_create(workers, batch_size=1000)
    served: list[WorkerGrid] = []
    events: list[WorkerEvent] = []
    for w in workers:
        seen: set[int] = set()
        for _duty, grid_id, path in grids_of[w.user_id]:
            if grid_id not in seen:
                seen.add(grid_id)
                served.append(
                    WorkerGrid(worker=w, grid_id=grid_id, grid_path=path, started_at=since)
                )
        for before, to, reason, days in LIFECYCLE:
            events.append(
                WorkerEvent(
                    worker_id=w.pk,
                    at=since - dt.timedelta(days=days),
                    from_status=before,
                    to_status=to,
                    reason=reason,
                )
            )
    WorkerGrid.objects.bulk_create(served, batch_size=5000)
    WorkerEvent.objects.bulk_create(events, batch_size=5000)
    return workers, len(served)


def _party(rng: random.Random, workers: list[Worker]) -> dict[str, int]:
    grids = list(
        Grid.objects.filter(kind=Kind.REGULAR, level__in=[Level.GRID, Level.MICRO])
        .order_by("path")
        .values_list("id", "code", "name", "path", "level", "parent_id")
    )
    regular = [g for g in grids if g[4] == Level.GRID]
    micros_of: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for g in grids:
        if g[4] == Level.MICRO:
            micros_of[g[5]].append(g)
    homes: dict[int, list[int]] = defaultdict(list)
    for pk, micro_id in Household.objects.order_by("pk").values_list("pk", "micro_grid_id"):
        homes[micro_id].append(pk)

    orgs = [
        PartyOrganisation(
            grid_id=g[0],
            grid_path=g[3],
            kind=OrganisationKind.GRID_ORGANISATION,
            name=f"{g[2]}党支部",
        )
        for g in regular
    ]
    PartyOrganisation.objects.bulk_create(orgs, batch_size=1000)
    top = {o.grid_id: o for o in orgs}
    children: list[PartyOrganisation] = []
    for g in regular:
        for m in micros_of[g[0]]:
            if rng.random() < 0.35:  # a party group in about a third of the micro-grids
                children.append(
                    PartyOrganisation(
                        grid_id=m[0],
                        grid_path=m[3],
                        kind=OrganisationKind.PARTY_GROUP,
                        name=f"{m[2]}党小组",
                        parent=top[g[0]],
                    )
                )
            if homes[m[0]] and rng.random() < 0.12:
                children.append(
                    PartyOrganisation(
                        grid_id=m[0],
                        grid_path=m[3],
                        kind=OrganisationKind.CENTRAL_HOUSEHOLD,
                        name=f"{names.person_name(rng)}党员中心户",
                        parent=top[g[0]],
                        household_id=rng.choice(homes[m[0]]),
                    )
                )
    PartyOrganisation.objects.bulk_create(children, batch_size=2000)

    # 双报到: the workers who are party members, and members from the units of the district
    grid_of_path = {g[3]: g for g in regular}
    workers_by_grid: dict[int, list[Worker]] = defaultdict(list)
    members: list[PartyMember] = []
    since = timezone.localdate() - dt.timedelta(days=400)
    for w in workers:
        home = next((grid_of_path[p] for p in grid_of_path if w.grid_path.startswith(p)), None)
        if home is None:
            continue
        g = home
        workers_by_grid[g[0]].append(w)
        if w.origin == Origin.PARTY_MEMBER:
            members.append(
                PartyMember(
                    name="",  # filled below from the login's name
                    work_unit="大丰街道"
                    + ("网格服务中心" if w.type != WorkerType.MICRO_WORKER else "社区"),
                    grid_id=g[0],
                    grid_path=g[3],
                    organisation=top[g[0]],
                    user_id=w.user_id,
                    registered_on=since,
                )
            )
    names_of = dict(
        User.objects.filter(pk__in=[m.user_id for m in members]).values_list("pk", "display_name")
    )
    for member in members:
        member.name = names_of.get(member.user_id or 0) or "党员"
    for g in regular:
        for _ in range(MEMBERS_PER_GRID):
            members.append(
                PartyMember(
                    name=names.person_name(rng),
                    work_unit=rng.choice(WORK_UNITS),
                    grid_id=g[0],
                    grid_path=g[3],
                    organisation=top[g[0]],
                    registered_on=since + dt.timedelta(days=rng.randint(0, 300)),
                )
            )
    PartyMember.objects.bulk_create(members, batch_size=2000)

    # 1+1+N: each micro-grid's households in runs of 15–30, each run with a member of the grid
    # and a worker of the micro-grid (or of the grid when the micro-grid has none)
    members_by_grid: dict[int, list[PartyMember]] = defaultdict(list)
    for member in members:
        members_by_grid[member.grid_id].append(member)
    micro_workers: dict[str, list[Worker]] = defaultdict(list)
    for w in workers:
        micro_workers[w.grid_path].append(w)
    links: list[PartyLink] = []
    runs: list[list[int]] = []
    for g in regular:
        pool = members_by_grid[g[0]]
        turn = 0
        for m in micros_of[g[0]]:
            here = micro_workers.get(m[3]) or workers_by_grid[g[0]]
            left = homes[m[0]]
            k = 0
            while left[k:] and pool and here:
                size = rng.randint(15, 30)
                links.append(
                    PartyLink(
                        member_id=pool[turn % len(pool)].pk,
                        worker_id=here[(k // size) % len(here)].pk,
                        grid_id=g[0],
                        grid_path=g[3],
                    )
                )
                runs.append(left[k : k + size])
                turn += 1
                k += size
    PartyLink.objects.bulk_create(links, batch_size=2000)
    rows = [(link.pk, h) for link, run in zip(links, runs, strict=True) for h in run]
    # 30,000 rows of two ids: plain executemany, without building a model instance for each
    table = connection.ops.quote_name(PartyLinkHousehold._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(
                f"INSERT INTO {table} (link_id, household_id) VALUES (%s, %s)",  # noqa: S608
                rows[start : start + 5000],
            )
    return {
        "party_organisations": len(orgs) + len(children),
        "party_members": len(members),
        "party_links": len(links),
        "party_linked_households": len(rows),
    }


def seed_workers(scale_name: str, seed_value: int) -> dict[str, int]:
    rng = random.Random(seed_value + 21)
    since = timezone.now() - dt.timedelta(days=400)
    with transaction.atomic():
        workers, served = _workers(rng, since)
        counts = {"workers": len(workers), "workers_grids": served}
        counts.update(_party(rng, workers))
    return counts
