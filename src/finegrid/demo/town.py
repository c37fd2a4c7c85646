"""Drawing the demo street's people in memory (no database): households of each kind, the people
in them with their stays, care tags and leases; deterministic for a seed (see population.py)."""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field
from typing import Any

from finegrid.demo import names
from finegrid.demo.identity import (
    DISABILITY,
    JINFENG,
    JINFENG_ALONE_STREET,
    KINDS,
    ORIGINS,
    PREDECESSORS,
    REFERENCE,
    RENT_SHARE,
    RENT_SHARE_DEFAULT,
    STREET_HOUSEHOLDS,
    _origins_in,
    _registered_in,
    _years,
    local_code,
)
from finegrid.registry.models import (
    CareKind,
    DocumentType,
    EndReason,
    Gender,
    Relation,
    ResidenceStatus,
)
from finegrid.registry.validators import check_digit


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
