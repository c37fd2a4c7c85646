"""Reads of the meal rounds: subscriptions under a grid, a deliverer's round of the day, the
welfare checks a worker has to clear. Names are shown as the registry shows them: in full to
those who read the registry where the person lives, masked (陈**) to a rider or volunteer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finegrid.accounts.jurisdiction import scope_for
from finegrid.accounts.models import User
from finegrid.care import responders
from finegrid.care.models import (
    DeliveryStatus,
    Diet,
    MealDelivery,
    MealSubscription,
    Payer,
    WelfareCheck,
    WelfareStatus,
)
from finegrid.care.services_daily import CONTACT_LOGGERS
from finegrid.care.services_meals import meal_round_for
from finegrid.core.errors import NotFound
from finegrid.core.paths import under
from finegrid.grids.models import Grid
from finegrid.registry.permissions import REGISTRY_READERS

SUBSCRIPTION_LIMIT = 1000


def local(moment: dt.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def days_label(days: str) -> str:
    names = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]
    return " ".join(str(names[int(d) - 1]) for d in days if d.isdigit() and 1 <= int(d) <= 7)


# --- subscriptions ---------------------------------------------------------------------------


def subscriptions_list(
    *,
    user: Any,
    grid: Grid | None = None,
    deliverer: str = "",
    include_ended: bool = False,
    ids: list[int] | None = None,
    limit: int = SUBSCRIPTION_LIMIT,
) -> list[dict[str, Any]]:
    """Subscriptions in the user's jurisdiction (under ``grid``); three queries for any number."""
    scope = scope_for(user, roles=CONTACT_LOGGERS)
    qs = scope.filter(MealSubscription.objects.all(), "grid_path")
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    if grid is not None:
        qs = qs.filter(under("grid_path", grid.path))
    if deliverer:
        qs = qs.filter(deliverer__username=deliverer.strip())
    if not include_ended:
        qs = qs.filter(ended_at__isnull=True)
    subs = list(
        qs.select_related("person", "household", "micro_grid", "deliverer").order_by(
            "grid_path", "household__address", "id"
        )[:limit]
    )
    readers = scope_for(user, roles=REGISTRY_READERS)
    return [subscription_dict(user, s, readers) for s in subs]


def subscription_dict(user: Any, s: MealSubscription, readers: Any = None) -> dict[str, Any]:
    return {
        "id": s.pk,
        "person": {
            "id": s.person_id,
            "name": responders.name_for(user, s.person.name, s.grid_path, scope=readers),
        },
        "place": s.household.address,
        "micro_grid": {"code": s.micro_grid.code, "name": s.micro_grid.name},
        "days": [int(d) for d in s.days],
        "days_label": days_label(s.days),
        "diet": s.diet,
        "diet_label": str(Diet(s.diet).label),
        "diet_note": s.diet_note,
        "price": str(s.price),
        "payer": s.payer,
        "payer_label": str(Payer(s.payer).label),
        "deliverer": {"username": s.deliverer.username, "name": str(s.deliverer)},
        "starts_on": s.starts_on.isoformat(),
        "ended_at": local(s.ended_at),
    }


# --- the round -------------------------------------------------------------------------------


def deliverer_for(user: Any, username: str) -> User:
    """The deliverer named (oneself when none is): another's round is for officials whose
    jurisdiction holds some of it, checked once the round is read."""
    username = (username or "").strip()
    if not username or username == getattr(user, "username", None):
        if not isinstance(user, User):
            raise NotFound(_("No such deliverer."), field="deliverer")
        return user
    found = User.objects.filter(username=username).first()
    if found is None or scope_for(user, roles=CONTACT_LOGGERS).empty:
        raise NotFound(_("No such deliverer."), field="deliverer")
    return found


def round_today(*, user: Any, deliverer: User, day: dt.date | None = None) -> dict[str, Any]:
    """The deliverer's round of the day in walking order, made if it is not yet. The deliverer
    sees all of it; an official only the meals in their jurisdiction (none: 404). A fixed number
    of queries whatever the size of the round (seven, or five once it is made)."""
    day = day or timezone.localdate()
    found = meal_round_for(deliverer=deliverer, day=day)
    qs = MealDelivery.objects.filter(round=found)
    own = deliverer.pk == user.pk
    if not own:
        qs = scope_for(user, roles=CONTACT_LOGGERS).filter(qs, "grid_path")
    deliveries = list(
        qs.select_related(
            "person",
            "household",
            "household__building",
            "household__unit",
            "subscription",
            "welfare_check",
        ).order_by("walk_key", "id")
    )
    if not own and not deliveries:
        raise NotFound(_("No such deliverer."), field="deliverer")
    readers = scope_for(user, roles=REGISTRY_READERS)
    rows = [delivery_dict(user, d, i, readers) for i, d in enumerate(deliveries, start=1)]
    counts = {s: 0 for s in DeliveryStatus.values}
    for d in deliveries:
        counts[d.status] += 1
    return {
        "round": found.pk,
        "day": found.day.isoformat(),
        "deliverer": {"username": deliverer.username, "name": str(deliverer)},
        "counts": counts,
        "deliveries": rows,
    }


def _welfare(d: MealDelivery) -> WelfareCheck | None:
    try:
        return d.welfare_check
    except WelfareCheck.DoesNotExist:
        return None


def delivery_dict(user: Any, d: MealDelivery, seq: int, readers: Any = None) -> dict[str, Any]:
    home = d.household
    room = (home.room or "").strip()
    check = _welfare(d)
    return {
        "id": d.pk,
        "seq": seq,
        "person": responders.name_for(user, d.person.name, d.grid_path, scope=readers),
        "place": home.address,
        "building": home.building.name if home.building else "",
        "unit": home.unit.number if home.unit else None,
        "floor": int(room[:-2]) if room.isdigit() and len(room) >= 3 else None,
        "room": room,
        "diet": d.diet,
        "diet_label": str(Diet(d.diet).label),
        "diet_note": d.subscription.diet_note,
        "status": d.status,
        "status_label": str(DeliveryStatus(d.status).label),
        "confirmed_at": local(d.confirmed_at),
        "note": d.note,
        "welfare": welfare_brief(check) if check else None,
    }


def welfare_brief(check: WelfareCheck) -> dict[str, Any]:
    return {
        "id": check.pk,
        "status": check.status,
        "status_label": str(WelfareStatus(check.status).label),
        "due_at": local(check.due_at),
        "call": check.call_id,
        "case": check.case_id,
    }


# --- welfare checks --------------------------------------------------------------------------


def welfare_checks_for(*, user: Any, status: str = "open", limit: int = 100) -> list[WelfareCheck]:
    """The checks assigned to the user, and those in their jurisdiction."""
    scope = scope_for(user, roles=CONTACT_LOGGERS)
    mine = Q(assigned_to_id=user.pk) | Q(opened_by_id=user.pk)
    qs = WelfareCheck.objects.filter(mine)
    if not scope.empty:
        qs = WelfareCheck.objects.filter(
            Q(pk__in=qs.values("pk"))
            | Q(pk__in=scope.filter(WelfareCheck.objects.all(), "grid_path").values("pk"))
        )
    if status == "open":
        qs = qs.filter(status__in=(WelfareStatus.OPEN, WelfareStatus.ESCALATING))
    elif status != "all":
        qs = qs.filter(status=status)
    return list(
        qs.select_related("person", "household", "micro_grid", "assigned_to", "opened_by").order_by(
            "due_at", "id"
        )[:limit]
    )


def welfare_dict(user: Any, c: WelfareCheck, readers: Any = None) -> dict[str, Any]:
    return {
        **welfare_brief(c),
        "delivery": c.delivery_id,
        "person": responders.name_for(user, c.person.name, c.grid_path, scope=readers),
        "place": c.household.address,
        "micro_grid": {"code": c.micro_grid.code, "name": c.micro_grid.name},
        "opened_at": local(c.created_at),
        "opened_by": {"id": c.opened_by_id, "name": str(c.opened_by)},
        "assigned_to": (
            {"id": c.assigned_to_id, "name": str(c.assigned_to)} if c.assigned_to_id else None
        ),
        "cleared_at": local(c.cleared_at),
        "note": c.note,
        "escalated_at": local(c.escalated_at),
    }


def welfare_list(*, user: Any, status: str = "open") -> list[dict[str, Any]]:
    readers = scope_for(user, roles=REGISTRY_READERS)
    return [welfare_dict(user, c, readers) for c in welfare_checks_for(user=user, status=status)]
