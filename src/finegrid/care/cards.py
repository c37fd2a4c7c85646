"""The care card of a worker's home: the alert page to keep open, the open emergency calls they
were alerted to, and the enrolled people they look after, each with the one tap that starts the
chain when nobody opens the door (the 陈大爷 case)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from finegrid.accounts.jurisdiction import scope_for
from finegrid.accounts.models import Role, User
from finegrid.care.models import OPEN_STATUSES, EmergencyCall, Enrolment
from finegrid.care.roles import OFFICIALS

# those a chain may alert: the micro-grid workers and the officials above them
CHAIN_ROLES = frozenset({Role.MICRO_WORKER, *OFFICIALS})
SHOWN = 30


def care_card(user: Any, now: dt.datetime) -> dict[str, Any] | None:
    if not isinstance(user, User):
        return None
    scope = scope_for(user, roles=CHAIN_ROLES)
    if scope.empty:
        return None
    enrolments = list(
        scope.filter(
            Enrolment.objects.filter(ended_at__isnull=True).select_related("person", "household"),
            "grid_path",
        ).order_by("household__name", "pk")[: SHOWN + 1]
    )
    calls = list(
        EmergencyCall.objects.filter(recipients__user_id=user.pk, status__in=OPEN_STATUSES)
        .select_related("person", "household")
        .distinct()
        .order_by("-created_at")[:10]
    )
    return {"enrolments": enrolments[:SHOWN], "more": len(enrolments) > SHOWN, "calls": calls}


def register() -> None:
    from finegrid.workforce import home_cards

    home_cards.register(
        home_cards.Card(name="care", order=5, template="care/_card_care.html", context=care_card)
    )
