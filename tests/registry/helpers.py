"""Valid ID numbers and a registered person, for registry tests."""

from __future__ import annotations

from typing import Any

from finegrid.grids import services as grid_services
from finegrid.grids.models import Grid, Household
from finegrid.registry import services
from finegrid.registry.models import Person
from finegrid.registry.validators import check_digit


def make_id(region: str = "510114", born: str = "19900307", seq: str = "803") -> str:
    first = region + born + seq
    return first + check_digit(first)


def home_in(grid: Grid, address: str = "锦丰新城1栋1单元101") -> Household:
    return grid_services.household_create(address=address, micro_grid=grid)


def register(actor: Any, household: Household, name: str = "张三", **fields: Any) -> Person:
    data = services.PersonData(name=name, household_id=household.pk, **fields)
    return services.person_create(actor=actor, data=data)
