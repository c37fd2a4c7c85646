"""Shared set-up of the daily-care and meal-round tests: people with care tags in the small net's
micro-grids, made through the registry's services; workers staffed through the grid's."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.utils import timezone

from finegrid.accounts.models import User
from finegrid.grids.models import Grid, Household
from finegrid.grids.services import household_create
from finegrid.registry.models import CareKind, Gender, Person, Relation
from finegrid.registry.services import PersonData, care_tag_add, person_create
from tests.care.helpers import staff, working_morning  # noqa: F401  (re-exported)


def person_in(
    actor: User,
    micro: Grid,
    *,
    name: str = "陈大爷",
    kind: str | None = CareKind.LIVING_ALONE,
    born: dt.date = dt.date(1950, 3, 1),
    address: str = "",
) -> Person:
    home = household_create(address=address or f"锦丰新城 3栋2单元{micro.code}", micro_grid=micro)
    person = person_create(
        actor=actor,
        data=PersonData(
            name=name,
            gender=Gender.MALE,
            birth_date=born,
            phone="13900001111",
            household_id=home.pk,
            relation=Relation.HEAD,
        ),
    )
    if kind is not None:
        care_tag_add(actor=actor, person=person, kind=kind)
    person.refresh_from_db()
    return person


def households(micro: Grid, n: int) -> list[Household]:
    return [
        household_create(address=f"{micro.name}{i}号", micro_grid=micro) for i in range(1, n + 1)
    ]


def api(client: Any, method: str, url: str, body: Any = None, **headers: Any) -> Any:
    call = getattr(client, method)
    if body is None:
        return call(url, **headers)
    return call(url, json.dumps(body, default=str), content_type="application/json", **headers)


def local_at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def many_people(micro: Grid, n: int, *, buildings: int = 5, units: int = 2) -> list[Person]:
    """``n`` people, one per household, spread over buildings, units and floors of ``micro``;
    inserted in bulk (the registry's services would take a minute for 300)."""
    from finegrid.grids.models import Building, Unit

    blocks = [
        Building.objects.create(name=f"{b}栋", micro_grid=micro, grid_path=micro.path)
        for b in range(buildings, 0, -1)  # made in reverse: the round must sort them
    ]
    stairs = {
        (b.pk, u): Unit.objects.create(building=b, number=u)
        for b in blocks
        for u in range(1, units + 1)
    }
    homes = []
    for i in range(n):
        block = blocks[i % buildings]
        unit = stairs[(block.pk, 1 + (i // buildings) % units)]
        room = f"{1 + (i * 7) % 6}{1 + i % 4:02d}"
        homes.append(
            Household(
                name=f"{block.name}{unit.number}单元{room}",
                address=f"锦丰新城{block.name}{unit.number}单元{room}号",
                building=block,
                unit=unit,
                room=room,
                micro_grid=micro,
                grid_path=micro.path,
            )
        )
    Household.objects.bulk_create(homes)
    homes = list(Household.objects.filter(micro_grid=micro, building__in=blocks).order_by("id"))
    people = [
        Person(name=f"独居{i:03d}", household=h, grid_path=micro.path, relation=Relation.HEAD)
        for i, h in enumerate(homes)
    ]
    Person.objects.bulk_create(people)
    return list(Person.objects.filter(household__in=homes).order_by("id"))
