"""/api/v1/workforce/party: grid party organisations, registered members (双报到) and 1+1+N
links, each listed for a grid (``?grid=CODE``, required) and created by the grid's officials."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema

from finegrid.accounts.models import User
from finegrid.core.errors import InvalidInput, Problem
from finegrid.core.schemas import Input
from finegrid.grids.models import Household
from finegrid.workforce import selectors_workers as selectors
from finegrid.workforce import services_party as services
from finegrid.workforce.models import (
    OrganisationKind,
    PartyLink,
    PartyMember,
    PartyOrganisation,
)

router = Router()


class GridFilter(Input):
    grid: str
    limit: int = 100
    offset: int = 0


class OrganisationOut(Schema):
    id: int
    grid: str
    kind: str
    kind_label: str
    name: str
    parent: int | None
    household: str | None


class MemberOut(Schema):
    id: int
    grid: str
    name: str
    work_unit: str
    organisation: int | None
    username: str | None
    registered_on: dt.date


class LinkOut(Schema):
    id: int
    grid: str
    member: int
    member_name: str
    worker: int
    worker_name: str
    households: list[int]


class OrganisationIn(Input):
    grid: str
    kind: OrganisationKind
    name: str
    parent: int | None = None
    household: int | None = None


class MemberIn(Input):
    grid: str
    name: str
    work_unit: str
    organisation: int | None = None
    username: str | None = None


class LinkIn(Input):
    member: int
    worker: int
    households: list[int]


def _page(filters: GridFilter, qs: Any) -> tuple[Any, int]:
    if not 1 <= filters.limit <= 500:
        raise InvalidInput(Problem(_("limit must be between 1 and 500."), field="limit"))
    if filters.offset < 0:
        raise InvalidInput(Problem(_("offset must not be negative."), field="offset"))
    return qs[filters.offset : filters.offset + filters.limit], qs.count()


def _org(o: PartyOrganisation) -> dict[str, Any]:
    return {
        "id": o.pk,
        "grid": o.grid.code,
        "kind": o.kind,
        "kind_label": str(o.get_kind_display()),
        "name": o.name,
        "parent": o.parent_id,
        "household": o.household.name if o.household else None,
    }


def _member(m: PartyMember) -> dict[str, Any]:
    return {
        "id": m.pk,
        "grid": m.grid.code,
        "name": m.name,
        "work_unit": m.work_unit,
        "organisation": m.organisation_id,
        "username": m.user.username if m.user else None,
        "registered_on": m.registered_on,
    }


def _link(link: PartyLink) -> dict[str, Any]:
    return {
        "id": link.pk,
        "grid": link.grid.code,
        "member": link.member_id,
        "member_name": link.member.name,
        "worker": link.worker_id,
        "worker_name": str(link.worker.user),
        "households": sorted(h.pk for h in link.households.all()),
    }


class OrganisationPage(Schema):
    count: int
    items: list[OrganisationOut]


class MemberPage(Schema):
    count: int
    items: list[MemberOut]


class LinkPage(Schema):
    count: int
    items: list[LinkOut]


@router.get(
    "/organisations",
    response=OrganisationPage,
    summary="Party organisations of a grid",
    description=(
        "The grid party organisations, party groups and members' central households founded at "
        "`grid` (required); `limit` 1–500 (100 by default) from `offset`. Officials, grid heads, "
        "workers and auditors whose jurisdiction covers the grid; 404 outside it."
    ),
)
def organisation_list(request: HttpRequest, filters: Query[GridFilter]) -> dict[str, Any]:
    grid = selectors.grid_for(user=request.user, code=filters.grid)
    page, count = _page(filters, selectors.party_organisations(grid=grid))
    return {"count": count, "items": [_org(o) for o in page]}


@router.post(
    "/organisations",
    response={201: OrganisationOut},
    summary="Found an organisation",
    description=(
        "Founds a grid party organisation, a party group (under `parent`) or a member's central "
        "household (naming its `household`) at a grid. Street and community officials below their "
        "own post (403 otherwise); a grid outside your jurisdiction answers 404. 422 for an "
        "unknown kind, a parent of another grid, a household outside the grid or already a central "
        "household, or a household given for another kind."
    ),
)
def organisation_create(
    request: HttpRequest, payload: OrganisationIn
) -> tuple[int, dict[str, Any]]:
    grid = selectors.grid_for(user=request.user, code=payload.grid)
    parent = None
    if payload.parent is not None:
        parent = PartyOrganisation.objects.filter(pk=payload.parent).first()
        if parent is None:
            raise InvalidInput(Problem(_("No such organisation here."), field="parent"))
    household = None
    if payload.household is not None:
        household = Household.objects.filter(pk=payload.household).first()
        if household is None:
            raise InvalidInput(Problem(_("No such household."), field="household"))
    org = services.party_organisation_create(
        actor=request.user,
        grid=grid,
        kind=payload.kind,
        name=payload.name,
        parent=parent,
        household=household,
        request=request,
    )
    return 201, _org(org)


@router.get(
    "/members",
    response=MemberPage,
    summary="Party members registered to a grid",
    description=(
        "The party members who registered with the community at `grid` (双报到: their work unit "
        "and organisation); `limit` 1–500 from `offset`. Officials, grid heads, workers and "
        "auditors whose jurisdiction covers the grid; 404 outside it."
    ),
)
def member_list(request: HttpRequest, filters: Query[GridFilter]) -> dict[str, Any]:
    grid = selectors.grid_for(user=request.user, code=filters.grid)
    page, count = _page(filters, selectors.party_members(grid=grid))
    return {"count": count, "items": [_member(m) for m in page]}


@router.post(
    "/members",
    response={201: MemberOut},
    summary="Register a party member (双报到)",
    description=(
        "Registers a party member with a grid: name, work unit, the organisation they join there "
        "and, if they have one, their login. Street and community officials below their own post "
        "(403 otherwise); 404 for a grid outside your jurisdiction. 422 for a missing name or work "
        "unit, an organisation of another grid, or a login registered already."
    ),
)
def member_create(request: HttpRequest, payload: MemberIn) -> tuple[int, dict[str, Any]]:
    grid = selectors.grid_for(user=request.user, code=payload.grid)
    organisation = None
    if payload.organisation is not None:
        organisation = PartyOrganisation.objects.filter(pk=payload.organisation).first()
        if organisation is None:
            raise InvalidInput(Problem(_("No such organisation here."), field="organisation"))
    user = None
    if payload.username:
        user = User.objects.filter(username=payload.username, is_active=True).first()
        if user is None:
            raise InvalidInput(Problem(_("No active login has this username."), field="username"))
    member = services.party_member_register(
        actor=request.user,
        grid=grid,
        name=payload.name,
        work_unit=payload.work_unit,
        organisation=organisation,
        user=user,
        request=request,
    )
    return 201, _member(member)


@router.get(
    "/links",
    response=LinkPage,
    summary="1+1+N links of a grid",
    description=(
        "The 1+1+N pairs of a grid: a party member and a worker who answer together for N "
        "households, with the households' ids; `limit` 1–500 from `offset`. Officials, grid heads, "
        "workers and auditors whose jurisdiction covers the grid; 404 outside it."
    ),
)
def link_list(request: HttpRequest, filters: Query[GridFilter]) -> dict[str, Any]:
    grid = selectors.grid_for(user=request.user, code=filters.grid)
    page, count = _page(filters, selectors.party_links(grid=grid))
    return {"count": count, "items": [_link(link) for link in page]}


@router.post(
    "/links",
    response={201: LinkOut},
    summary="Link a member and a worker to households",
    description=(
        "Pairs a party member with a worker of your jurisdiction for 1 to 60 households of the "
        "member's grid (1+1+N); a household belongs to one pair at most. Street and community "
        "officials below their own post (403 otherwise); a member of a grid outside your "
        "jurisdiction answers 404. 422 for an unknown member, worker or household, an exited "
        "worker, a household outside the grid or linked already (naming its row)."
    ),
)
def link_create(request: HttpRequest, payload: LinkIn) -> tuple[int, dict[str, Any]]:
    member = PartyMember.objects.select_related("grid").filter(pk=payload.member).first()
    if member is None:
        raise InvalidInput(Problem(_("No such party member."), field="member"))
    selectors.grid_for(user=request.user, code=member.grid.code)
    worker = selectors.worker_list(user=request.user).filter(pk=payload.worker).first()
    if worker is None:
        raise InvalidInput(Problem(_("No such worker in your jurisdiction."), field="worker"))
    found = {h.pk: h for h in Household.objects.filter(pk__in=payload.households)}
    missing = [i for i, pk in enumerate(payload.households) if pk not in found]
    if missing:
        raise InvalidInput(Problem(_("No such household."), field="households", row=missing[0]))
    link = services.party_link_create(
        actor=request.user,
        member=member,
        worker=worker,
        households=[found[pk] for pk in payload.households],
        request=request,
    )
    link = selectors.party_links(grid=member.grid).get(pk=link.pk)
    return 201, _link(link)
