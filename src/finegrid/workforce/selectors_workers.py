"""Reads of workers and the party layer, always through the reader's jurisdiction."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from finegrid.accounts.jurisdiction import scope_for
from finegrid.core.errors import NotFound
from finegrid.core.paths import under
from finegrid.grids.models import Grid
from finegrid.workforce.models import (
    PartyLink,
    PartyMember,
    PartyOrganisation,
    Worker,
    WorkerEvent,
    WorkerGrid,
)
from finegrid.workforce.permissions_workers import WORKER_READERS


def grid_for(*, user: Any, code: str) -> Grid:
    """A grid the user may read workers of, or NotFound (one outside looks like none)."""
    grid = Grid.objects.filter(code=code).first()
    if grid is None or not scope_for(user, roles=WORKER_READERS).covers(grid.path):
        raise NotFound(_("No such grid in your jurisdiction."), field="grid")
    return grid


def worker_list(
    *,
    user: Any,
    grid: Grid | None = None,
    type: str | None = None,
    origin: str | None = None,
    status: str | None = None,
) -> QuerySet[Worker]:
    """Workers in the user's jurisdiction; with ``grid``, those serving it or a grid below."""
    qs = scope_for(user, roles=WORKER_READERS).filter(Worker.objects.all(), "grid_path")
    if grid is not None:
        serving = WorkerGrid.objects.filter(
            under("grid_path", grid.path), worker=OuterRef("pk"), ended_at__isnull=True
        )
        qs = qs.filter(Exists(serving))
    if type:
        qs = qs.filter(type=type)
    if origin:
        qs = qs.filter(origin=origin)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("user").order_by("user__username", "pk")


def worker_get(*, user: Any, pk: int) -> Worker:
    worker = worker_list(user=user).filter(pk=pk).first()
    if worker is None:
        raise NotFound(_("No such worker in your jurisdiction."), field="worker")
    return worker


def worker_grids(worker: Worker) -> list[WorkerGrid]:
    return list(
        WorkerGrid.objects.filter(worker=worker, ended_at__isnull=True)
        .select_related("grid")
        .order_by("grid__path")
    )


def worker_events(worker: Worker) -> list[WorkerEvent]:
    return list(WorkerEvent.objects.filter(worker=worker).select_related("actor"))


# --- the party layer ---------------------------------------------------------------------------


def party_organisations(*, grid: Grid) -> QuerySet[PartyOrganisation]:
    """Organisations of a grid read through ``grid_for`` and those of the grids below it."""
    qs = PartyOrganisation.objects.filter(under("grid_path", grid.path))
    return qs.select_related("grid", "household", "parent").order_by("grid_path", "kind", "pk")


def party_members(*, grid: Grid) -> QuerySet[PartyMember]:
    qs = PartyMember.objects.filter(under("grid_path", grid.path))
    return qs.select_related("grid", "organisation", "user").order_by("grid_path", "name", "pk")


def party_links(*, grid: Grid) -> QuerySet[PartyLink]:
    qs = PartyLink.objects.filter(under("grid_path", grid.path))
    return (
        qs.select_related("grid", "member", "worker__user")
        .prefetch_related("households")
        .order_by("grid_path", "pk")
    )


def party_link_get(*, user: Any, pk: int) -> PartyLink:
    link = PartyLink.objects.filter(pk=pk).select_related("grid").first()
    if link is None or not scope_for(user, roles=WORKER_READERS).covers(link.grid_path):
        raise NotFound(_("No such link in your jurisdiction."), field="link")
    return link
