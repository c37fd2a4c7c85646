"""The outbox: messages written with the change that causes them, sent after it commits.

``send_now`` is called when the writing transaction commits, in the same process, so an alert
leaves at once; ``outbox_drain`` (a periodic job in every server) sends whatever is left — rows
of a process killed before it sent them, and retries. A row is claimed by moving its ``due_at``
forward with a conditional UPDATE, so two processes never send the same row at the same time; a
process killed while sending leaves a claim that expires and is sent again (at least once: the
page and the gateways show a message once by its ids).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db.models import F
from django.utils import timezone

from finegrid.care import delivery
from finegrid.care.models import CallEvent, EventKind, Outbound, OutboundKind, OutboundStatus

logger = logging.getLogger(__name__)

CLAIM = dt.timedelta(seconds=10)  # a sender has this long before another may try
MAX_ATTEMPTS = 8


def _backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(2**attempts, 300))


def _claim(pk: int, now: dt.datetime) -> bool:
    return bool(
        Outbound.objects.filter(pk=pk, status=OutboundStatus.PENDING, due_at__lte=now).update(
            due_at=now + CLAIM, attempts=F("attempts") + 1
        )
    )


def _send(row: Outbound, adapters: dict[str, delivery.Adapter]) -> None:
    now = timezone.now()
    adapter = adapters.get(row.channel)
    try:
        if adapter is None:
            raise RuntimeError(f"channel {row.channel} is not configured")
        adapter(row)
    except Exception as exc:  # a failed channel is retried, never fatal
        logger.warning("care: outbound %s (%s) failed: %s", row.pk, row.channel, exc)
        given_up = row.attempts >= MAX_ATTEMPTS
        Outbound.objects.filter(pk=row.pk).update(
            status=OutboundStatus.FAILED if given_up else OutboundStatus.PENDING,
            due_at=now + _backoff(row.attempts),
            error=str(exc)[:300],
        )
        if given_up and row.kind == OutboundKind.ALERT:
            CallEvent.objects.create(
                call_id=row.call_id,
                at=now,
                kind=EventKind.FAILED,
                step=row.step,
                data={"channel": row.channel, "to": row.recipient_id, "error": str(exc)[:200]},
            )
        return
    Outbound.objects.filter(pk=row.pk).update(status=OutboundStatus.SENT, sent_at=now, error="")


def send_now(ids: list[int]) -> int:
    """Send these rows if nobody else has (called on commit of the change that wrote them)."""
    now = timezone.now()
    adapters = delivery.adapters()
    sent = 0
    for pk in ids:
        if not _claim(pk, now):
            continue
        row = Outbound.objects.filter(pk=pk).first()
        if row is not None:
            _send(row, adapters)
            sent += 1
    return sent


def outbox_drain(limit: int = 200) -> int:
    """Send every row that is due (never sent, a retry, or an expired claim)."""
    now = timezone.now()
    due = list(
        Outbound.objects.filter(status=OutboundStatus.PENDING, due_at__lte=now)
        .order_by("due_at")
        .values_list("pk", flat=True)[:limit]
    )
    return send_now(due) if due else 0
