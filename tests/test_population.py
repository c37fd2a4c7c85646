"""The demo street's people (issue 3, item 10): valid, consistent, deterministic, scoped."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from shapely.geometry import Point, shape
from stdnum.cn import uscc

from finegrid.accounts.models import User
from finegrid.core import pii
from finegrid.demo import identity
from finegrid.demo.generator import SCALES
from finegrid.demo.identity import JINFENG, REFERENCE
from finegrid.demo.town import Home, draw, jinfeng_target
from finegrid.grids.models import Grid, Household
from finegrid.registry import validators
from finegrid.registry.models import (
    Business,
    CareKind,
    CareTag,
    DocumentType,
    Membership,
    Person,
    Rental,
    ResidenceStatus,
)
from finegrid.registry.selectors import person_list


@pytest.fixture
def small(db: None) -> None:
    call_command("seed", scale="small", seed=1)


def _age(birth: dt.date) -> int:
    return (
        REFERENCE.year - birth.year - ((REFERENCE.month, REFERENCE.day) < (birth.month, birth.day))
    )


def test_every_region_code_exists() -> None:
    identity.check_origins()
    for code, _weight in identity.ORIGINS:
        assert validators.region_exists(code), code
    for old in identity.PREDECESSORS.values():
        assert all(validators.region_exists(code) for code in old), old


def _homes(n: int) -> list[Home]:
    return [
        Home(pk=i + 1, grid_path="/510114003/510114003001/x/y/", estate=JINFENG if i < 40 else "")
        for i in range(n)
    ]


def test_the_same_seed_draws_the_same_people() -> None:
    def people(seed: int) -> list[tuple[Any, ...]]:
        town = draw(seed, _homes(600), set(range(10)), {"510114003001": "锦丰"})
        return [(d.name, d.number, d.phone, d.birth, d.status) for d in town.people]

    a, b, c = people(5), people(5), people(6)
    assert a == b
    assert a != c
    assert len(a) > 1200  # about 2.5 a household


def test_drawn_households_are_plausible() -> None:
    town = draw(3, _homes(3000), set(range(20)), {"510114003001": "锦丰"})
    people = town.people
    current = [d for d in people if d.stays[-1].moved_out is None]
    migrants = sum(d.status in (ResidenceStatus.MIGRANT, ResidenceStatus.TENANT) for d in current)
    assert 0.35 < migrants / len(current) < 0.55
    adults = [d for d in current if d.age >= 18]
    assert 0.05 < sum(d.party for d in adults) / len(adults) < 0.11
    assert 0.005 < sum(d.veteran for d in adults) / len(adults) < 0.03
    working_age = [d for d in adults if d.age < 60]
    assert sum(bool(d.phone) for d in working_age) / len(working_age) > 0.9
    assert len({d.phone for d in people if d.phone}) == sum(bool(d.phone) for d in people)
    # children before school age sometimes have no number yet; nobody else lacks one
    for d in current:
        if d.document_type == DocumentType.NONE:
            assert d.age < 6 and not d.number
        elif d.document_type == DocumentType.ID_CARD:
            assert validators.normalize_id(d.number) == d.number
    for home in town.homes:
        heads = [i for i in home.members if people[i].stays[-1].relation == "head"]
        assert len(heads) == 1
        if home.kind == "J_alone":
            (only,) = home.members
            assert 70 <= people[only].age <= 95
            assert [k for k, _a, _s in people[only].tags] == [CareKind.LIVING_ALONE]
    # the history is not empty: deaths, departures and moves
    assert any(d.deceased_on for d in people)
    assert any(d.stays[-1].reason == "moved_out" for d in people)
    assert any(len(d.stays) == 2 for d in people)
    for d in people:
        for s in d.stays:
            assert s.moved_in >= d.birth
            assert s.moved_out is None or s.moved_out >= s.moved_in
        assert all(s.moved_out for s in d.stays[:-1])  # only the last stay may be open


def test_seeded_people_have_valid_consistent_ids(small: None) -> None:
    people = Person.objects.all()
    assert people.count() > 2.2 * SCALES["small"].households
    with_id = 0
    for p in people.exclude(id_number_enc=""):
        number = pii.decrypt(p.id_number_enc)
        assert pii.mask_id(number) == p.id_number_masked
        assert pii.blind_index("id", number) == p.id_number_index
        if p.document_type == DocumentType.ID_CARD:
            with_id += 1
            assert validators.normalize_id(number) == number
            assert validators.birth_date_of(number) == p.birth_date
            assert validators.gender_of(number) == p.gender
        else:
            assert p.document_type == DocumentType.PASSPORT
            assert p.residence_status == ResidenceStatus.OTHER
    assert with_id > 0.9 * people.count()
    indexes = people.exclude(id_number_index="").values("id_number_index")
    assert indexes.distinct().count() == indexes.count()
    assert not people.filter(document_type=DocumentType.NONE).exclude(id_number_enc="").exists()
    for p in people.exclude(phone_enc="")[:500]:
        phone = pii.decrypt(p.phone_enc)
        assert validators.normalize_phone(phone) == phone
        assert pii.mask_phone(phone) == p.phone_masked


def test_every_member_has_one_open_stay_in_their_household(small: None) -> None:
    current = Person.objects.filter(household__isnull=False)
    paths = dict(Household.objects.values_list("id", "grid_path"))
    open_stays = Counter(
        Membership.objects.filter(moved_out__isnull=True).values_list("person_id", "household_id")
    )
    for pk, household_id, grid_path in current.values_list("id", "household_id", "grid_path"):
        assert open_stays[(pk, household_id)] == 1
        assert grid_path == paths[household_id]
    assert sum(open_stays.values()) == current.count()
    gone = Person.objects.filter(household__isnull=True)
    assert gone.exists() and not gone.filter(memberships__moved_out__isnull=True).exists()
    assert gone.filter(deceased_on__isnull=False, memberships__end_reason="died").exists()
    assert gone.filter(memberships__end_reason="moved_out").exists()
    assert Membership.objects.filter(end_reason="moved").exists()
    # every household has people, and one head
    heads = Person.objects.filter(relation="head").values("household").annotate(n=Count("id"))
    assert heads.count() == Household.objects.count()
    assert all(row["n"] == 1 for row in heads)


def test_jinfeng_has_its_elderly_living_alone(small: None) -> None:
    index = pii.blind_index("care", CareKind.LIVING_ALONE)
    tags = CareTag.objects.filter(
        kind_index=index, person__household__building__estate__name=JINFENG
    ).select_related("person")
    elderly = [t for t in tags if _age(t.person.birth_date) >= 70]
    assert len(elderly) >= jinfeng_target(SCALES["small"].households)
    for tag in elderly:
        assert tag.attributes()["kind"] == CareKind.LIVING_ALONE
        assert Person.objects.filter(household_id=tag.person.household_id).count() == 1
        assert tag.grid_path == tag.person.grid_path
    # aged 80+ is derived from the birth date, never tagged
    assert not CareTag.objects.filter(kind_index=pii.blind_index("care", CareKind.AGED_80)).exists()
    kinds = {t.attributes()["kind"] for t in CareTag.objects.all()}
    assert {CareKind.LIVING_ALONE, CareKind.DISABLED, CareKind.LEFT_BEHIND_CHILD} <= kinds
    for tag in CareTag.objects.filter(kind_index=pii.blind_index("care", CareKind.DISABLED)):
        data = tag.attributes()
        assert data["category"] and data["level"] in (1, 2, 3, 4)


def test_rentals_and_businesses(small: None) -> None:
    rentals = Rental.objects.prefetch_related("tenants")
    assert rentals.count() > 0.1 * SCALES["small"].households
    for rental in rentals:
        tenants = list(rental.tenants.all())
        assert tenants and all(t.household_id == rental.household_id for t in tenants)
        assert rental.landlord is None or rental.landlord.household_id != rental.household_id
        assert rental.lease_start and rental.lease_end and rental.lease_start <= rental.lease_end
        assert rental.grid_path == rental.household.grid_path
    assert Person.objects.filter(residence_status=ResidenceStatus.TENANT).exists()
    businesses = Business.objects.select_related("micro_grid")
    assert businesses.count() >= 12
    for b in businesses:
        assert uscc.is_valid(b.licence_number)
        assert b.grid_path == b.micro_grid.path
        assert b.contact_phone_masked == pii.mask_phone(pii.decrypt(b.contact_phone_enc))
        assert (b.inspected_on is None) == (b.inspection_status == "pending")
        # placed inside its micro-grid (coordinates are rounded to 1e-6 degrees on storage)
        assert shape(b.micro_grid.boundary).buffer(1e-5).contains(Point(b.lng, b.lat))


def test_the_worker_sees_only_their_micro_grid(small: None) -> None:
    worker = User.objects.get(username="worker")
    grid = Grid.objects.get(assignments__user=worker)
    seen = person_list(user=worker)
    assert seen.exists()
    assert not seen.exclude(grid_path__startswith=grid.path).exists()
    everyone = Person.objects.filter(household__isnull=False, deceased_on__isnull=True)
    assert seen.count() == everyone.filter(grid_path__startswith=grid.path).count()
    assert everyone.filter(~Q(grid_path__startswith=grid.path)).exists()
