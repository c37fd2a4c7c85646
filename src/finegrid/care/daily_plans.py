"""The contact plans of daily care: the defaults, a community's own, and when a contact is due.

Defaults (``DEFAULT_PLANS``, overridable whole by ``settings.CARE_CONTACT_PLANS``): someone living
alone is contacted every day (a call, a visit or a message), someone aged 80 or over visited every
week, someone disabled contacted every month. A community keeps its own plan for any care-tag
kind (``ContactPlan``); its rows replace the default of that kind.

A contact is due at ``DUE_HOUR`` (18:00 Beijing time) of the day ``every_days`` after the last
one: a worker has the whole working day to make the daily call, and the alert reaches them
while they are still at work, not at midnight.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finegrid.care.models import ContactPlan
from finegrid.core.errors import InvalidInput, Problem
from finegrid.registry.models import CareKind

DEFAULT_PLANS: dict[str, dict[str, Any]] = {
    CareKind.LIVING_ALONE: {"every_days": 1, "visit_only": False, "escalate_hours": 4},
    CareKind.AGED_80: {"every_days": 7, "visit_only": True, "escalate_hours": 24},
    CareKind.DISABLED: {"every_days": 30, "visit_only": False, "escalate_hours": 72},
}
MAX_EVERY_DAYS = 92
MAX_ESCALATE_HOURS = 168


@dataclass(frozen=True)
class Plan:
    tag_kind: str
    every_days: int
    visit_only: bool
    escalate_hours: int
    active: bool = True
    default: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "tag_kind": self.tag_kind,
            "label": str(CareKind(self.tag_kind).label),
            "every_days": self.every_days,
            "visit_only": self.visit_only,
            "escalate_hours": self.escalate_hours,
            "active": self.active,
            "default": self.default,
        }


def due_hour() -> int:
    return int(getattr(settings, "CARE_CONTACT_DUE_HOUR", 18))


def defaults() -> dict[str, Plan]:
    raw = getattr(settings, "CARE_CONTACT_PLANS", None) or DEFAULT_PLANS
    return {
        str(kind): Plan(
            tag_kind=str(kind),
            every_days=int(p["every_days"]),
            visit_only=bool(p.get("visit_only", False)),
            escalate_hours=int(p["escalate_hours"]),
            default=True,
        )
        for kind, p in raw.items()
    }


def plans_by_community(community_ids: list[int] | None = None) -> dict[int | None, dict[str, Plan]]:
    """Each community's plans by kind (its rows over the defaults); key None is the defaults.
    Inactive plans are kept, so a caller can tell "switched off" from "never set"."""
    base = defaults()
    out: dict[int | None, dict[str, Plan]] = {None: base}
    rows = ContactPlan.objects.all()
    if community_ids is not None:
        rows = rows.filter(community_id__in=community_ids)
    for row in rows.order_by("community_id", "tag_kind"):
        plans = out.setdefault(row.community_id, dict(base))
        plans[row.tag_kind] = Plan(
            tag_kind=row.tag_kind,
            every_days=row.every_days,
            visit_only=row.visit_only,
            escalate_hours=row.escalate_hours,
            active=row.active,
        )
    return out


def plans_of(table: dict[int | None, dict[str, Plan]], community_id: int) -> dict[str, Plan]:
    return table.get(community_id) or table[None]


def due_after(moment: dt.datetime, every_days: int) -> dt.datetime:
    """``DUE_HOUR`` o'clock, local time, ``every_days`` days after the local day of ``moment``."""
    day = timezone.localtime(moment).date() + dt.timedelta(days=every_days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(due_hour(), 0)))


def checked_plans(rows: list[dict[str, Any]]) -> list[Plan]:
    """Refuse a set of plans that could not run, naming the row (1-based) and field of each."""
    problems: list[Problem] = []
    seen: set[str] = set()
    out: list[Plan] = []
    for row, raw in enumerate(rows, start=1):
        kind = str(raw.get("tag_kind") or "")
        if kind not in CareKind.values:
            problems.append(Problem(_("Unknown kind of care tag."), field="tag_kind", row=row))
        elif kind in seen:
            problems.append(
                Problem(_("This kind of care tag is given twice."), field="tag_kind", row=row)
            )
        seen.add(kind)
        every = _int(raw.get("every_days"))
        if not 1 <= every <= MAX_EVERY_DAYS:
            problems.append(
                Problem(
                    _("Contact every 1 to %(max)d days."),
                    field="every_days",
                    row=row,
                    params={"max": MAX_EVERY_DAYS},
                )
            )
        hours = _int(raw.get("escalate_hours"))
        if not 1 <= hours <= MAX_ESCALATE_HOURS:
            problems.append(
                Problem(
                    _("Alert the grid head 1 to %(max)d hours after a missed contact."),
                    field="escalate_hours",
                    row=row,
                    params={"max": MAX_ESCALATE_HOURS},
                )
            )
        out.append(
            Plan(
                tag_kind=kind,
                every_days=every,
                visit_only=bool(raw.get("visit_only", False)),
                escalate_hours=hours,
                active=bool(raw.get("active", True)),
            )
        )
    if problems:
        raise InvalidInput(problems)
    return out


def _int(value: Any) -> int:
    if isinstance(value, bool):
        return -1
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1
