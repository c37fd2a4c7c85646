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
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone
from stdnum import numdb
from stdnum.cn import uscc

from finegrid.core import pii
from finegrid.demo import names
from finegrid.demo.geometry import random_points
from finegrid.grids.models import Building, Duty, Estate, Grid, Household, Responsibility, Unit
from finegrid.registry.models import (
    Business,
    BusinessType,
    CareKind,
    CareTag,
    DocumentType,
    EndReason,
    Gender,
    InspectionStatus,
    Membership,
    Person,
    Relation,
    Rental,
    ResidenceStatus,
)
from finegrid.registry.services import seal_tag, sealed_fields
from finegrid.registry.validators import check_digit, region_exists

REFERENCE = dt.date(2025, 7, 1)
STREET_HOUSEHOLDS = 30_000
JINFENG = "锦丰新城"
# 锦丰新城小区300多名高龄独居老人 (seed 000); scaled down with the number of households.
JINFENG_ALONE_STREET = 320
# share of 锦丰新城's own households given to people living alone before it grows new blocks
JINFENG_ALONE_SHARE = 0.4
BUSINESSES_STREET = 520
BATCH_HOUSEHOLDS = 5_000

# 新都县 (until 2001) and 新都区 (since): a local's code depends on when they were registered.
LOCAL_OLD, LOCAL_NEW = "510125", "510114"
# Where 大丰's migrants come from: Sichuan's counties first, then 重庆, 河南, 湖南, 贵州, 云南,
# 甘肃, 湖北, 江西. Weights per code; every code is checked against python-stdnum's table.
ORIGINS: list[tuple[str, int]] = [
    ("510722", 5),  # 三台县
    ("510723", 3),  # 盐亭县
    ("510921", 3),  # 蓬溪县
    ("510623", 5),  # 中江县
    ("511123", 2),  # 犍为县
    ("511321", 5),  # 南部县
    ("511322", 4),  # 营山县
    ("511324", 4),  # 仪陇县
    ("511381", 3),  # 阆中市
    ("511621", 3),  # 岳池县
    ("511623", 3),  # 邻水县
    ("511725", 4),  # 渠县
    ("511722", 3),  # 宣汉县
    ("511921", 3),  # 通江县
    ("511923", 3),  # 平昌县
    ("512021", 4),  # 安岳县
    ("512022", 2),  # 乐至县
    ("510525", 2),  # 古蔺县
    ("511025", 2),  # 资中县
    ("513221", 1),  # 汶川县
    ("513433", 1),  # 冕宁县
    ("500101", 3),  # 万州区
    ("500230", 2),  # 丰都县
    ("500231", 2),  # 垫江县
    ("500233", 2),  # 忠县
    ("500235", 2),  # 云阳县
    ("500236", 2),  # 奉节县
    ("500242", 1),  # 酉阳县
    ("411521", 2),  # 罗山县
    ("411323", 1),  # 西峡县
    ("411722", 2),  # 上蔡县
    ("412726", 1),  # 郸城县 (until 2000)
    ("411625", 1),  # 郸城县 (since 2000)
    ("430524", 2),  # 隆回县
    ("430626", 1),  # 平江县
    ("431021", 1),  # 桂阳县
    ("522121", 1),  # 遵义县 (until 1997)
    ("520221", 1),  # 水城县
    ("530381", 1),  # 宣威市
    ("532128", 1),  # 镇雄县 (until 2001)
    ("620523", 1),  # 甘谷县
    ("422827", 1),  # 来凤县
    ("360730", 1),  # 宁都县
]

# The code a county had before: 重庆 was part of Sichuan until 1997, and several Sichuan
# prefectures were redrawn in the 1990s; a person registered then carries the old code for life.
PREDECESSORS: dict[str, list[str]] = {
    "500101": ["512201"],  # 万县市
    "500233": ["512223"],  # 忠县
    "500235": ["512225"],  # 云阳县
    "500236": ["512226"],  # 奉节县
    "500230": ["512324"],  # 丰都县
    "500231": ["512322"],  # 垫江县
    "500242": ["512329"],  # 酉阳县
    "511321": ["512922"],  # 南部县
    "511322": ["512924"],  # 营山县
    "511324": ["512927"],  # 仪陇县
    "511381": ["512903", "512930"],  # 阆中
    "511621": ["512923"],  # 岳池县
    "511623": ["513031"],  # 邻水县
    "511725": ["513030"],  # 渠县
    "511921": ["513721", "513025"],  # 通江县
    "511923": ["513723", "513028"],  # 平昌县
}

# Household kinds and their weights (per 100 households). L = registered locals, M = migrants.
KINDS: list[tuple[str, float]] = [
    ("L_family", 16),  # couple and their children
    ("L_three", 8),  # three generations
    ("L_elder_couple", 8),
    ("L_elder_alone", 4),  # 60+, living alone
    ("L_single", 6),
    ("L_couple", 7),
    ("L_left_behind", 1.5),  # grandparents with children whose parents work far away
    ("M_family", 15),
    ("M_couple", 11),
    ("M_single", 14),
    ("M_shared", 6),  # workmates sharing a flat
    ("M_with_parent", 3),  # a grandparent come along to mind the child
]
RENT_SHARE = {"M_family": 0.7, "M_couple": 0.75, "M_single": 0.8, "M_shared": 0.95}
RENT_SHARE_DEFAULT = 0.6

DISABILITY = [
    ("physical", 40),
    ("hearing", 15),
    ("visual", 12),
    ("multiple", 13),
    ("mental", 10),
    ("intellectual", 8),
    ("speech", 2),
]


# --- region codes --------------------------------------------------------------------------


@cache
def _years(code: str) -> tuple[int, int]:
    """The years a division code was in use, from python-stdnum's table (``[1985-]三台县``)."""
    parts = numdb.get("cn/loc").info(code)
    county = parts[-1][1].get("county", "") if parts else ""
    spans = re.findall(r"\[(\d*)-(\d*)\]", county)
    if not spans:
        return 0, 9999
    return min(int(a or 0) for a, _ in spans), max(int(b or 9999) for _, b in spans)


def _registered_in(birth: dt.date) -> int:
    # the first cards came in 1985; a person born later is registered at birth
    return max(birth.year, 1985)


@cache
def _origins_in(year: int) -> tuple[list[str], list[int]]:
    codes = [(c, w) for c, w in ORIGINS if _years(c)[0] <= year <= _years(c)[1]]
    return [c for c, _ in codes], [w for _, w in codes]


def check_origins() -> None:
    bad = [c for c, _ in ORIGINS if not region_exists(c)]
    bad += [c for old in PREDECESSORS.values() for c in old if not region_exists(c)]
    bad += [c for c in (LOCAL_OLD, LOCAL_NEW) if not region_exists(c)]
    if bad:
        raise ValueError(f"unknown region codes: {bad}")


def local_code(birth: dt.date) -> str:
    return LOCAL_OLD if birth.year <= 2000 else LOCAL_NEW


# --- licences ------------------------------------------------------------------------------

_ORG_VALUES = {c: i for i, c in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def licence_number(rng: random.Random, individual: bool) -> str:
    """A unified social credit code (统一社会信用代码): 92 for an individual business (个体工商户),
    91 for a company, 新都's region code, an organisation code with its GB 11714 check, and the
    GB 32100 check character."""
    body = "MA6" + "".join(rng.choice(_USCC_CHARS) for _ in range(5))
    c = 11 - sum(_ORG_VALUES[ch] * w for ch, w in zip(body, _ORG_WEIGHTS, strict=True)) % 11
    org = body + {10: "X", 11: "0"}.get(c, str(c))
    first = ("92" if individual else "91") + LOCAL_NEW + org
    return first + uscc.calc_check_digit(first)


# --- drafts ----------------------------------------------------------------------------------


@dataclass(slots=True)
class Stay:
    household: int  # index into the household list
    relation: str
    moved_in: dt.date
    moved_out: dt.date | None = None
    reason: str = ""


@dataclass(slots=True)
class Draft:
    name: str
    gender: str
    birth: dt.date
    document_type: str
    number: str
    status: str
    phone: str = ""
    party: bool = False
    dual: bool = False
    organisation: str = ""
    veteran: bool = False
    occupation: str = ""
    notes: str = ""
    stays: list[Stay] = field(default_factory=list)  # the last one open for a current member
    deceased_on: dt.date | None = None
    tags: list[tuple[str, dict[str, Any], dt.date | None]] = field(default_factory=list)

    @property
    def age(self) -> int:
        b = self.birth
        return REFERENCE.year - b.year - ((REFERENCE.month, REFERENCE.day) < (b.month, b.day))


@dataclass(slots=True)
class Home:
    pk: int
    grid_path: str
    estate: str
    kind: str = ""
    rented: bool = False
    moved_in: dt.date = REFERENCE
    members: list[int] = field(default_factory=list)  # draft indexes, head first


@dataclass(slots=True)
class Lease:
    home: int
    landlord: int  # draft index
    registered: bool
    start: dt.date
    end: dt.date


def _era(birth: dt.date) -> str:
    return "old" if birth.year < 1965 else "mid" if birth.year < 2000 else "young"


def _days(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


class Town:
    """Draws the people of the street, household by household."""

    def __init__(self, seed: int, homes: list[Home], community_names: dict[str, str]) -> None:
        self.rng = random.Random(seed + 11)
        self.homes = homes
        self.community_names = community_names
        self.people: list[Draft] = []
        self.used_ids: set[str] = set()
        self.used_phones: set[str] = set()
        self.leases: list[Lease] = []
        self.local_heads: list[int] = []

    # one person

    def birth(self, age: int) -> dt.date:
        return REFERENCE - dt.timedelta(days=int(age * 365.25) + self.rng.randrange(1, 365))

    def id_number(self, region: str, birth: dt.date, male: bool) -> str:
        while True:
            seq = self.rng.randrange(1, 500) * 2 + (1 if male else 0)
            first = f"{region}{birth:%Y%m%d}{seq:03d}"
            if first not in self.used_ids:
                self.used_ids.add(first)
                return first + check_digit(first)

    def region(self, origin: str | None, birth: dt.date) -> str:
        year = _registered_in(birth)
        if origin is None:
            return local_code(birth)
        for code in (origin, *PREDECESSORS.get(origin, ())):
            first, last = _years(code)
            if first <= year <= last:
                return code
        codes, weights = _origins_in(year)
        same = [c for c in codes if c[:2] == origin[:2]]
        return self.rng.choice(same) if same else self.rng.choices(codes, weights)[0]

    def origin(self, sichuan: bool = False) -> str:
        """A home county; ``region`` gives the code a person born there in a year carries."""
        pairs = [(c, w) for c, w in ORIGINS if c.startswith("51") or not sichuan]
        return self.rng.choices([c for c, _ in pairs], [w for _, w in pairs])[0]

    def phone(self) -> str:
        while True:
            p = names.phone(self.rng)
            if p not in self.used_phones:
                self.used_phones.add(p)
                return p

    def new(
        self,
        *,
        age: int,
        gender: str,
        origin: str | None,
        migrant: bool,
        surname: str | None = None,
        foreign: bool = False,
    ) -> int:
        rng = self.rng
        birth = self.birth(age)
        male = gender == Gender.MALE
        if foreign:
            name = rng.choice(names.FOREIGN_NAMES[gender])
            doc, number = DocumentType.PASSPORT, ""
            while not number or number in self.used_ids:
                number = rng.choice("EGKMP") + f"{rng.randrange(10**8):08d}"
            self.used_ids.add(number)
        else:
            surname = surname or rng.choice(names.SURNAMES)
            name = surname + rng.choice(names.GIVEN_BY_ERA[(_era(birth), gender)])
            without = (migrant and age < 6 and rng.random() < 0.35) or (
                not migrant and age < 2 and rng.random() < 0.15
            )
            if without:  # 户口 not yet registered, or left in the home county's books
                doc, number = DocumentType.NONE, ""
            else:
                doc, number = (
                    DocumentType.ID_CARD,
                    self.id_number(self.region(origin, birth), birth, male),
                )
        status = (
            ResidenceStatus.OTHER
            if foreign
            else ResidenceStatus.MIGRANT
            if migrant
            else ResidenceStatus.REGISTERED
        )
        d = Draft(
            name=name, gender=gender, birth=birth, document_type=doc, number=number, status=status
        )
        a = d.age
        want_phone = (
            0.97
            if 18 <= a < 65
            else 0.75
            if 65 <= a < 80
            else 0.45
            if a >= 80
            else 0.4
            if a >= 14
            else 0
        )
        if rng.random() < want_phone:
            d.phone = self.phone()
        d.occupation = self.occupation(a, gender, migrant)
        if a >= 18 and not foreign:
            share = 0.05 if migrant else 0.14 if a >= 60 else 0.05 if a < 30 else 0.09
            if rng.random() < share:
                d.party = True
                retired = d.occupation in ("退休", "务农", "无业")
                if migrant:
                    d.organisation = "流动党员（原籍村党支部）"
                    d.dual = rng.random() < 0.3
                elif retired:
                    d.organisation = ""  # filled in with the community's name once placed
                else:
                    d.organisation = rng.choice(names.PARTY_ORGANISATIONS)
                    d.dual = rng.random() < 0.6
            if 22 <= a <= 85 and rng.random() < (0.028 if male else 0.003):
                d.veteran = True
        if rng.random() < (0.005 if a < 18 else 0.012 if a < 60 else 0.04):
            category = rng.choices(*zip(*DISABILITY, strict=True))[0]
            level = rng.choices((1, 2, 3, 4), (10, 20, 30, 40))[0]
            d.tags.append(
                (
                    CareKind.DISABLED,
                    {"category": category, "level": level},
                    _days(rng, max(birth, dt.date(2008, 1, 1)), REFERENCE),
                )
            )
        if 18 <= a <= 60 and rng.random() < 0.0012:
            d.tags.append(
                (
                    CareKind.KEY_ATTENTION,
                    {"category": rng.choice(names.KEY_ATTENTION_CATEGORIES)},
                    _days(rng, REFERENCE - dt.timedelta(days=1500), REFERENCE),
                )
            )
        self.people.append(d)
        return len(self.people) - 1

    def occupation(self, age: int, gender: str, migrant: bool) -> str:
        rng = self.rng
        if age < 3:
            return ""
        if age < 6:
            return "幼儿园"
        if age < 18 or (age < 22 and rng.random() < 0.5):
            return "学生"
        retire = 60 if gender == Gender.MALE else 55
        if age >= retire:
            if migrant:
                return rng.choice(("无业", "照看孙辈", "保洁员", "务农"))
            return rng.choices(("退休", "务农", "无业"), (70, 20, 10))[0]
        if rng.random() < 0.04:
            return "待业"
        pool = names.OCCUPATIONS_MIGRANT if migrant else names.OCCUPATIONS_LOCAL
        return rng.choice(pool)

    # families

    def couple(self, age: int, *, origin: str | None, migrant: bool) -> tuple[int, int, str, str]:
        """Head and spouse; answers their indexes and the father's and mother's surnames."""
        rng = self.rng
        head_male = rng.random() < 0.8
        g_head = Gender.MALE if head_male else Gender.FEMALE
        g_spouse = Gender.FEMALE if head_male else Gender.MALE
        s_head, s_spouse = rng.choice(names.SURNAMES), rng.choice(names.SURNAMES)
        head = self.new(age=age, gender=g_head, origin=origin, migrant=migrant, surname=s_head)
        spouse_age = max(18, age + rng.randint(-4, 3) * (1 if head_male else -1))
        foreign = not migrant and 25 <= spouse_age <= 55 and rng.random() < 0.003
        spouse_origin = origin
        if origin is None and rng.random() < 0.2:  # married in from another county
            spouse_origin = self.origin(sichuan=True)
        elif origin is not None and rng.random() < 0.3:
            spouse_origin = self.origin()
        spouse = self.new(
            age=spouse_age,
            gender=g_spouse,
            origin=spouse_origin,
            migrant=migrant,
            surname=s_spouse,
            foreign=foreign,
        )
        father, mother = (s_head, s_spouse) if head_male else (s_spouse, s_head)
        return head, spouse, father, mother

    def children(
        self,
        mother_age: int,
        n: int,
        *,
        surname: str,
        origin: str | None,
        migrant: bool,
        oldest: int,
    ) -> list[int]:
        rng = self.rng
        lo, hi = max(0, mother_age - 40), min(mother_age - 21, oldest)
        out = []
        for _ in range(n):
            if hi < lo:
                break
            age = rng.randint(lo, hi)
            gender = rng.choice((Gender.MALE, Gender.FEMALE))
            out.append(
                self.new(age=age, gender=gender, origin=origin, migrant=migrant, surname=surname)
            )
        return out

    def kids_count(self) -> int:
        return self.rng.choices((0, 1, 2, 3), (10, 58, 29, 3))[0]

    def household(self, h: int) -> None:
        home = self.homes[h]
        rng = self.rng
        kind = home.kind
        migrant = kind.startswith("M_")
        if migrant:
            home.moved_in = _days(rng, REFERENCE - dt.timedelta(days=8 * 365), REFERENCE)
            origin: str | None = self.origin()
        else:
            home.moved_in = _days(rng, dt.date(2008, 1, 1), dt.date(2024, 12, 31))
            origin = None
        members: list[tuple[int, str]] = []  # draft, relation

        def add(i: int, relation: str) -> None:
            members.append((i, relation))

        if kind == "J_alone":
            home.moved_in = _days(rng, dt.date(2017, 6, 1), dt.date(2024, 12, 31))
            age = rng.randint(70, 94)
            gender = rng.choices((Gender.FEMALE, Gender.MALE), (62, 38))[0]
            add(self.new(age=age, gender=gender, origin=None, migrant=False), Relation.HEAD)
        elif kind == "L_elder_alone":
            age = rng.randint(60, 92)
            gender = rng.choices((Gender.FEMALE, Gender.MALE), (60, 40))[0]
            add(self.new(age=age, gender=gender, origin=None, migrant=False), Relation.HEAD)
        elif kind in ("L_family", "L_couple", "M_family", "M_couple", "M_with_parent"):
            low, high = (24, 58) if kind in ("L_couple", "M_couple") else (27, 52)
            head, spouse, father, mother = self.couple(
                rng.randint(low, high), origin=origin, migrant=migrant
            )
            add(head, Relation.HEAD)
            add(spouse, Relation.SPOUSE)
            if kind not in ("L_couple", "M_couple"):
                mother_age = max(self.people[head].age, self.people[spouse].age)
                if self.people[head].gender == Gender.FEMALE:
                    mother_age = self.people[head].age
                elif self.people[spouse].gender == Gender.FEMALE:
                    mother_age = self.people[spouse].age
                n = self.kids_count() or (1 if migrant else 0)
                surname = father if rng.random() < 0.9 else mother
                for c in self.children(
                    mother_age, n, surname=surname, origin=origin, migrant=migrant, oldest=24
                ):
                    add(c, Relation.CHILD)
                if kind == "M_with_parent":
                    g_age = min(78, mother_age + rng.randint(22, 30))
                    add(
                        self.new(
                            age=g_age,
                            gender=rng.choice((Gender.MALE, Gender.FEMALE)),
                            origin=origin,
                            migrant=True,
                            surname=father,
                        ),
                        Relation.PARENT,
                    )
        elif kind == "L_three":
            mid_age = rng.randint(28, 50)
            head, spouse, father, mother = self.couple(mid_age, origin=None, migrant=False)
            g_age = min(90, mid_age + rng.randint(22, 32))
            elders = [
                self.new(age=g_age, gender=Gender.MALE, origin=None, migrant=False, surname=father)
            ]
            if rng.random() < 0.55:
                elders.append(
                    self.new(
                        age=max(50, g_age + rng.randint(-5, 2)),
                        gender=Gender.FEMALE,
                        origin=None,
                        migrant=False,
                    )
                )
            kids = self.children(
                mid_age + rng.randint(-3, 2),
                self.kids_count() or 1,
                surname=father,
                origin=None,
                migrant=False,
                oldest=22,
            )
            if rng.random() < 0.5:  # the grandfather is the head of the 户口簿
                add(elders[0], Relation.HEAD)
                for e in elders[1:]:
                    add(e, Relation.SPOUSE)
                add(head, Relation.CHILD)
                add(spouse, Relation.OTHER)
                for k in kids:
                    add(k, Relation.GRANDCHILD)
            else:
                add(head, Relation.HEAD)
                add(spouse, Relation.SPOUSE)
                for e in elders:
                    add(e, Relation.PARENT)
                for k in kids:
                    add(k, Relation.CHILD)
        elif kind == "L_elder_couple":
            head, spouse, _f, _m = self.couple(rng.randint(60, 86), origin=None, migrant=False)
            add(head, Relation.HEAD)
            add(spouse, Relation.SPOUSE)
        elif kind == "L_single":
            gender = rng.choice((Gender.MALE, Gender.FEMALE))
            add(
                self.new(age=rng.randint(20, 59), gender=gender, origin=None, migrant=False),
                Relation.HEAD,
            )
        elif kind == "L_left_behind":
            g_age = rng.randint(55, 76)
            surname = rng.choice(names.SURNAMES)
            add(
                self.new(
                    age=g_age,
                    gender=rng.choice((Gender.MALE, Gender.FEMALE)),
                    origin=None,
                    migrant=False,
                    surname=surname,
                ),
                Relation.HEAD,
            )
            if rng.random() < 0.6:
                add(
                    self.new(
                        age=g_age + rng.randint(-4, 4),
                        gender=Gender.FEMALE
                        if self.people[members[0][0]].gender == Gender.MALE
                        else Gender.MALE,
                        origin=None,
                        migrant=False,
                    ),
                    Relation.SPOUSE,
                )
            guardian = self.people[members[0][0]].name
            where = rng.choice(names.PARENTS_LOCATIONS)
            for _ in range(rng.choices((1, 2), (65, 35))[0]):
                k = self.new(
                    age=rng.randint(3, 15),
                    gender=rng.choice((Gender.MALE, Gender.FEMALE)),
                    origin=None,
                    migrant=False,
                    surname=surname,
                )
                self.people[k].tags.append(
                    (
                        CareKind.LEFT_BEHIND_CHILD,
                        {"guardian": guardian, "parents_location": where},
                        _days(rng, REFERENCE - dt.timedelta(days=1200), REFERENCE),
                    )
                )
                add(k, Relation.GRANDCHILD)
        elif kind == "M_single":
            foreign = rng.random() < 0.004
            gender = rng.choices((Gender.MALE, Gender.FEMALE), (62, 38))[0]
            add(
                self.new(
                    age=rng.randint(18, 55),
                    gender=gender,
                    origin=origin,
                    migrant=True,
                    foreign=foreign,
                ),
                Relation.HEAD,
            )
        elif kind == "M_shared":
            gender = rng.choices((Gender.MALE, Gender.FEMALE), (70, 30))[0]
            for k in range(rng.choices((2, 3, 4), (50, 35, 15))[0]):
                mate_origin = origin if rng.random() < 0.5 else self.origin()
                add(
                    self.new(
                        age=rng.randint(18, 50), gender=gender, origin=mate_origin, migrant=True
                    ),
                    Relation.HEAD if k == 0 else Relation.TENANT,
                )
        else:  # pragma: no cover - every kind is drawn above
            raise ValueError(kind)

        community = self.community_names.get(home.grid_path.strip("/").split("/")[1], "")
        for i, relation in members:
            d = self.people[i]
            d.stays.append(Stay(h, relation, max(home.moved_in, d.birth)))
            if d.party and not d.organisation:
                d.organisation = f"{community}社区党委"
            if home.rented and d.status == ResidenceStatus.MIGRANT:
                d.status = ResidenceStatus.TENANT
            home.members.append(i)
        if not migrant and kind != "J_alone":
            self.local_heads.append(members[0][0])
        self.care_and_history(h, members)

    def care_and_history(self, h: int, members: list[tuple[int, str]]) -> None:
        rng = self.rng
        home = self.homes[h]
        kind = home.kind
        head = self.people[members[0][0]]
        if kind in ("J_alone", "L_elder_alone"):
            since = home.moved_in
            if (REFERENCE - home.moved_in).days > 120 and rng.random() < 0.55:
                # widowed: the spouse's stay closes with their death
                died = _days(rng, home.moved_in + dt.timedelta(days=30), REFERENCE)
                g = Gender.MALE if head.gender == Gender.FEMALE else Gender.FEMALE
                s = self.new(
                    age=min(98, head.age + rng.randint(0, 5)), gender=g, origin=None, migrant=False
                )
                spouse = self.people[s]
                spouse.tags.clear()
                spouse.deceased_on = died
                spouse.stays.append(
                    Stay(h, Relation.SPOUSE, max(home.moved_in, spouse.birth), died, EndReason.DIED)
                )
                since = died
            note = rng.choice(("子女在外地工作", "丧偶，子女在本市", "无子女", "子女每周探望", ""))
            head.tags.append((CareKind.LIVING_ALONE, {"note": note} if note else {}, since))
        if not kind.startswith(("M_", "J_")):
            share = 0.08 if kind == "L_elder_alone" else 0.015
            if rng.random() < share:
                since = _days(rng, dt.date(2015, 1, 1), REFERENCE)
                cert = f"新都低保字{since.year}第{rng.randrange(1, 9999):04d}号"
                for i, _r in members:
                    self.people[i].tags.append(
                        (
                            CareKind.LOW_INCOME,
                            {"certificate": cert, "since": since.isoformat()},
                            since,
                        )
                    )
        if kind in ("L_family", "L_three") and rng.random() < 0.06:
            # a grown-up child who moved away
            age = rng.randint(20, 34)
            gone = self.new(
                age=age,
                gender=rng.choice((Gender.MALE, Gender.FEMALE)),
                origin=None,
                migrant=False,
                surname=head.name[0],
            )
            child = self.people[gone]
            child.tags.clear()
            start = max(home.moved_in, child.birth)
            if start + dt.timedelta(days=90) < REFERENCE:
                left = _days(rng, start + dt.timedelta(days=60), REFERENCE - dt.timedelta(days=10))
                child.stays.append(Stay(h, Relation.CHILD, start, left, EndReason.MOVED_OUT))
            else:  # not old enough a household to have left it: never mind them
                self.people.pop()
        if kind in ("L_single", "L_couple") and rng.random() < 0.08 and self.local_heads[:-1]:
            # moved here from their parents' household elsewhere in the street
            before = self.people[self.local_heads[rng.randrange(len(self.local_heads) - 1)]]
            if before.stays and before.stays[-1].moved_out is None:
                old_h = before.stays[-1].household
                old_in = max(head.birth, self.homes[old_h].moved_in)
                if old_in + dt.timedelta(days=30) < home.moved_in:
                    head.stays.insert(
                        0,
                        Stay(old_h, Relation.CHILD, old_in, home.moved_in, EndReason.MOVED),
                    )
        if home.rented:
            self.lease(h)

    def lease(self, h: int) -> None:
        rng = self.rng
        home = self.homes[h]
        # leases run a year or more and are renewed on the day the tenant moved in; some ran out
        moved = home.moved_in.replace(day=min(home.moved_in.day, 28))
        years = (
            REFERENCE.year
            - moved.year
            - ((REFERENCE.month, REFERENCE.day) < (moved.month, moved.day))
        )
        renewals = years - 1 if years and rng.random() < 0.12 else years
        start = moved.replace(year=moved.year + renewals)
        length = rng.choices((1, 2, 3), (75, 17, 8))[0] if renewals == years else 1
        end = start.replace(year=start.year + length) - dt.timedelta(days=1)
        self.leases.append(
            Lease(
                home=h,
                landlord=-1,  # chosen once every local household is drawn
                registered=rng.random() < 0.75,
                start=start,
                end=end,
            )
        )


def jinfeng_target(households: int) -> int:
    """How many elderly people live alone in 锦丰新城 for a street of ``households``."""
    return math.ceil(JINFENG_ALONE_STREET * households / STREET_HOUSEHOLDS)


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


def draw(seed: int, homes: list[Home], alone: set[int], community_names: dict[str, str]) -> Town:
    """Give every household its kind and draw its people; touches no database."""
    rng = random.Random(seed + 14)
    kinds, weights = zip(*KINDS, strict=True)
    for i, home in enumerate(homes):
        home.kind = "J_alone" if i in alone else rng.choices(kinds, weights)[0]
        if home.kind.startswith("M_") and home.estate != JINFENG:
            # 锦丰新城 is public rental housing, let by its operator, not by private landlords
            home.rented = rng.random() < RENT_SHARE.get(home.kind, RENT_SHARE_DEFAULT)
    town = Town(seed, homes, community_names)
    for h in range(len(homes)):
        town.household(h)
    return town


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
