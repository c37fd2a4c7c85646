"""Reads of enrolments, devices, device checks and chains, each through the reader's jurisdiction.

Enrolments are read by the officials over the household (``OFFICIALS``); device checks
also by the micro-grid worker who goes to look (``services_devices.CHECKERS``). Something outside
answers as not found, so a neighbouring grid's enrolments cannot be probed. Names are shown as
the registry shows them, phones masked.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finegrid.accounts.jurisdiction import scope_for
from finegrid.care import chain
from finegrid.care.models import (
    ChainStep,
    Device,
    DeviceCheck,
    Enrolment,
)
from finegrid.care.roles import CHAIN_KEEPERS, OFFICIALS
from finegrid.care.services_devices import CHECKERS
from finegrid.core.errors import InvalidInput, NotFound, Problem
from finegrid.core.paths import under
from finegrid.grids.models import Grid, Level
from finegrid.grids.selectors import grid_get
from finegrid.registry import selectors as registry
from finegrid.registry.models import CareTag, Person

STATES = ("open", "ended", "all")


def scoped_grid(*, user: Any, code: str, roles: frozenset[str] = OFFICIALS) -> Grid:
    """The grid ``code`` names, if the user holds one of ``roles`` over it; otherwise not
    found."""
    grid = grid_get(user=user, code=code)
    if not scope_for(user, roles=roles).covers(grid.path):
        raise NotFound(_("No grid with this code in your jurisdiction."), field="grid")
    return grid


def _enrolments(user: Any) -> QuerySet[Enrolment]:
    return scope_for(user, roles=OFFICIALS).filter(Enrolment.objects.all(), "grid_path")


def _with_parts(qs: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    open_checks = DeviceCheck.objects.filter(closed_at__isnull=True)
    devices = Device.objects.order_by("revoked_at", "pk").prefetch_related(
        Prefetch("checks", queryset=open_checks, to_attr="open_checks")
    )
    return qs.select_related(
        "person", "household", "micro_grid", "community", "enrolled_by", "ended_by"
    ).prefetch_related(Prefetch("devices", queryset=devices), "contacts")


def enrolment_list(
    *, user: Any, grid: Grid | None = None, q: str = "", state: str = "open"
) -> QuerySet[Enrolment]:
    if state not in STATES:
        raise InvalidInput(
            Problem(
                _("Choose one of: %(choices)s."),
                field="state",
                params={"choices": ", ".join(STATES)},
            )
        )
    qs = _enrolments(user)
    if grid is not None:
        qs = qs.filter(under("grid_path", grid.path))
    if state == "open":
        qs = qs.filter(ended_at__isnull=True)
    elif state == "ended":
        qs = qs.filter(ended_at__isnull=False)
    if q.strip():
        people = registry.person_queryset(user, searching=True).filter(
            registry.search_filter(q, households=registry.household_queryset(user))
        )
        qs = qs.filter(person__in=people.values("pk"))
    return _with_parts(qs).order_by("grid_path", "person__name", "pk")


def enrolment_get(*, user: Any, pk: int) -> Enrolment:
    found = _with_parts(_enrolments(user)).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No such enrolment in your jurisdiction."), field="id")
    return found


def device_get(*, user: Any, pk: int) -> Device:
    found = (
        Device.objects.select_related("enrolment")
        .filter(
            pk=pk,
            enrolment__in=_enrolments(user).values("pk"),
        )
        .first()
    )
    if found is None:
        raise NotFound(_("No such device in your jurisdiction."), field="id")
    return found


def care_labels(*, user: Any, enrolments: list[Enrolment]) -> dict[int, list[str]]:
    """The care tags of each enrolled person that the reader's duties may see (the registry's
    rule), as labels in the active language: one query for the whole list."""
    people = [e.person for e in enrolments]
    tags = registry.care_tags_for(user=user, people=people)
    return {e.pk: [str(t.label) for t in tags.get(e.person_id, [])] for e in enrolments}


# --- device checks ---------------------------------------------------------------------------


def checks_open(*, user: Any, grid: Grid | None = None) -> QuerySet[DeviceCheck]:
    qs = scope_for(user, roles=CHECKERS).filter(
        DeviceCheck.objects.filter(closed_at__isnull=True), "grid_path"
    )
    if grid is not None:
        qs = qs.filter(under("grid_path", grid.path))
    return qs.select_related(
        "device", "enrolment__person", "enrolment__household", "micro_grid"
    ).order_by("opened_at", "pk")


def check_get(*, user: Any, pk: int) -> DeviceCheck:
    found = (
        scope_for(user, roles=CHECKERS)
        .filter(DeviceCheck.objects.all(), "grid_path")
        .select_related("device", "enrolment__person", "enrolment__household", "micro_grid")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound(_("No such device check in your jurisdiction."), field="id")
    return found


def may_see_checks(user: Any) -> bool:
    scope = scope_for(user, roles=CHECKERS)
    return not scope.empty


def may_enrol(user: Any) -> bool:
    return not scope_for(user, roles=OFFICIALS).empty


# --- people to enrol -------------------------------------------------------------------------


def people_to_enrol(
    *, user: Any, q: str = "", grid: Grid | None = None, limit: int = 20
) -> list[Person]:
    """People the reader may enrol: in their jurisdiction (as officials), living, with a
    current care tag, and not enrolled yet."""
    today = timezone.localdate()
    tagged = CareTag.objects.filter(person=OuterRef("pk")).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=today)
    )
    enrolled = Enrolment.objects.filter(person=OuterRef("pk"), ended_at__isnull=True)
    qs = registry.person_list(user=user, q=q, grid=grid.code if grid else None)
    qs = scope_for(user, roles=OFFICIALS).filter(qs, "grid_path", indexed=not q)
    return list(qs.filter(Exists(tagged)).exclude(Exists(enrolled))[:limit])


def person_for_enrolment(*, user: Any, pk: int) -> Person:
    """A person of the registry the user may read; not found otherwise (as the registry)."""
    return registry.person_get(user=user, pk=pk)


# --- chains ----------------------------------------------------------------------------------


def community_for_chain(*, user: Any, code: str) -> Grid:
    grid = scoped_grid(user=user, code=code)
    if grid.level != Level.COMMUNITY:
        raise NotFound(_("A chain belongs to a community: give a community's code."), field="code")
    return grid


def chain_read(*, community: Grid) -> dict[str, Any]:
    own = list(
        ChainStep.objects.filter(community=community)
        .order_by("order")
        .values_list("role", "seconds")
    )
    steps = [{"role": r, "seconds": s} for r, s in own] or chain.default_chain()
    return {"community": community, "steps": steps, "default": not own}


def may_keep_chain(user: Any, community: Grid) -> bool:
    return scope_for(user, roles=CHAIN_KEEPERS).covers(community.path)
