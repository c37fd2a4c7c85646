"""Writes to the party layer: organisations, registered members (双报到) and 1+1+N links.
Managed, like workers, by the officials who staff the grid."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from finegrid.accounts.models import User
from finegrid.core.audit import audit_record
from finegrid.core.errors import InvalidInput, Problem
from finegrid.core.models import AuditAction
from finegrid.grids.models import Grid, Household
from finegrid.workforce.models import (
    OrganisationKind,
    PartyLink,
    PartyLinkHousehold,
    PartyMember,
    PartyOrganisation,
    Worker,
    WorkerStatus,
)
from finegrid.workforce.permissions_workers import access_worker_manage

MAX_LINKED = 60  # N of 1+1+N: a pair cannot knock on more doors than this


def _text(value: str, field: str, limit: int) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(Problem(_("This field is required."), field=field))
    if len(text) > limit:
        raise InvalidInput(
            Problem(_("At most %(n)s characters."), params={"n": limit}, field=field)
        )
    return text


@transaction.atomic
def party_organisation_create(
    *,
    actor: Any,
    grid: Grid,
    kind: str,
    name: str,
    parent: PartyOrganisation | None = None,
    household: Household | None = None,
    request: HttpRequest | None = None,
) -> PartyOrganisation:
    access_worker_manage(actor, grid.path)
    if kind not in OrganisationKind.values:
        raise InvalidInput(Problem(_("Unknown kind of organisation."), field="kind"))
    text = _text(name, "name", 100)
    if kind == OrganisationKind.CENTRAL_HOUSEHOLD and household is None:
        raise InvalidInput(
            Problem(_("A central household names its household."), field="household")
        )
    if kind != OrganisationKind.CENTRAL_HOUSEHOLD and household is not None:
        raise InvalidInput(
            Problem(_("Only a central household names a household."), field="household")
        )
    if household is not None:
        if not household.grid_path.startswith(grid.path):
            raise InvalidInput(
                Problem(_("The household lies outside this grid."), field="household")
            )
        if PartyOrganisation.objects.filter(household=household).exists():
            raise InvalidInput(
                Problem(_("This household is a central household already."), field="household")
            )
    if parent is not None and not grid.path.startswith(parent.grid_path):
        raise InvalidInput(
            Problem(_("The parent organisation is of another grid."), field="parent")
        )
    org = PartyOrganisation.objects.create(
        grid=grid, grid_path=grid.path, kind=kind, name=text, parent=parent, household=household
    )
    audit_record(
        actor=actor, action=AuditAction.CREATE, target=org, fields=["kind", "name"], request=request
    )
    return org


def _related(a: str, b: str) -> bool:
    """One grid lies in the other (a member of a micro-grid's party group, say)."""
    return a.startswith(b) or b.startswith(a)


@transaction.atomic
def party_member_register(
    *,
    actor: Any,
    grid: Grid,
    name: str,
    work_unit: str,
    organisation: PartyOrganisation | None = None,
    user: User | None = None,
    request: HttpRequest | None = None,
) -> PartyMember:
    """双报到: a party member reports to the grid where they live, with their work unit."""
    access_worker_manage(actor, grid.path)
    problems: list[Problem] = []
    for field, value, limit in (("name", name, 64), ("work_unit", work_unit, 100)):
        try:
            _text(value, field, limit)
        except InvalidInput as exc:
            problems.extend(exc.problems)
    if organisation is not None and not _related(organisation.grid_path, grid.path):
        problems.append(Problem(_("The organisation is of another grid."), field="organisation"))
    if user is not None and PartyMember.objects.filter(user=user).exists():
        problems.append(Problem(_("This login is registered already."), field="user"))
    if problems:
        raise InvalidInput(problems)
    member = PartyMember.objects.create(
        grid=grid,
        grid_path=grid.path,
        name=name.strip(),
        work_unit=work_unit.strip(),
        organisation=organisation,
        user=user,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=member,
        fields=["name", "work_unit"],
        request=request,
    )
    return member


@transaction.atomic
def party_link_create(
    *,
    actor: Any,
    member: PartyMember,
    worker: Worker,
    households: list[Household],
    request: HttpRequest | None = None,
) -> PartyLink:
    """1+1+N: the member and the worker answer together for N households of the member's grid."""
    grid = member.grid
    access_worker_manage(actor, grid.path)
    if worker.status == WorkerStatus.EXITED:
        raise InvalidInput(Problem(_("The worker has exited."), field="worker"))
    if not households:
        raise InvalidInput(Problem(_("Link at least one household."), field="households"))
    if len(households) > MAX_LINKED:
        raise InvalidInput(Problem(_("At most 60 households per link."), field="households"))
    taken = set(
        PartyLinkHousehold.objects.filter(household__in=households).values_list(
            "household_id", flat=True
        )
    )
    for i, h in enumerate(households):
        if not h.grid_path.startswith(grid.path):
            raise InvalidInput(
                Problem(_("The household lies outside this grid."), field="households", row=i)
            )
        if h.pk in taken:
            raise InvalidInput(
                Problem(
                    _("%(name)s is linked to another pair already."),
                    params={"name": h.name},
                    field="households",
                    row=i,
                )
            )
    link = PartyLink.objects.create(member=member, worker=worker, grid=grid, grid_path=grid.path)
    PartyLinkHousehold.objects.bulk_create(
        [PartyLinkHousehold(link=link, household=h) for h in dict.fromkeys(households)]
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=link,
        fields=["member", "worker", "households"],
        request=request,
    )
    return link


@transaction.atomic
def party_link_delete(*, actor: Any, link: PartyLink, request: HttpRequest | None = None) -> None:
    access_worker_manage(actor, link.grid_path)
    audit_record(actor=actor, action=AuditAction.DELETE, target=link, request=request)
    link.delete()
