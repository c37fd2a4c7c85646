"""The worker's home (今日工作): what a micro-grid worker, grid worker or grid head sees first.

Every part is one or two indexed queries for one user, so the page costs the same however many
cases, shifts, notifications or check-ins there are (the cards other parts register add theirs).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from finegrid.accounts.jurisdiction import user_roles
from finegrid.accounts.models import Role
from finegrid.cases.selectors import my_tasks
from finegrid.cases.views import deadline_of
from finegrid.grids.models import Duty, Household, Responsibility
from finegrid.notifications.selectors import notification_list
from finegrid.workforce import home_cards
from finegrid.workforce.models import Checkin, Shift

# who lands on the home after login; anyone holding another post keeps the map (an official
# who is also a grid head comes to oversee, not to be told today's round)
WORKER_ROLES = frozenset({Role.MICRO_WORKER, Role.GRID_WORKER, Role.GRID_HEAD})
OTHER_POSTS = frozenset(
    {
        Role.STREET_LEADER,
        Role.STREET_OFFICIAL,
        Role.COMMUNITY_OFFICIAL,
        Role.DEPARTMENT_STAFF,
        Role.SYSTEM_ADMIN,
        Role.AUDITOR,
        Role.MERCHANT,
    }
)
TASKS_SHOWN = 5
NOTICES_SHOWN = 3
CHECKINS_SHOWN = 3


def is_worker(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or getattr(user, "is_superuser", False):
        return False
    roles = user_roles(user)
    return bool(roles & WORKER_ROLES) and not roles & OTHER_POSTS


def worker_landing(user: Any) -> str | None:
    """Registered in ``grids.landing``: a worker's first page is today's work, not the map."""
    return reverse("workforce:home") if is_worker(user) else None


@dataclass
class Households:
    count: int = 0
    grid_code: str = ""  # the micro-grid whose roster lists them
    grid_name: str = ""


@dataclass
class Home:
    tasks: list[dict[str, Any]] = field(default_factory=list)
    open_tasks: int = 0
    next_shift: Shift | None = None
    on_shift: bool = False
    unread: int = 0
    notices: list[Any] = field(default_factory=list)
    cards: list[tuple[home_cards.Card, dict[str, Any]]] = field(default_factory=list)
    households: Households = field(default_factory=Households)
    checkins: list[Checkin] = field(default_factory=list)


def worker_home(*, user: Any, now: dt.datetime) -> Home:
    home = Home()
    tasks = my_tasks(user=user)
    home.tasks = [
        {"case": c, "deadline": deadline_of(c, now), "mine": c.assignee_id == user.pk}
        for c in tasks[:TASKS_SHOWN]
    ]
    home.open_tasks = len(home.tasks) if len(home.tasks) < TASKS_SHOWN else tasks.order_by().count()
    home.next_shift = (
        Shift.objects.filter(person=user, ends_at__gt=now)
        .select_related("station", "grid")
        .order_by("starts_at", "id")
        .first()
    )
    home.on_shift = home.next_shift is not None and home.next_shift.starts_at <= now
    unread = notification_list(user=user, unread_only=True)
    home.notices = list(unread.order_by("-created_at", "-id")[:NOTICES_SHOWN])
    home.unread = len(home.notices) if len(home.notices) < NOTICES_SHOWN else unread.count()
    home.cards = home_cards.cards_for(user, now)
    home.households = my_households(user=user)
    home.checkins = list(
        Checkin.objects.filter(created_by=user)
        .select_related("code")
        .order_by("-at", "-id")[:CHECKINS_SHOWN]
    )
    return home


def my_households(*, user: Any) -> Households:
    """The households the worker answers for (五级责任: 微网格员包住户); without a duty per
    household, those of the micro-grid(s) the worker serves. Two queries."""
    duties = list(
        Responsibility.objects.current()
        .filter(person=user, duty__in=[Duty.HOUSEHOLD_WORKER, Duty.MICRO_WORKER])
        .values_list("duty", "household_id", "grid_id", "grid__code", "grid__name")
    )
    own = {h for duty, h, _g, _c, _n in duties if duty == Duty.HOUSEHOLD_WORKER and h}
    grids = [(g, code, name) for duty, _h, g, code, name in duties if duty == Duty.MICRO_WORKER]
    first = grids[0] if grids else (None, "", "")
    if own:
        return Households(count=len(own), grid_code=first[1], grid_name=first[2])
    if not grids:
        return Households()
    count = Household.objects.filter(micro_grid_id__in=[g for g, _c, _n in grids]).count()
    return Households(count=count, grid_code=first[1], grid_name=first[2])
