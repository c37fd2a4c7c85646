"""What an alert says, in both languages, built when the outbox row is written (so a message
sent after a restart says what it said when the step started)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from finegrid.care.models import ChainRole, EmergencyCall
from finegrid.core.errors import bilingual


def alert_payload(call: EmergencyCall, step: int) -> dict[str, Any]:
    role = call.plan[step]["role"] if 0 <= step < len(call.plan) else ""
    text = bilingual(
        _("Emergency call: %(person)s at %(place)s pressed for help. Acknowledge in the app."),
        {"person": call.person.name, "place": call.household.name},
    )
    return {
        "type": "care.alert",
        "call": call.pk,
        "step": step,
        "role": role,
        "role_label": bilingual(ChainRole(role).label) if role else {},
        "person": call.person.name,
        "place": call.household.name,
        "lat": call.household.lat,
        "lng": call.household.lng,
        "source": call.source,
        "raised_at": call.created_at.isoformat() if call.created_at else None,
        **text,
    }


def update_payload(call_id: int, what: str) -> dict[str, Any]:
    texts = {
        "acknowledged": _("The call has been acknowledged."),
        "closed": _("The call has been closed."),
        "unanswered": _("Nobody answered the chain: a red case has been opened."),
    }
    return {"type": "care.update", "call": call_id, "what": what, **bilingual(texts[what])}


def unanswered_case(person: str, place: str, call_id: int) -> str:
    return str(
        _(
            "Emergency call %(call)s of %(person)s at %(place)s: nobody in the chain answered. "
            "Check on them now."
        )
        % {"call": call_id, "person": person, "place": place}
    )
