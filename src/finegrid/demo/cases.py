"""Two months of cases for the demo street, made through the case services so that every
trace, clock and figure is what the real loop would have produced."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from finegrid.accounts.models import Role, User
from finegrid.cases import services
from finegrid.cases.models import Department
from finegrid.grids.models import Duty, Grid, Kind, Level, Responsibility

# category code → weight, and what people report under it
TOPICS: dict[str, tuple[int, list[str]]] = {
    "sanitation": (24, ["楼道堆放杂物", "垃圾桶满溢未清运", "小区绿化带有建筑垃圾", "化粪池外溢"]),
    "safety_hazard": (14, ["电动车在楼道充电", "楼顶防护栏松动", "井盖缺失", "消防通道被占用"]),
    "livelihood": (16, ["独居老人需要助餐", "路灯不亮", "求助办理居住证", "老人想申请适老化改造"]),
    "dispute": (10, ["邻里噪音纠纷", "楼上漏水到楼下", "停车位争执"]),
    "property": (10, ["电梯故障", "物业费争议", "单元门禁损坏"]),
    "city_management": (10, ["占道经营", "乱搭乱建", "共享单车乱停放"]),
    "public_order": (5, ["可疑人员出入", "夜间聚集喧哗"]),
    "environment": (5, ["餐馆油烟扰民", "夜间施工噪音"]),
    "gas": (3, ["闻到燃气味", "燃气管道锈蚀"]),
    "fire": (3, ["楼道灭火器过期", "疏散通道堵塞"]),
}
WHISTLE_TO = {"city_management": "chengguan", "environment": "chengguan", "safety_hazard": "market"}


def _staff(micro: Grid) -> tuple[User | None, User | None]:
    rows = (
        Responsibility.objects.current()
        .filter(
            grid_id__in=[micro.pk, micro.parent_id], duty__in=[Duty.MICRO_WORKER, Duty.GRID_HEAD]
        )
        .select_related("person")
    )
    worker = next((r.person for r in rows if r.duty == Duty.MICRO_WORKER), None)
    head = next((r.person for r in rows if r.duty == Duty.GRID_HEAD), None)
    return worker, head


def make_cases(*, count: int, seed_value: int, days: int = 60) -> dict[str, int]:
    from django.apps import apps

    from finegrid.cases.taxonomy import load

    load(apps, None)  # the managed taxonomy, in case the database was emptied after migrating
    rng = random.Random(seed_value + 7)
    now = timezone.now()
    micros = list(
        Grid.objects.filter(level=Level.MICRO, kind=Kind.REGULAR)
        .select_related("parent")
        .order_by("id")
    )
    dept = User.objects.filter(username="dept").first()
    if dept is not None:
        for code in set(WHISTLE_TO.values()):
            Department.objects.get(code=code).staff.add(dept)
    resident = User.objects.filter(username="resident").first()
    home = (
        Grid.objects.filter(assignments__user=resident, assignments__role=Role.RESIDENT)
        .select_related("parent")
        .first()
        if resident is not None
        else None
    )
    departments = {d.code: d for d in Department.objects.all()}
    codes = list(TOPICS)
    weights = [TOPICS[c][0] for c in codes]
    staff_cache: dict[int, tuple[User | None, User | None]] = {}
    made = closed = 0
    for _ in range(count):
        # more recent cases than old ones, as a live queue has
        age = dt.timedelta(hours=rng.random() ** 1.6 * days * 24)
        reported = now - age
        micro = rng.choice(micros)
        category = rng.choices(codes, weights)[0]
        roll = rng.random()
        # residents' reports: a few by the demo login, around their home; the others passed on
        # by the worker (a call, a word in the street)
        resident_source = resident is not None and roll < 0.15
        by_resident = resident_source and roll < 0.03 and home is not None
        if by_resident:
            micro = home  # type: ignore[assignment]
        if micro.pk not in staff_cache:
            staff_cache[micro.pk] = _staff(micro)
        worker, head = staff_cache[micro.pk]
        if worker is None or head is None:
            continue
        report = services.CaseReport(
            category=category,
            description=rng.choice(TOPICS[category][1]),
            source="resident"
            if resident_source
            else rng.choice(["patrol", "micro_worker", "rider", "hotline"]),
            lat=micro.center_lat,
            lng=micro.center_lng,
            urgency="urgent" if rng.random() < 0.08 else "normal",
            reporter_phone="" if by_resident else f"13{rng.randint(100000000, 999999999)}",
        )
        with transaction.atomic():
            case, _created = services.case_report(
                actor=resident if by_resident else worker, report=report, now=reported
            )
            made += 1
            closed += _advance(rng, case, worker, head, departments, dept, reported, now)
    counts = services.cases_sweep(now=now)
    return {"cases": made, "cases closed": closed, "cases escalated": counts["escalated"]}


def _advance(
    rng: random.Random,
    case: Any,
    worker: User,
    head: User,
    departments: dict[str, Department],
    dept: User | None,
    t: dt.datetime,
    now: dt.datetime,
) -> int:
    """Walk the case along the loop as far as its age allows; answers 1 if it closed."""

    def step(minutes: float) -> dt.datetime | None:
        nonlocal t
        t = t + dt.timedelta(minutes=minutes)
        return t if t < now else None

    if rng.random() < 0.03:
        if (at := step(rng.uniform(10, 120))) is not None:
            services.case_reject(
                actor=head, case=case, reason="属司法程序，已引导当事人走法律途径", now=at
            )
        return 0
    if (at := step(rng.uniform(5, 150))) is None:
        return 0
    services.case_accept(actor=head, case=case, now=at)
    whistle = (
        WHISTLE_TO.get(case.category.code) if dept is not None and rng.random() < 0.4 else None
    )
    if whistle and dept is not None:
        department = departments[whistle]
        if (at := step(rng.uniform(5, 60))) is None:
            return 0
        services.case_whistle(actor=head, case=case, department=department, now=at)
        if (at := step(rng.uniform(5, 50))) is None:
            return 0
        services.whistle_report_in(actor=dept, case=case, department=department, now=at)
        if (at := step(rng.uniform(60, 60 * 30))) is None:
            return 0
        services.whistle_resolve(
            actor=dept, case=case, department=department, note="已到场处置完毕", now=at
        )
    else:
        if (at := step(rng.uniform(5, 60))) is None:
            return 0
        services.case_dispatch(actor=head, case=case, assignee=worker, now=at)
        if (at := step(rng.uniform(5, 90))) is None:
            return 0
        services.case_start(actor=worker, case=case, now=at)
        # most within the clock, some late
        if (at := step(rng.uniform(30, 60 * 24 * (3 if rng.random() < 0.85 else 12)))) is None:
            return 0
        services.case_resolve(actor=worker, case=case, note="已处理并拍照留存", now=at)
    case.refresh_from_db()
    if (at := step(rng.uniform(60, 60 * 48))) is None:
        return 0
    if case.status == "awaiting_feedback":
        answer = rng.choices(["satisfied", "basically_satisfied", "dissatisfied"], [80, 15, 5])[0]
        services.case_feedback(
            case=case,
            satisfaction=answer,
            comment="" if answer != "dissatisfied" else "问题没有彻底解决",
            now=at,
        )
        return 1 if answer != "dissatisfied" else 0
    services.case_visit_back(actor=head, case=case, note="电话回访，群众表示认可", now=at)
    return 1
