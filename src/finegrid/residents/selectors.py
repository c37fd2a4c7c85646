"""Reads for a resident's home: where they live, who answers for them, what they reported."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from finegrid.accounts.models import Role, RoleAssignment
from finegrid.grids.models import Duty, Grid, Household, Responsibility
from finegrid.grids.selectors import board_context
from finegrid.registry.models import Person
from finegrid.registry.selectors import household_worker


@dataclass
class Home:
    """``person`` and ``household`` when the login is linked to the registry; ``micro_grid``
    from the household, or else from the resident role's grid (a resident not yet registered
    still has a micro-grid and its worker)."""

    person: Person | None = None
    household: Household | None = None
    micro_grid: Grid | None = None
    workers: list[Responsibility] = field(default_factory=list)
    contacts: list[Responsibility] = field(default_factory=list)

    @property
    def households(self) -> list[Household]:
        return [self.household] if self.household is not None else []


def resident_home(*, user: Any) -> Home:
    home = Home()
    person = (
        Person.objects.filter(user=user, deceased_on__isnull=True)
        .select_related("household", "household__micro_grid", "household__micro_grid__parent")
        .first()
    )
    if person is not None and person.household is not None:
        home.person, home.household = person, person.household
        home.micro_grid = person.household.micro_grid
    else:
        role = (
            RoleAssignment.objects.filter(user=user, role=Role.RESIDENT)
            .select_related("grid", "grid__parent")
            .order_by("id")
            .first()
        )
        home.person = person
        home.micro_grid = role.grid if role is not None else None
    if home.micro_grid is None:
        return home
    board = board_context(home.micro_grid)
    if home.household is not None:
        home.workers = household_worker(home.household)
    else:
        home.workers = [r for r in board["people"] if r.duty == Duty.MICRO_WORKER]
    mine = {r.pk for r in home.workers}
    home.contacts = [r for r in board["people"] if r.pk not in mine] + board["parent_people"]
    return home
