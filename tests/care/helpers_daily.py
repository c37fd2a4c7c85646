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
