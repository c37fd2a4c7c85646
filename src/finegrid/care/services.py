"""Writes of the emergency call, from press to close; the enrolment, devices and chain it needs
are prepared by services_enrolment.

A call is stored first, in a transaction of its own, with its first step due at once; the step
then starts in a second transaction that writes who is alerted and the outbox rows. A process
killed between the two leaves a call whose step is due, which the sweep (``calls_sweep``, twice a
second in every server) starts. Every move of a call is a conditional UPDATE on its status and
step, so two processes (a request and the sweep, or two sweeps) never both move it; the unique
"step started" event is the second guard.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finegrid.accounts.jurisdiction import scope_for
from finegrid.accounts.models import User
from finegrid.care import chain, messages
from finegrid.care.models import (
    OPEN_STATUSES,
    WAITING_STATUSES,
    CallEvent,
    CallRecipient,
    CallStatus,
    Channel,
    Device,
    EmergencyCall,
    Enrolment,
    EventKind,
    Outbound,
    OutboundKind,
    Outcome,
    RefusalKind,
)
from finegrid.care.roles import OFFICIALS, Conflict
from finegrid.care.services_enrolment import refusal_record
from finegrid.core import pii
from finegrid.core.errors import FinegridError, Forbidden, InvalidInput, Problem

logger = logging.getLogger(__name__)

# --- a call ----------------------------------------------------------------------------------


def _digest(body: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def call_raise(
    *,
    enrolment: Enrolment,
    source: str,
    device: Device | None = None,
    raised_by: User | None = None,
    body: dict[str, Any] | None = None,
    idempotency_key: str = "",
    caller: str = "",
    ip: str | None = None,
    now: dt.datetime | None = None,
) -> tuple[EmergencyCall, bool]:
    """Store a call and start its chain. Answers (call, created): a replay of the same key by the
    same caller with the same body answers the first call; with another body it is refused."""
    body = dict(body or {})
    now = now or timezone.now()
    if enrolment.ended_at is not None:
        raise Conflict(_("The enrolment has ended."), field="enrolment")
    lat, lng = body.get("lat"), body.get("lng")
    scoped = f"{caller}:{idempotency_key}" if idempotency_key else None
    digest = _digest(body)
    call = EmergencyCall(
        enrolment=enrolment,
        person_id=enrolment.person_id,
        household_id=enrolment.household_id,
        micro_grid_id=enrolment.micro_grid_id,
        community_id=enrolment.community_id,
        grid_path=enrolment.grid_path,
        source=source,
        device=device,
        raised_by=raised_by,
        note=str(body.get("note") or "")[:200],
        lat=lat,
        lng=lng,
        idempotency_key=scoped,
        body_digest=digest,
        plan=chain.chain_of(enrolment.community_id),
        step=-1,
        deadline=now,  # the first step is due at once: the sweep starts it if we die here
    )
    try:
        with transaction.atomic():
            call.save(force_insert=True)
            CallEvent.objects.create(
                call=call,
                at=now,
                kind=EventKind.PRESSED,
                actor=raised_by,
                data={"source": source, "device": device.pk if device else None},
            )
    except IntegrityError:
        earlier = EmergencyCall.objects.filter(idempotency_key=scoped).first() if scoped else None
        if earlier is None:
            raise
        if earlier.body_digest != digest:
            refusal_record(
                kind=RefusalKind.REPLAY, call=earlier, device=device, actor=raised_by, ip=ip
            )
            raise InvalidInput(
                Problem(
                    _("This Idempotency-Key was used for another call."), field="Idempotency-Key"
                )
            ) from None
        return earlier, False
    if device is not None:
        Device.objects.filter(pk=device.pk).update(last_heartbeat_at=now)
    call_advance(call.pk, from_step=-1, now=now)
    call.refresh_from_db()
    return call, True


def call_advance(call_id: int, *, from_step: int, now: dt.datetime | None = None) -> bool:
    """Start the step after ``from_step`` (skipping steps with nobody to alert); with none left,
    the call is unanswered and a red case is opened. False when another process moved it first."""
    now = now or timezone.now()
    call = (
        EmergencyCall.objects.select_related("micro_grid", "household", "person")
        .filter(pk=call_id)
        .first()
    )
    if call is None or call.step != from_step or call.status != CallStatus.ALERTING:
        return False
    plan = call.plan
    # read who to alert before the write transaction (on SQLite one writer holds the database)
    skipped: list[int] = []
    nxt = from_step + 1
    found: list[chain.Target] = []
    from finegrid.care import delivery

    phoned = bool(delivery.enabled_channels() & {Channel.SMS, Channel.VOICE})
    while nxt < len(plan):
        try:
            # someone with a login sees the app; a phone only counts with a gateway to ring it
            found = [
                t
                for t in chain.targets(call, plan[nxt]["role"], now)
                if t.user_id or (t.phone and phoned)
            ]
        except Exception:
            # a step that cannot be resolved must not stop the chain
            logger.exception("care: resolving step %s of call %s failed", nxt, call_id)
            found = []
        if found:
            break
        skipped.append(nxt)
        nxt += 1
    exhausted = nxt >= len(plan)
    with transaction.atomic():
        moved = EmergencyCall.objects.filter(
            pk=call_id, step=from_step, status=CallStatus.ALERTING
        ).update(
            step=(len(plan) - 1) if exhausted else nxt,
            status=CallStatus.UNANSWERED if exhausted else CallStatus.ALERTING,
            deadline=None if exhausted else now + dt.timedelta(seconds=plan[nxt]["seconds"]),
            updated_at=now,
        )
        if not moved:
            return False
        for s in skipped:
            CallEvent.objects.create(
                call=call, at=now, kind=EventKind.STEP_SKIPPED, step=s, data=plan[s]
            )
        if exhausted:
            CallEvent.objects.create(call=call, at=now, kind=EventKind.UNANSWERED)
            case_id = _open_red_case(call, now)
            if case_id is not None:
                EmergencyCall.objects.filter(pk=call_id).update(case_id=case_id)
                CallEvent.objects.create(
                    call=call, at=now, kind=EventKind.CASE_OPENED, data={"case": case_id}
                )
            ids = _updates(call, now, "unanswered")
        else:
            CallEvent.objects.create(
                call=call,
                at=now,
                kind=EventKind.STEP,
                step=nxt,
                data={
                    "role": plan[nxt]["role"],
                    "seconds": plan[nxt]["seconds"],
                    "alerted": [t.name for t in found],
                },
            )
            ids = _alerts(call, nxt, found, now)
        _send_after_commit(ids)
    return True


def _open_red_case(call: EmergencyCall, now: dt.datetime) -> int | None:
    from finegrid.cases.models import Urgency
    from finegrid.cases.services import CaseReport, case_report

    report = CaseReport(
        category="special_care",
        description=str(messages.unanswered_case(call.person.name, call.household.name, call.pk)),
        source="module",
        household_id=call.household_id,
        urgency=Urgency.CRITICAL,
    )
    try:
        with transaction.atomic():
            case, _created = case_report(
                actor=None,
                report=report,
                idempotency_key=f"care-call-{call.pk}",
                caller="care",
                now=now,
            )
    except Exception:
        # the chain's end is recorded whatever happens to the case
        logger.exception("care: opening the red case of call %s failed", call.pk)
        return None
    return case.pk


def _alerts(
    call: EmergencyCall, step: int, found: list[chain.Target], now: dt.datetime
) -> list[int]:
    """The step's recipients and their outbox rows, one per channel each has."""
    from finegrid.care import delivery

    enabled = delivery.enabled_channels()
    phones = dict(
        User.objects.filter(pk__in=[t.user_id for t in found if t.user_id]).values_list(
            "pk", "phone"
        )
    )
    payload = messages.alert_payload(call, step)
    rows: list[Outbound] = []
    for t in found:
        rec = CallRecipient.objects.create(
            call=call,
            step=step,
            role=t.role,
            reason=t.reason,
            user_id=t.user_id,
            name=t.name[:64],
            phone_masked=t.phone_masked,
        )
        phone = t.phone or (phones.get(t.user_id, "") if t.user_id else "")
        channels = [Channel.WEBSOCKET] if t.user_id else []
        if phone:
            channels += [c for c in (Channel.SMS, Channel.VOICE) if c in enabled]
        for ch in channels:
            rows.append(
                Outbound(
                    call=call,
                    kind=OutboundKind.ALERT,
                    step=step,
                    channel=ch,
                    recipient=rec,
                    user_id=t.user_id if ch == Channel.WEBSOCKET else None,
                    phone_enc=pii.encrypt(phone) if ch != Channel.WEBSOCKET else "",
                    payload=payload,
                    due_at=now,
                    created_at=now,
                )
            )
    if Channel.WECOM in enabled:
        rows.append(
            Outbound(
                call=call,
                kind=OutboundKind.ALERT,
                step=step,
                channel=Channel.WECOM,
                payload=payload,
                due_at=now,
                created_at=now,
            )
        )
    # both databases return the new ids from a bulk insert (SQLite ≥ 3.35, PostgreSQL)
    return [o.pk for o in Outbound.objects.bulk_create(rows)]


def _updates(call: EmergencyCall, now: dt.datetime, what: str) -> list[int]:
    """Tell every login alerted so far that the call moved (their alert screens change)."""
    users = set(
        CallRecipient.objects.filter(call=call, user__isnull=False).values_list(
            "user_id", flat=True
        )
    )
    payload = messages.update_payload(call.pk, what)
    rows = [
        Outbound(
            call=call,
            kind=OutboundKind.UPDATE,
            channel=Channel.WEBSOCKET,
            user_id=u,
            payload=payload,
            due_at=now,
            created_at=now,
        )
        for u in sorted(users)
    ]
    return [o.pk for o in Outbound.objects.bulk_create(rows)]


def _send_after_commit(ids: list[int]) -> None:
    from finegrid.care import outbox

    if ids:
        transaction.on_commit(lambda: outbox.send_now(ids))


def calls_sweep(now: dt.datetime | None = None, limit: int = 200) -> int:
    """Start the next step of every call whose step is due. Answers how many moved."""
    now = now or timezone.now()
    due = list(
        EmergencyCall.objects.filter(deadline__lte=now, status=CallStatus.ALERTING)
        .order_by("deadline")
        .values_list("pk", "step")[:limit]
    )
    moved = 0
    for pk, step in due:
        try:
            moved += call_advance(pk, from_step=step, now=timezone.now())
        except IntegrityError:
            # another process started this step between our read and our write
            continue
    return moved


# --- who may do what with a call -------------------------------------------------------------


def in_chain(call: EmergencyCall, user: Any) -> bool:
    return (
        isinstance(user, User) and CallRecipient.objects.filter(call=call, user_id=user.pk).exists()
    )


def is_superior(call: EmergencyCall, user: Any) -> bool:
    return isinstance(user, User) and scope_for(user, roles=OFFICIALS).covers(call.grid_path)


def may_read(call: EmergencyCall, user: Any) -> bool:
    if not isinstance(user, User):
        return False
    if call.raised_by_id == user.pk or call.person.user_id == user.pk:
        return True
    return in_chain(call, user) or is_superior(call, user)


def _refuse(call: EmergencyCall, actor: Any, kind: str, error: FinegridError, ip: str | None):
    refusal_record(kind=kind, call=call, actor=actor, ip=ip)
    raise error


def _closed_error() -> Conflict:
    return Conflict(_("The call is already closed."), field="status")


def call_acknowledge(
    *, actor: User, call: EmergencyCall, ip: str | None = None, now: dt.datetime | None = None
) -> EmergencyCall:
    """The first in the chain to acknowledge owns the call; the rest are told it is taken."""
    now = now or timezone.now()
    if not in_chain(call, actor):
        _refuse(
            call,
            actor,
            RefusalKind.OUTSIDE_CHAIN,
            Forbidden(_("You are not in this call's chain.")),
            ip,
        )
    if call.status == CallStatus.CLOSED:
        _refuse(call, actor, RefusalKind.CLOSED, _closed_error(), ip)
    with transaction.atomic():
        taken = EmergencyCall.objects.filter(
            pk=call.pk, status__in=WAITING_STATUSES, acknowledged_by__isnull=True
        ).update(
            status=CallStatus.ACKNOWLEDGED,
            acknowledged_by=actor,
            acknowledged_at=now,
            deadline=None,
            updated_at=now,
        )
        if taken:
            CallEvent.objects.create(
                call=call, at=now, kind=EventKind.ACKNOWLEDGED, actor=actor, step=call.step
            )
            _send_after_commit(_updates(call, now, "acknowledged"))
    call.refresh_from_db()
    if not taken and call.acknowledged_by_id != actor.pk:
        if call.status == CallStatus.CLOSED:
            _refuse(call, actor, RefusalKind.CLOSED, _closed_error(), ip)
        _refuse(
            call,
            actor,
            RefusalKind.TAKEN,
            Conflict(
                _("%(name)s has already acknowledged this call."),
                field="status",
                params={"name": str(call.acknowledged_by)},
            ),
            ip,
        )
    return call


def _owner_move(
    *,
    actor: User,
    call: EmergencyCall,
    allowed: tuple[str, ...],
    to: str,
    event: str,
    values: dict[str, Any],
    data: dict[str, Any],
    ip: str | None,
    now: dt.datetime,
    superiors_too: bool = False,
) -> EmergencyCall:
    owner = call.acknowledged_by_id == actor.pk
    if not owner and not (superiors_too and is_superior(call, actor)):
        if not in_chain(call, actor) and not is_superior(call, actor):
            _refuse(
                call,
                actor,
                RefusalKind.OUTSIDE_CHAIN,
                Forbidden(_("You are not in this call's chain.")),
                ip,
            )
        _refuse(
            call,
            actor,
            RefusalKind.ORDER,
            Forbidden(_("Only the person who acknowledged the call can do this.")),
            ip,
        )
    if call.status == CallStatus.CLOSED:
        _refuse(call, actor, RefusalKind.CLOSED, _closed_error(), ip)
    with transaction.atomic():
        moved = EmergencyCall.objects.filter(pk=call.pk, status__in=allowed).update(
            status=to, updated_at=now, **values
        )
        if not moved:
            call.refresh_from_db()
            _refuse(
                call,
                actor,
                RefusalKind.ORDER,
                Conflict(
                    _("Not possible while the call is %(status)s."),
                    field="status",
                    params={"status": call.get_status_display()},
                ),
                ip,
            )
        CallEvent.objects.create(
            call=call, at=now, kind=event, actor=actor, step=call.step, data=data
        )
        if to == CallStatus.CLOSED:
            _send_after_commit(_updates(call, now, "closed"))
    call.refresh_from_db()
    return call


def call_on_way(
    *, actor: User, call: EmergencyCall, ip: str | None = None, now: dt.datetime | None = None
) -> EmergencyCall:
    now = now or timezone.now()
    return _owner_move(
        actor=actor,
        call=call,
        allowed=(CallStatus.ACKNOWLEDGED,),
        to=CallStatus.ON_WAY,
        event=EventKind.ON_WAY,
        values={"on_way_at": now},
        data={},
        ip=ip,
        now=now,
    )


def call_arrive(
    *,
    actor: User,
    call: EmergencyCall,
    lat: float | None,
    lng: float | None,
    accuracy: float | None = None,
    ip: str | None = None,
    now: dt.datetime | None = None,
) -> EmergencyCall:
    now = now or timezone.now()
    problems = []
    if lat is None or not -90 <= lat <= 90:
        problems.append(Problem(_("Arrival needs the phone's position (latitude)."), field="lat"))
    if lng is None or not -180 <= lng <= 180:
        problems.append(Problem(_("Arrival needs the phone's position (longitude)."), field="lng"))
    if problems:
        if may_read(call, actor):
            refusal_record(kind=RefusalKind.NO_GPS, call=call, actor=actor, ip=ip)
        raise InvalidInput(problems)
    return _owner_move(
        actor=actor,
        call=call,
        allowed=(CallStatus.ACKNOWLEDGED, CallStatus.ON_WAY),
        to=CallStatus.ARRIVED,
        event=EventKind.ARRIVED,
        values={
            "arrived_at": now,
            "arrived_lat": lat,
            "arrived_lng": lng,
            "arrived_accuracy": accuracy,
        },
        data={"lat": lat, "lng": lng, "accuracy": accuracy},
        ip=ip,
        now=now,
    )


def call_close(
    *,
    actor: User,
    call: EmergencyCall,
    outcome: str,
    note: str = "",
    ip: str | None = None,
    now: dt.datetime | None = None,
) -> EmergencyCall:
    now = now or timezone.now()
    if outcome not in Outcome.values:
        raise InvalidInput(
            Problem(
                _("Choose an outcome: %(choices)s."),
                field="outcome",
                params={"choices": ", ".join(Outcome.values)},
            )
        )
    return _owner_move(
        actor=actor,
        call=call,
        allowed=(CallStatus.ACKNOWLEDGED, CallStatus.ON_WAY, CallStatus.ARRIVED),
        to=CallStatus.CLOSED,
        event=EventKind.CLOSED,
        values={
            "outcome": outcome,
            "close_note": note.strip()[:500],
            "closed_at": now,
            "closed_by": actor,
        },
        data={"outcome": outcome, "note": note.strip()[:500]},
        ip=ip,
        now=now,
        superiors_too=True,
    )


def open_calls_for(user: User) -> list[int]:
    """The open calls a login was alerted to: what a reconnecting page is sent again."""
    return list(
        EmergencyCall.objects.filter(recipients__user_id=user.pk, status__in=OPEN_STATUSES)
        .distinct()
        .order_by("created_at")
        .values_list("pk", flat=True)
    )
