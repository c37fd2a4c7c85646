"""Reads of daily care: the contact plans a user works under, who has gone quiet under a grid,
and a person's recent contacts. Every read takes the user and goes through jurisdiction; a care
tag's kind is shown (and a quiet row listed) only to those whose duties see that kind
(``CARE_VISIBILITY``); names are shown as the registry shows them to that role."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finegrid.accounts.jurisdiction import scope_for
from finegrid.care import daily_plans, responders
from finegrid.care.models import CareContact, ContactKind, ContactWatch, WatchStage
from finegrid.care.services_daily import CONTACT_LOGGERS
from finegrid.core.errors import InvalidInput, NotFound, Problem
from finegrid.core.paths import under
from finegrid.grids.models import Grid, Level
from finegrid.registry.models import CareKind, Person
from finegrid.registry.permissions import REGISTRY_READERS, care_kinds_for
from finegrid.workforce.models import HouseholdState

QUIET_LIMIT = 500


def local(moment: dt.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def visible_grid(user: Any, code: str | None, *, field: str = "grid") -> Grid:
    """The grid of ``code`` (or the top of the user's jurisdiction when none is named); a grid
    outside it answers 404 like a missing one."""
    scope = scope_for(user, roles=CONTACT_LOGGERS)
    code = (code or "").strip()
    if not code:
        top = Grid.objects.filter(path__in=scope.prefixes).order_by("depth", "path").first()
        if top is None and scope.everything:
            top = Grid.objects.filter(parent__isnull=True).order_by("pk").first()
        if top is None:
            raise NotFound(_("No such grid."), field=field)
        return top
    grid = Grid.objects.filter(code=code).first()
    if grid is None or not scope.covers(grid.path):
        raise NotFound(_("No such grid."), field=field)
    return grid


# --- plans -----------------------------------------------------------------------------------


def communities_for(user: Any, code: str | None = None) -> list[Grid]:
    """The communities whose plans the user works under: those in their jurisdiction and the
    one above a grid head or worker. ``code`` narrows to one (404 when it is not one of them)."""
    scope = scope_for(user, roles=CONTACT_LOGGERS)
    qs = Grid.objects.filter(level=Level.COMMUNITY).order_by("path")
    if code:
        qs = qs.filter(code=code.strip())
    found = [
        c for c in qs if scope.covers(c.path) or any(p.startswith(c.path) for p in scope.prefixes)
    ]
    if code and not found:
        raise NotFound(_("No such community."), field="community")
    return found


def contact_plans_for(*, user: Any, community: str | None = None) -> list[dict[str, Any]]:
    communities = communities_for(user, community)
    table = daily_plans.plans_by_community([c.pk for c in communities])
    return [
        {
            "community": {"code": c.code, "name": c.name},
            "plans": [
                p.as_dict() for _kind, p in sorted(daily_plans.plans_of(table, c.pk).items())
            ],
        }
        for c in communities
    ]


# --- who has gone quiet ----------------------------------------------------------------------


def _short(moment: dt.datetime | None) -> str:
    return f"{timezone.localtime(moment):%m-%d %H:%M}" if moment else ""


def _stage_label(stage: str) -> str:
    return str(WatchStage(stage).label)


def quiet_under(
    *, user: Any, grid: Grid, now: dt.datetime | None = None, limit: int = QUIET_LIMIT
) -> list[dict[str, Any]]:
    """Everyone under ``grid`` whose contact is overdue, longest quiet first. Three queries
    (the roles, the watches, the households' visits) however many rows."""
    now = now or timezone.now()
    kinds = care_kinds_for(user)
    scope = scope_for(user, roles=CONTACT_LOGGERS)
    qs = scope.filter(
        ContactWatch.objects.filter(under("grid_path", grid.path), due_at__lte=now),
        "grid_path",
    ).filter(tag_kind__in=sorted(kinds))
    watches = list(
        qs.select_related("person", "household", "micro_grid").order_by("due_at", "id")[:limit]
    )
    visits = dict(
        HouseholdState.objects.filter(
            household_id__in={w.household_id for w in watches}, last_reached_at__isnull=False
        ).values_list("household_id", "last_reached_at")
    )
    readers = scope_for(user, roles=REGISTRY_READERS)
    rows = []
    for w in watches:
        last, last_kind, due = w.last_contact_at, w.last_contact_kind, w.due_at
        visited = visits.get(w.household_id)
        if visited is not None and visited > (last or w.since):
            # a visit logged in the workforce that the sweep has not folded in yet
            last, last_kind = visited, ContactKind.VISIT
            due = daily_plans.due_after(visited, w.every_days)
            if due > now:
                continue
        rows.append(
            {
                "watch": w.pk,
                "person": {
                    "id": w.person_id,
                    "name": responders.name_for(user, w.person.name, w.grid_path, scope=readers),
                },
                "phone": w.person.phone_masked,
                "place": w.household.address,
                "micro_grid": {"code": w.micro_grid.code, "name": w.micro_grid.name},
                "tag_kind": w.tag_kind,
                "tag_label": str(CareKind(w.tag_kind).label),
                "every_days": w.every_days,
                "visit_only": w.visit_only,
                "last_contact_at": local(last),
                "last_contact_kind": last_kind or None,
                "due_at": local(due),
                # for the page: local, short
                "last_contact_text": _short(last),
                "due_text": _short(due),
                "overdue_hours": int((now - due).total_seconds() // 3600),
                "stage": w.stage,
                "stage_label": _stage_label(w.stage),
                "worker_alerted_at": local(w.worker_alerted_at),
                "head_alerted_at": local(w.head_alerted_at),
            }
        )
    return rows


# --- contacts --------------------------------------------------------------------------------


def person_for(user: Any, person_id: int) -> Person:
    person = Person.objects.filter(pk=person_id).first()
    if person is None or not scope_for(user, roles=CONTACT_LOGGERS).covers(person.grid_path):
        raise NotFound(_("No such person in your jurisdiction."), field="person")
    return person


def contacts_of(*, user: Any, person_id: int, limit: int = 50) -> list[dict[str, Any]]:
    person = person_for(user, person_id)
    rows = CareContact.objects.filter(person=person).select_related("recorded_by")
    return [contact_dict(c) for c in rows.order_by("-at", "-id")[:limit]]


def contact_dict(c: CareContact) -> dict[str, Any]:
    return {
        "id": c.pk,
        "person": c.person_id,
        "kind": c.kind,
        "kind_label": str(ContactKind(c.kind).label),
        "at": local(c.at),
        "reached": c.reached,
        "note": c.note,
        "recorded_by": {"id": c.recorded_by_id, "name": str(c.recorded_by)},
        "visit": c.visit_id,
    }


def watch_dicts(user: Any, watches: list[ContactWatch]) -> list[dict[str, Any]]:
    kinds = care_kinds_for(user)
    return [
        {
            "tag_kind": w.tag_kind,
            "tag_label": str(CareKind(w.tag_kind).label),
            "last_contact_at": local(w.last_contact_at),
            "due_at": local(w.due_at),
            "stage": w.stage,
        }
        for w in watches
        if w.tag_kind in kinds
    ]


def checked_kind(kind: str) -> str:
    if kind not in ContactKind.values:
        raise InvalidInput(
            Problem(_("Choose how you were in touch: phone, visit or message."), field="kind")
        )
    return kind
