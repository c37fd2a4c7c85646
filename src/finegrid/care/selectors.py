"""Reads of emergency calls: one call with its steps, alerts and trace, and the calls a user may
see. A call is read by those alerted to it, the one who raised it, the person it is for, and the
officials whose jurisdiction holds it; anyone else is told it does not exist."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finegrid.accounts.jurisdiction import scope_for
from finegrid.accounts.models import User
from finegrid.care.models import (
    OPEN_STATUSES,
    CallEvent,
    CallRecipient,
    ChainRole,
    Channel,
    EmergencyCall,
    EventKind,
    Outbound,
    OutboundStatus,
)
from finegrid.care.roles import OFFICIALS
from finegrid.care.services import may_read
from finegrid.core.errors import NotFound


def local(moment: dt.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def call_get(user: Any, pk: int) -> EmergencyCall:
    call = (
        EmergencyCall.objects.select_related(
            "person", "household", "micro_grid", "community", "acknowledged_by", "closed_by"
        )
        .filter(pk=pk)
        .first()
    )
    if call is None or not may_read(call, user):
        raise NotFound(_("No such emergency call."))
    return call


def calls_visible(user: User) -> QuerySet[EmergencyCall]:
    scope = scope_for(user, roles=OFFICIALS)
    alerted = Q(recipients__user_id=user.pk) | Q(raised_by_id=user.pk) | Q(person__user_id=user.pk)
    mine = EmergencyCall.objects.filter(alerted).values("pk")
    seen = scope.filter(EmergencyCall.objects.all(), "grid_path").values("pk")
    if scope.empty:
        return EmergencyCall.objects.filter(pk__in=mine)
    return EmergencyCall.objects.filter(Q(pk__in=mine) | Q(pk__in=seen))


def calls_list(user: User, *, status: str = "open", limit: int = 50) -> list[EmergencyCall]:
    qs = calls_visible(user).select_related("person", "household", "micro_grid", "acknowledged_by")
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status != "all":
        qs = qs.filter(status=status)
    return list(qs.order_by("-created_at", "-pk")[:limit])


def _who(user: User | None) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "name": str(user)}


def call_summary(call: EmergencyCall) -> dict[str, Any]:
    step = call.plan[call.step] if 0 <= call.step < len(call.plan) else None
    return {
        "id": call.pk,
        "status": call.status,
        "status_label": str(call.get_status_display()),
        "source": call.source,
        "source_label": str(call.get_source_display()),
        "person": call.person.name,
        "place": call.household.name,
        "micro_grid": {"code": call.micro_grid.code, "name": call.micro_grid.name},
        "step": call.step,
        "step_role": step["role"] if step else None,
        "step_label": str(ChainRole(step["role"]).label) if step else None,
        "deadline": local(call.deadline),
        "raised_at": local(call.created_at),
        "acknowledged_by": _who(call.acknowledged_by),
        "acknowledged_at": local(call.acknowledged_at),
        "outcome": call.outcome or None,
        "outcome_label": str(call.get_outcome_display()) if call.outcome else None,
        "closed_at": local(call.closed_at),
        "case": call.case_id,
    }


def call_detail(call: EmergencyCall) -> dict[str, Any]:
    recipients = list(
        CallRecipient.objects.filter(call=call).select_related("user").order_by("step", "id")
    )
    sent = {
        (o.recipient_id, o.channel): o
        for o in Outbound.objects.filter(call=call, recipient__isnull=False).only(
            "recipient_id", "channel", "status", "sent_at", "attempts"
        )
    }
    events = list(CallEvent.objects.filter(call=call).select_related("actor").order_by("at", "id"))
    started = {e.step: e for e in events if e.kind == EventKind.STEP}
    skipped = {e.step for e in events if e.kind == EventKind.STEP_SKIPPED}
    steps = []
    for i, s in enumerate(call.plan):
        state = "started" if i in started else "skipped" if i in skipped else "waiting"
        steps.append(
            {
                "index": i,
                "role": s["role"],
                "role_label": str(ChainRole(s["role"]).label),
                "seconds": s["seconds"],
                "state": state,
                "started_at": local(started[i].at) if i in started else None,
                "alerted": [
                    {
                        "name": r.name,
                        "user": r.user_id,
                        "phone": r.phone_masked,
                        "reason": r.reason,
                        "channels": {ch: o.status for (rid, ch), o in sent.items() if rid == r.pk},
                        "deliveries": [
                            {
                                "channel": ch,
                                "status": o.status,
                                "label": f"{Channel(ch).label}: {OutboundStatus(o.status).label}",
                            }
                            for (rid, ch), o in sent.items()
                            if rid == r.pk
                        ],
                    }
                    for r in recipients
                    if r.step == i
                ],
            }
        )
    return {
        **call_summary(call),
        "on_way_at": local(call.on_way_at),
        "arrived_at": local(call.arrived_at),
        "arrival": (
            {"lat": call.arrived_lat, "lng": call.arrived_lng, "accuracy": call.arrived_accuracy}
            if call.arrived_at
            else None
        ),
        "close_note": call.close_note,
        "steps": steps,
        "events": [
            {
                "at": local(e.at),
                "kind": e.kind,
                "label": str(e.get_kind_display()),
                "step": e.step,
                "actor": _who(e.actor),
                "data": e.data,
            }
            for e in events
        ],
    }
