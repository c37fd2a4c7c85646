"""Writes to cases: intake, one service per transition, whistles, feedback, escalation.

Each service owns its transaction, locks the case row (two dispatchers pressing at once must
not both win), appends exactly one CaseEvent per move, and notifies in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finegrid.accounts.models import User
from finegrid.cases import clock
from finegrid.cases.categories import active_category
from finegrid.cases.categories import forget_categories as forget_categories  # re-exported
from finegrid.cases.models import (
    OPEN_STATUSES,
    OPEN_WHISTLE_STATUSES,
    Case,
    CaseEvent,
    Category,
    Department,
    Source,
    Status,
    Track,
    Urgency,
    Whistle,
    WhistleStatus,
)
from finegrid.cases.permissions import (
    access_case_act,
    access_department_act,
    feedback_by,
    feedback_counts,
)
from finegrid.cases.selectors import assignable_users
from finegrid.cases.workflow import DISPATCHERS, MOVES, Action, allowed
from finegrid.core import pii
from finegrid.core.errors import Forbidden, InvalidInput, NotFound, Problem
from finegrid.core.labels import bilingual_label
from finegrid.grids.models import Duty, Grid, Household, Level, Responsibility
from finegrid.grids.selectors import grid_with_parent, locate, responsible_people
from finegrid.notifications.services import notification_rows, notify, notify_rows

FOLLOW_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read over the phone


class IllegalTransition(InvalidInput):
    status = 409
    code = "illegal_transition"


class IdempotencyMismatch(InvalidInput):
    code = "idempotency_key_reused"


@dataclass
class CaseReport:
    category: str
    description: str
    source: str
    lat: float | None = None
    lng: float | None = None
    household_id: int | None = None
    address: str = ""
    urgency: str = Urgency.NORMAL
    reporter_name: str = ""
    reporter_phone: str = ""
    photos: list[dict[str, Any]] = field(default_factory=list)


def digest_of(report: CaseReport) -> str:
    body = json.dumps(report.__dict__, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(body.encode()).hexdigest()


def _place(report: CaseReport) -> tuple[Grid, Household | None, list[Problem]]:
    problems: list[Problem] = []
    household = None
    if report.household_id is not None:
        household = (
            Household.objects.select_related("micro_grid").filter(pk=report.household_id).first()
        )
        if household is None:
            problems.append(Problem(_("No such household."), field="household_id"))
        else:
            return household.micro_grid, household, problems
    elif report.lat is not None and report.lng is not None:
        if not (-90 <= report.lat <= 90 and -180 <= report.lng <= 180):
            problems.append(Problem(_("Coordinates are out of range."), field="lat"))
        else:
            hit = locate(lat=report.lat, lng=report.lng)
            grid = grid_with_parent(hit.id) if hit is not None else None
            if grid is None:
                problems.append(Problem(_("The location lies outside every grid."), field="lat"))
            else:
                return grid, None, problems
    else:
        problems.append(Problem(_("Give a location (lat and lng) or a household."), field="lat"))
    return Grid(), None, problems


def handling_grid_for(micro: Grid) -> Grid:
    """A case lands with the grid above its micro-grid (its grid head answers for it); a dedicated
    grid directly under a community is its own handling grid."""
    if micro.level == Level.MICRO and micro.parent is not None:
        return micro.parent
    return micro


def case_report(
    *,
    actor: User | None,
    report: CaseReport,
    idempotency_key: str = "",
    caller: str = "",
    now: dt.datetime | None = None,
) -> tuple[Case, bool]:
    """Take in a case from any source. Answers (case, created). A replay of the same
    ``idempotency_key`` by the same caller with the same body answers the first case; with a
    different body it is refused.

    Everything that only reads (validation, the point lookup, who the case lands with) happens
    before the write transaction: on SQLite one writer holds the database at a time, so its turn
    is kept to the four writes that must succeed or fail together. A replay is found by the
    unique index on the key, when the insert fails: retries are rare, and a read of the key
    before every report would cost every report a query. A replay that no longer validates (a
    category retired since) still answers its first case.
    """
    now = now or timezone.now()
    scoped_key = (
        f"{caller or (f'u{actor.pk}' if actor else 'anon')}:{idempotency_key}"
        if idempotency_key
        else ""
    )
    digest = digest_of(report)
    try:
        category, micro, household, phone = _checked(report)
    except InvalidInput:
        earlier = _replayed(scoped_key, digest)
        if earlier is None:
            raise
        return earlier, False
    track = category.default_track
    safety = category.safety_critical
    accept_due = clock.due(now, category.accept_minutes, working_hours=not safety)
    resolve_due = clock.due(accept_due, category.resolve_minutes(track), working_hours=not safety)
    handling = handling_grid_for(micro)
    responsible = _responsible(micro, handling)
    people = [r["person"] for r in responsible]
    case = Case(
        category=category,
        description=report.description.strip(),
        source=report.source,
        urgency=report.urgency,
        track=track,
        lat=report.lat if household is None else household.lat,
        lng=report.lng if household is None else household.lng,
        address=report.address or (household.address if household else ""),
        household=household,
        micro_grid=micro,
        handling_grid=handling,
        grid_path=micro.path,
        reporter=actor,
        reporter_name=report.reporter_name or (str(actor) if actor else ""),
        reporter_phone_enc=pii.encrypt(phone) if phone else "",
        reporter_phone_masked=pii.mask_phone(phone) if phone else "",
        follow_code="".join(secrets.choice(FOLLOW_ALPHABET) for _ in range(8)),
        reported_at=now,
        accept_due=accept_due,
        resolve_due=resolve_due,
        escalate_at=accept_due,
        idempotency_key=scoped_key,
        request_digest=digest if scoped_key else "",
        photos=report.photos,
    )
    _refresh_clock(case, now)
    try:
        with transaction.atomic():
            _insert_numbered(case, f"{now.astimezone(clock.LOCAL):%Y%m%d}")
            _event(
                case,
                actor,
                Action.REPORT,
                "",
                Status.REPORTED,
                now,
                note=case.description,
                photos=report.photos,
                responsible=responsible,
            )
            notify(
                users=people,
                kind="case.new",
                title=_("New case %(number)s: %(category)s"),
                params={
                    "number": case.number,
                    "category": bilingual_label(category.name, category.name_en),
                },
                subject=("case", case.pk),
            )
    except IntegrityError:
        # the key was used before, or raced in from a parallel retry (unique idempotency_key):
        # answer the first case, or refuse a different body
        earlier = _replayed(scoped_key, digest)
        if earlier is None:
            raise
        return earlier, False
    return case, True


def _insert_numbered(case: Case, day: str) -> None:
    """Insert a new case with its number, read by people: the day and the case's id
    (``20261201000042``), in the one INSERT rather than an UPDATE after it.

    On PostgreSQL the id is drawn from the table's sequence first. On SQLite the INSERT computes
    the number from the id it is about to take, the largest ever given (``sqlite_sequence``:
    the key is AUTOINCREMENT) plus one; exact, since the caller's transaction holds SQLite's
    write lock. Other databases insert, then write the number."""
    table = connection.ops.quote_name(Case._meta.db_table)
    pk = connection.ops.quote_name(Case._meta.pk.column)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s))",
                [Case._meta.db_table, Case._meta.pk.column],
            )
            case.pk = cursor.fetchone()[0]
        case.number = f"{day}{case.pk:06d}"
        case.save(force_insert=True)
    elif connection.vendor == "sqlite":
        # an expression for the INSERT; the only names in it are the model's own table and key
        sql = (
            "%s || printf('%%06d', 1 + MAX("  # noqa: S608
            "COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
            "COALESCE((SELECT MAX(" + pk + ") FROM " + table + "), 0)))"
        )
        case.number = RawSQL(sql, (day, Case._meta.db_table))  # type: ignore[assignment]  # noqa: S611
        case.save(force_insert=True)
        case.number = f"{day}{case.pk:06d}"
    else:
        case.number = "pending-" + secrets.token_hex(6)
        case.save(force_insert=True)
        case.number = f"{day}{case.pk:06d}"
        Case.objects.filter(pk=case.pk).update(number=case.number)


def _replayed(scoped_key: str, digest: str) -> Case | None:
    """The case an earlier request with this key made, if any; a different body is refused."""
    if not scoped_key:
        return None
    # the exclude repeats the partial unique index's condition: without it neither SQLite nor a
    # generic PostgreSQL plan may use that index, and every report would scan all cases
    same_key = Case.objects.filter(idempotency_key=scoped_key).exclude(idempotency_key="")
    # one row at most (the unique index): no ordering to compile or sort by
    rows = list(same_key.order_by().values_list("pk", "request_digest")[:1])
    if not rows:
        return None
    pk, earlier_digest = rows[0]
    if earlier_digest != digest:
        raise IdempotencyMismatch(
            Problem(
                _("This Idempotency-Key was used with a different request."),
                field="Idempotency-Key",
            )
        )
    return Case.objects.get(pk=pk)


def _checked(report: CaseReport) -> tuple[Category, Grid, Household | None, str]:
    """Validate a report without writing: every problem at once, each naming its field."""
    problems: list[Problem] = []
    category = active_category(report.category)
    if category is None:
        problems.append(Problem(_("Unknown case category."), field="category"))
    if not (report.description or "").strip():
        problems.append(Problem(_("Describe what happened."), field="description"))
    if report.source not in Source.values:
        problems.append(Problem(_("Unknown source."), field="source"))
    if report.urgency not in Urgency.values:
        problems.append(Problem(_("Unknown urgency."), field="urgency"))
    phone = ""
    if report.reporter_phone:
        from finegrid.registry.validators import normalize_phone

        try:
            phone = normalize_phone(report.reporter_phone, field="reporter_phone")
        except InvalidInput as exc:
            problems.extend(exc.problems)
    micro, household, where = _place(report)
    problems.extend(where)
    if problems:
        raise InvalidInput(problems)
    assert category is not None
    return category, micro, household, phone


# who a new case lands with: the micro-grid's workers and the handling grid's head and worker
LANDING_DUTIES = [Duty.MICRO_WORKER, Duty.GRID_HEAD, Duty.GRID_WORKER]


def _responsible(micro: Grid, handling: Grid) -> list[dict[str, Any]]:
    """Who holds the duties a new case lands with now. Written into the report's event, so the
    trace keeps naming them after the duty has passed to someone else."""
    holders = responsible_people(
        grid_ids=(micro.pk, handling.pk), duties=tuple(d.value for d in LANDING_DUTIES)
    )
    found = [{"person": h.person, "name": h.name, "duty": h.duty} for h in holders]
    # the micro-grid's own workers first, as the trace reads
    return sorted(found, key=lambda r: LANDING_DUTIES.index(r["duty"]))


def _grid_people(micro: Grid, handling: Grid) -> list[int]:
    return [r["person"] for r in _responsible(micro, handling)]


def _event(
    case: Case,
    actor: User | None,
    action: Action,
    from_status: str,
    to_status: str,
    now: dt.datetime,
    note: str = "",
    photos: list[dict[str, Any]] | None = None,
    **data: Any,
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        at=now,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=note,
        photos=photos or [],
        data=data,
    )


def _refresh_clock(case: Case, now: dt.datetime) -> None:
    """Colour and next check from the running clock: accepting, then resolving."""
    if case.status not in OPEN_STATUSES:
        case.next_check_at = None
        return
    deadline = case.accept_due if case.accepted_at is None else case.resolve_due
    state = clock.colour_of(
        now=now,
        started=case.reported_at,
        deadline=deadline,
        safety_critical=case.category.safety_critical,
        critical=case.urgency == Urgency.CRITICAL,
    )
    case.colour = state.colour
    candidates = [t for t in (state.next_change, case.escalate_at) if t is not None]
    case.next_check_at = min(candidates) if candidates else None


def _locked(case: Case) -> Case:
    # Re-read under a row lock: the caller's copy may be stale, and two people may act at once.
    return (
        Case.objects.select_for_update().select_related("category", "handling_grid").get(pk=case.pk)
    )


# What every move writes besides the fields its service changed: the status and the clock.
MOVED_FIELDS = ("status", "colour", "next_check_at", "updated_at")


def _move(
    case: Case,
    actor: User | None,
    action: Action,
    now: dt.datetime,
    *,
    changed: Iterable[str] = (),
    note: str = "",
    photos: list[dict[str, Any]] | None = None,
    **data: Any,
) -> Case:
    """Take ``action`` by the table of moves, saving the status, the clock and the ``changed``
    fields the service set on the case, and append its step to the trace."""
    _check_allowed(case, action)
    to = MOVES[action].to
    assert to is not None, action  # a move that keeps the status appends its event itself
    before = case.status
    case.status = to
    _refresh_clock(case, now)
    case.save(update_fields=[*MOVED_FIELDS, *changed])
    _event(case, actor, action, before, case.status, now, note=note, photos=photos, **data)
    return case


def _check_allowed(case: Case, action: Action, message: Any = None) -> None:
    """Refuse a move the case's status does not allow (409 naming ``status``)."""
    if allowed(action, case.status):
        return
    if message is not None:
        raise IllegalTransition(Problem(message, field="status"))
    raise IllegalTransition(
        Problem(
            _("“%(action)s” is not possible for a case that is %(status)s."),
            field="status",
            params={
                "status": case.get_status_display(),
                "action": MOVES[action].verb or action.label,
            },
        )
    )


def _act(case: Case, actor: User, action: Action) -> Case:
    case = _locked(case)
    access_case_act(actor, case, action)
    return case


@transaction.atomic
def case_accept(
    *,
    actor: User,
    case: Case,
    track: str | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> Case:
    now = now or timezone.now()
    case = _act(case, actor, Action.ACCEPT)
    retracked: dict[str, Any] = {}
    if track is not None:
        if track not in Track.values:
            raise InvalidInput(Problem(_("Unknown track."), field="track"))
        if track != case.track:
            retracked = {"track_from": case.track, "track_to": track}
            case.track = track
            safety = case.category.safety_critical
            case.resolve_due = clock.due(
                case.accept_due, case.category.resolve_minutes(track), working_hours=not safety
            )
    case.accepted_at = case.accepted_at or now
    case.escalate_at = case.resolve_due
    return _move(
        case,
        actor,
        Action.ACCEPT,
        now,
        changed=("track", "resolve_due", "accepted_at", "escalate_at"),
        note=note,
        track=case.track,
        **retracked,
    )


@transaction.atomic
def case_dispatch(
    *, actor: User, case: Case, assignee: User, note: str = "", now: dt.datetime | None = None
) -> Case:
    return _hand_to(case, actor, Action.DISPATCH, assignee, now or timezone.now(), note)


def _hand_to(
    case: Case, actor: User, action: Action, assignee: User, now: dt.datetime, note: str
) -> Case:
    """Dispatch or reassign: the handler must work where the case is, and is told at once."""
    case = _act(case, actor, action)
    _check_assignee(case, actor, assignee)
    previous = case.assignee_id
    case.assignee = assignee
    _move(
        case,
        actor,
        action,
        now,
        changed=("assignee",),
        note=note,
        assignee=assignee.pk,
        previous=previous,
    )
    notify(
        users=[assignee],
        kind="case.assigned",
        title=_("Case %(number)s is yours to handle"),
        params={"number": case.number},
        subject=("case", case.pk),
    )
    return case


def _check_assignee(case: Case, actor: User, assignee: User) -> None:
    # the same list the dispatch form offers: what the page shows is what the service accepts
    if all(a.user.pk != assignee.pk for a in assignable_users(case=case, actor=actor)):
        raise InvalidInput(
            Problem(
                _(
                    "Pick a handler who works in %(grid)s, the grid handling the case, "
                    "within your jurisdiction."
                ),
                field="assignee",
                params={"grid": case.handling_grid.name},
            )
        )


@transaction.atomic
def case_reassign(
    *, actor: User, case: Case, assignee: User, note: str = "", now: dt.datetime | None = None
) -> Case:
    return _hand_to(case, actor, Action.REASSIGN, assignee, now or timezone.now(), note)


@transaction.atomic
def cases_reassign_bulk(
    *,
    actor: User,
    cases: Sequence[Case],
    assignee: User,
    note: str = "",
    now: dt.datetime | None = None,
) -> list[Case]:
    """Reassign many cases to one handler, all or none. Every case is tried, each in its own
    savepoint, so that the answer names every refused case (one problem each, its row the
    case's number, with the reason its own reassignment gave); if any is refused, the whole
    batch is rolled back, so the dispatcher fixes the choice and sends it again."""
    now = now or timezone.now()
    done: list[Case] = []
    problems: list[Problem] = []
    for case in cases:
        try:
            done.append(
                case_reassign(actor=actor, case=case, assignee=assignee, note=note, now=now)
            )
        except (InvalidInput, Forbidden, NotFound) as exc:
            problems.append(
                Problem(exc.message, field=exc.field, row=case.number, params=exc.params)
            )
    if problems:
        raise InvalidInput(problems)  # leaving the transaction rolls back the ones that went
    return done


@transaction.atomic
def case_start(*, actor: User, case: Case, note: str = "", now: dt.datetime | None = None) -> Case:
    now = now or timezone.now()
    case = _act(case, actor, Action.START)
    return _move(case, actor, Action.START, now, note=note)


@transaction.atomic
def case_progress(
    *,
    actor: User,
    case: Case,
    note: str,
    photos: list[dict[str, Any]] | None = None,
    now: dt.datetime | None = None,
) -> Case:
    """A progress update with photos; the status stays."""
    now = now or timezone.now()
    case = _act(case, actor, Action.PROGRESS)
    _check_allowed(case, Action.PROGRESS, _("Only an open case takes progress updates."))
    if not note.strip() and not photos:
        raise InvalidInput(Problem(_("Write what was done or add a photo."), field="note"))
    _event(case, actor, Action.PROGRESS, case.status, case.status, now, note=note, photos=photos)
    return case


@transaction.atomic
def case_return(*, actor: User, case: Case, reason: str, now: dt.datetime | None = None) -> Case:
    now = now or timezone.now()
    case = _act(case, actor, Action.RETURN)
    _need(reason, "reason")
    case.assignee = None
    return _move(case, actor, Action.RETURN, now, changed=("assignee",), note=reason)


@transaction.atomic
def case_resolve(
    *,
    actor: User,
    case: Case,
    note: str,
    photos: list[dict[str, Any]] | None = None,
    now: dt.datetime | None = None,
) -> Case:
    now = now or timezone.now()
    case = _act(case, actor, Action.RESOLVE)
    _need(note, "note")
    return _settle(case, actor, now, note, photos)


def _settle(
    case: Case, actor: User, now: dt.datetime, note: str, photos: list[dict[str, Any]] | None
) -> Case:
    case.resolved_at = now
    case.escalate_at = None
    _move(
        case,
        actor,
        Action.RESOLVE,
        now,
        changed=("resolved_at", "escalate_at"),
        note=note,
        photos=photos,
        on_time=now <= case.resolve_due,
    )
    if case.reporter_id or case.reporter_phone_enc:
        _move(case, None, Action.REQUEST_FEEDBACK, now)
        if case.reporter is not None:
            notify(
                users=[case.reporter],
                kind="case.resolved",
                title=_("Your case %(number)s is resolved: how did we do?"),
                params={"number": case.number},
                subject=("case.follow", case.follow_code),
            )
    return case


@transaction.atomic
def case_close(*, actor: User, case: Case, note: str = "", now: dt.datetime | None = None) -> Case:
    now = now or timezone.now()
    case = _act(case, actor, Action.CLOSE)
    case.closed_at = now
    return _move(case, actor, Action.CLOSE, now, changed=("closed_at",), note=note)


@transaction.atomic
def case_reject(*, actor: User, case: Case, reason: str, now: dt.datetime | None = None) -> Case:
    now = now or timezone.now()
    case = _act(case, actor, Action.REJECT)
    _need(reason, "reason")
    case.closed_at = now
    case.escalate_at = None
    return _move(case, actor, Action.REJECT, now, changed=("closed_at", "escalate_at"), note=reason)


@transaction.atomic
def case_merge(*, actor: User, case: Case, into: Case, now: dt.datetime | None = None) -> Case:
    now = now or timezone.now()
    case = _act(case, actor, Action.MERGE)
    if into.pk == case.pk or into.status not in OPEN_STATUSES or into.merged_into_id:
        raise InvalidInput(Problem(_("Merge into another open case."), field="into"))
    case.merged_into = into
    case.closed_at = now
    case.escalate_at = None
    _move(
        case,
        actor,
        Action.MERGE,
        now,
        changed=("merged_into", "closed_at", "escalate_at"),
        into=into.number,
    )
    _event(
        into,
        actor,
        Action.PROGRESS,
        into.status,
        into.status,
        now,
        note=str(_("Merged duplicate %(number)s.") % {"number": case.number}),
    )
    return case


@transaction.atomic
def case_reopen(*, actor: User, case: Case, reason: str, now: dt.datetime | None = None) -> Case:
    now = now or timezone.now()
    case = _act(case, actor, Action.REOPEN)
    _need(reason, "reason")
    return _reopen(case, actor, now, reason)


# What reopening writes: the clocks start again from now; the report time stays for figures.
REOPENED_FIELDS = (
    "accepted_at",
    "resolved_at",
    "closed_at",
    "accept_due",
    "resolve_due",
    "escalate_at",
    "satisfaction",
)


def _reopen(case: Case, actor: User | None, now: dt.datetime, reason: str, **data: Any) -> Case:
    safety = case.category.safety_critical
    case.accepted_at = case.resolved_at = case.closed_at = None
    case.accept_due = clock.due(now, case.category.accept_minutes, working_hours=not safety)
    case.resolve_due = clock.due(
        case.accept_due, case.category.resolve_minutes(case.track), working_hours=not safety
    )
    case.escalate_at = case.accept_due
    case.satisfaction = ""
    _move(case, actor, Action.REOPEN, now, changed=REOPENED_FIELDS, note=reason, **data)
    notify(
        users=_grid_people(case.micro_grid, case.handling_grid),
        kind="case.reopened",
        title=_("Case %(number)s is reopened"),
        params={"number": case.number},
        subject=("case", case.pk),
    )
    return case


def _need(text: str, name: str) -> None:
    if not (text or "").strip():
        raise InvalidInput(
            Problem(_("Give a reason."), field=name)
            if name == "reason"
            else Problem(_("Write what was done."), field=name)
        )


# --- feedback -------------------------------------------------------------------------------

SATISFACTION = {"satisfied", "basically_satisfied", "dissatisfied"}


@transaction.atomic
def case_feedback(
    *,
    case: Case,
    satisfaction: str,
    comment: str = "",
    actor: User | None = None,
    now: dt.datetime | None = None,
) -> Case:
    """An answer on the follow-up page (满意 / 基本满意 / 不满意), recorded as given by whoever
    gave it: the signed-in reporter, or the holder of the code (``actor`` when signed in). Only
    the reporter's answer counts — it sets the satisfaction, and closes the case, or reopens it
    when dissatisfied; see ``permissions.feedback_counts`` and decision 0007. Any other answer
    stays in the trace and the case waits on."""
    now = now or timezone.now()
    case = _locked(case)
    if satisfaction not in SATISFACTION:
        raise InvalidInput(
            Problem(
                _("Answer satisfied, basically satisfied or dissatisfied."), field="satisfaction"
            )
        )
    _check_allowed(case, Action.FEEDBACK, _("This case is not waiting for feedback."))
    by, counted = feedback_by(actor, case), feedback_counts(actor, case)
    _event(
        case,
        actor,
        Action.FEEDBACK,
        case.status,
        case.status,
        now,
        note=comment,
        satisfaction=satisfaction,
        by=by,
        counted=counted,
    )
    if not counted:
        return case
    case.satisfaction = satisfaction
    reporter = by == "reporter"
    if satisfaction == "dissatisfied":
        why = (
            _("The reporter is dissatisfied.")
            if reporter
            else _("The holder of the follow-up code is dissatisfied.")
        )
        return _reopen(case, actor, now, comment or str(why), by=by)
    case.closed_at = now
    note = (
        _("Closed after the reporter's feedback.")
        if reporter
        else _("Closed after feedback by the holder of the follow-up code.")
    )
    return _move(
        case,
        actor,
        Action.CLOSE,
        now,
        changed=("satisfaction", "closed_at"),
        note=str(note),
        by=by,
    )


@transaction.atomic
def case_visit_back(
    *, actor: User, case: Case, note: str, close: bool = True, now: dt.datetime | None = None
) -> Case:
    """回访: the grid calls or visits the reporter after resolution and records what they said."""
    now = now or timezone.now()
    case = _act(case, actor, Action.VISIT_BACK)
    _need(note, "note")
    _check_allowed(case, Action.VISIT_BACK, _("A visit-back follows resolution."))
    _event(case, actor, Action.VISIT_BACK, case.status, case.status, now, note=note)
    if close:
        case.closed_at = now
        _move(case, actor, Action.CLOSE, now, changed=("closed_at",), note=note)
    return case


# --- whistles (吹哨报到) ------------------------------------------------------------------------


@transaction.atomic
def case_whistle(
    *,
    actor: User,
    case: Case,
    department: Department,
    note: str = "",
    now: dt.datetime | None = None,
) -> Whistle:
    now = now or timezone.now()
    case = _act(case, actor, Action.WHISTLE)
    if not department.active:
        raise InvalidInput(Problem(_("The department is deactivated."), field="department"))
    if Whistle.objects.filter(
        case=case,
        department=department,
        status__in=OPEN_WHISTLE_STATUSES,
    ).exists():
        raise InvalidInput(
            Problem(_("This department is already whistled for this case."), field="department")
        )
    whistle = Whistle.objects.create(
        case=case,
        department=department,
        whistled_by=actor,
        whistled_at=now,
        report_in_due=now + dt.timedelta(minutes=department.report_in_minutes),
        resolve_due=clock.due(now, department.resolve_minutes, working_hours=True),
    )
    case.department = department
    # a department's part makes it 跟踪办: the trace says so when the track changes here
    retracked: dict[str, Any] = {"track_from": case.track, "track_to": Track.FOLLOW_UP}
    if case.track == Track.FOLLOW_UP:
        retracked = {}
    case.track = Track.FOLLOW_UP
    if case.accepted_at is None:
        case.accepted_at = now
    case.resolve_due = max(case.resolve_due, whistle.resolve_due)
    case.escalate_at = case.resolve_due
    _move(
        case,
        actor,
        Action.WHISTLE,
        now,
        changed=("department", "track", "accepted_at", "resolve_due", "escalate_at"),
        note=note,
        department=department.code,
        **retracked,
    )
    notify(
        users=department.staff.all(),
        kind="case.whistle",
        title=_("Whistle: case %(number)s needs %(department)s"),
        params={
            "number": case.number,
            "department": bilingual_label(department.name, department.name_en),
        },
        subject=("case", case.pk),
    )
    return whistle


def _open_whistle(case: Case, department: Department) -> Whistle:
    whistle = (
        Whistle.objects.select_for_update()
        .filter(
            case=case,
            department=department,
            status__in=OPEN_WHISTLE_STATUSES,
        )
        .first()
    )
    if whistle is None:
        latest = (
            Whistle.objects.filter(case=case, department=department)
            .order_by("-whistled_at", "-id")
            .first()
        )
        if latest is not None and latest.status == WhistleStatus.WITHDRAWN:
            raise IllegalTransition(
                Problem(
                    _("The grid withdrew this whistle: there is nothing to report in or resolve."),
                    field="department",
                )
            )
        raise NotFound(_("This department has no open whistle on the case."), field="department")
    return whistle


@transaction.atomic
def whistle_report_in(
    *,
    actor: User,
    case: Case,
    department: Department,
    note: str = "",
    now: dt.datetime | None = None,
) -> Whistle:
    now = now or timezone.now()
    case = _locked(case)
    access_department_act(actor, case, department.pk)
    whistle = _open_whistle(case, department)
    if whistle.status != WhistleStatus.WHISTLED:
        raise IllegalTransition(
            Problem(_("The department has already reported in."), field="status")
        )
    whistle.status, whistle.reported_in_at, whistle.reported_in_by = (
        WhistleStatus.REPORTED_IN,
        now,
        actor,
    )
    whistle.save(update_fields=["status", "reported_in_at", "reported_in_by", "updated_at"])
    _move(
        case,
        actor,
        Action.REPORT_IN,
        now,
        note=note,
        department=department.code,
        on_time=now <= whistle.report_in_due,
    )
    return whistle


@transaction.atomic
def whistle_resolve(
    *,
    actor: User,
    case: Case,
    department: Department,
    note: str,
    photos: list[dict[str, Any]] | None = None,
    now: dt.datetime | None = None,
) -> Case:
    now = now or timezone.now()
    case = _locked(case)
    access_department_act(actor, case, department.pk)
    _need(note, "note")
    whistle = _open_whistle(case, department)
    if whistle.status != WhistleStatus.REPORTED_IN:
        raise IllegalTransition(Problem(_("Report in before resolving."), field="status"))
    whistle.status, whistle.resolved_at = WhistleStatus.RESOLVED, now
    whistle.save(update_fields=["status", "resolved_at", "updated_at"])
    if Whistle.objects.filter(case=case, status__in=OPEN_WHISTLE_STATUSES).exists():
        _event(
            case,
            actor,
            Action.PROGRESS,
            case.status,
            case.status,
            now,
            note=note,
            photos=photos,
            department=department.code,
        )
        return case
    return _settle(case, actor, now, note, photos)


@transaction.atomic
def case_supervise(
    *, actor: User, case: Case, supervisor: User, now: dt.datetime | None = None
) -> Case:
    """全程盯办: a supervisor follows the case end to end and is told of every move; a case that
    has ended (closed, rejected, merged) has nothing left to follow."""
    now = now or timezone.now()
    case = _act(case, actor, Action.SUPERVISE)
    _check_allowed(
        case,
        Action.SUPERVISE,
        _("A case that is closed, rejected or merged has nothing left to supervise."),
    )
    case.supervisor = supervisor
    case.save(update_fields=["supervisor", "updated_at"])
    _event(case, actor, Action.SUPERVISE, case.status, case.status, now, supervisor=supervisor.pk)
    return case


# --- carrying a case up by hand (上报社区 / 上报街道) ---------------------------------------------

ESCALATION_TARGETS = {"community": Level.COMMUNITY, "street": Level.STREET}


@transaction.atomic
def case_carry_up(
    *, actor: User, case: Case, to: str, reason: str, now: dt.datetime | None = None
) -> Case:
    """上报: the grid handling an open case carries it one level up the grid tree, with a reason.

    Levels (street → community → grid → micro-grid): ``to="community"`` (上报社区) takes a case
    handled by a grid — or by a micro-grid or dedicated grid directly under the community — to
    that community; ``to="street"`` (上报街道) takes a case handled by a community to its street.
    One level at a time (逐级上报): a grid's case goes to the community first, and the community
    carries it on if it cannot settle it either; naming any other level than the one right
    above is refused (409, field ``to``), and so is a second click once the case is up.

    Who: a grid head, full-time worker or official whose jurisdiction covers the handling grid
    (``permissions.access_handling_grid``). The handler and status stay; the people responsible
    for the new grid are told in the same transaction. The deadlines stay too — carrying a case
    up buys no time, and the on-time figures count from the first clock — while the escalation
    timer starts again at the new level, as after the sweep's escalation, so that the community
    is not carried further up minutes after receiving the case."""
    now = now or timezone.now()
    case = _act(case, actor, Action.ESCALATE)
    if to not in ESCALATION_TARGETS:
        raise InvalidInput(Problem(_("Escalate to the community or to the street."), field="to"))
    _need(reason, "reason")
    if not allowed(Action.ESCALATE, case.status):
        raise IllegalTransition(
            Problem(
                _("Only an open case can be escalated; this one is %(status)s."),
                field="status",
                params={"status": case.get_status_display()},
            )
        )
    below = case.handling_grid
    above = _level_above(below, to)
    case.handling_grid = above
    case.escalation_level += 1
    case.escalate_at = _next_escalation(case, above, now)
    _refresh_clock(case, now)
    case.save(update_fields=SWEPT_FIELDS)  # the sweep's escalation writes the same fields
    _event(
        case,
        actor,
        Action.ESCALATE,
        case.status,
        case.status,
        now,
        note=reason.strip(),
        manual=True,
        to=to,
        from_grid=below.code,
        to_grid=above.code,
        from_name=below.name,
        to_name=above.name,
        level=case.escalation_level,
    )
    told = _responsible_for(above) | ({case.supervisor_id} if case.supervisor_id else set())
    notify(
        users=told - {getattr(actor, "pk", None)},
        kind="case.escalated",
        title=_("Case %(number)s is carried up to %(grid)s: %(reason)s"),
        params={"number": case.number, "grid": above.name, "reason": reason.strip()[:80]},
        subject=("case", case.pk),
    )
    return case


def _level_above(grid: Grid, to: str) -> Grid:
    above = grid.parent
    if above is None:
        raise IllegalTransition(
            Problem(_("The street is the top of the net: there is no level above it."), field="to")
        )
    if above.level != ESCALATION_TARGETS[to]:
        raise IllegalTransition(
            Problem(
                _("%(grid)s carries a case up one level at a time: next is %(next)s (%(level)s)."),
                field="to",
                params={"grid": grid.name, "next": above.name, "level": above.get_level_display()},
            )
        )
    return above


def _responsible_for(grid: Grid) -> set[int]:
    """Who answers for ``grid``: its duty list, and the dispatchers assigned on it."""
    from finegrid.accounts.models import RoleAssignment

    duty = Responsibility.objects.current().filter(grid=grid).values_list("person_id", flat=True)
    roles = RoleAssignment.objects.filter(grid=grid, role__in=DISPATCHERS)
    return set(duty) | set(roles.values_list("user_id", flat=True))


# --- the clock sweep ------------------------------------------------------------------------


SWEPT_FIELDS = [
    "handling_grid",
    "escalation_level",
    "escalate_at",
    "colour",
    "next_check_at",
    "updated_at",
]


@dataclass
class _SweepBatch:
    """Writes of one sweep batch, made together: one UPDATE, one INSERT of events, one of
    notifications, however many cases are due."""

    events: list[CaseEvent] = field(default_factory=list)
    notices: list[tuple[list[Any], Case]] = field(default_factory=list)
    heads: dict[int, list[Any]] = field(default_factory=dict)

    def people_of(self, grid: Grid) -> list[Any]:
        if grid.pk not in self.heads:
            rows = Responsibility.objects.current().filter(grid=grid).select_related("person")
            self.heads[grid.pk] = [r.person for r in rows]
        return self.heads[grid.pk]

    def flush(self, cases: list[Case]) -> None:
        if cases:
            stamp = timezone.now()  # bulk_update does not apply auto_now
            for case in cases:
                case.updated_at = stamp
            Case.objects.bulk_update(cases, SWEPT_FIELDS)
        CaseEvent.objects.bulk_create(self.events)
        rows = []
        for users, case in self.notices:
            rows += notification_rows(
                users=users,
                kind="case.escalated",
                title=_("Case %(number)s is overdue and escalated to you"),
                params={"number": case.number},
                subject=("case", case.pk),
            )
        notify_rows(rows)


def _escalate(case: Case, now: dt.datetime, batch: _SweepBatch) -> None:
    """One level up the grid tree, the clock started again there (the case is loaded with its
    category and handling grid's parent, and locked)."""
    before = case.handling_grid
    parent = before.parent
    if parent is not None:
        case.handling_grid = parent
    case.escalation_level += 1
    case.escalate_at = _next_escalation(case, parent, now)
    _refresh_clock(case, now)
    batch.events.append(
        CaseEvent(
            case=case,
            at=now,
            action=Action.ESCALATE,
            from_status=case.status,
            to_status=case.status,
            data={
                "from_grid": before.code,
                "to_grid": case.handling_grid.code,
                "from_name": before.name,
                "to_name": case.handling_grid.name,
                "level": case.escalation_level,
            },
        )
    )
    batch.notices.append(
        (batch.people_of(case.handling_grid) + ([case.supervisor] if case.supervisor else []), case)
    )


def _next_escalation(case: Case, grid: Grid | None, now: dt.datetime) -> dt.datetime | None:
    """When a case that has just reached ``grid`` goes up again if still not done: a full clock
    of its stage (accepting, resolving) from now; at the top of the tree, never (the colour
    stays as it is)."""
    if grid is None or grid.parent_id is None:
        return None
    minutes = (
        case.category.accept_minutes
        if case.accepted_at is None
        else case.category.resolve_minutes(case.track)
    )
    return clock.due(now, max(1, minutes), working_hours=not case.category.safety_critical)


def _due_cases(now: dt.datetime, limit: int, pk: int | None = None) -> list[Case]:
    qs = Case.objects.select_for_update(skip_locked=pk is None, of=("self",)).select_related(
        "category", "handling_grid__parent", "supervisor"
    )
    if pk is not None:
        return list(qs.filter(pk=pk))
    return list(qs.filter(next_check_at__lte=now).order_by("next_check_at")[:limit])


@transaction.atomic
def case_escalate(*, case: Case, now: dt.datetime) -> Case:
    """Breach: the case moves one level up the grid tree, and its clock starts again there."""
    (case,) = _due_cases(now, 1, pk=case.pk)
    if case.status not in OPEN_STATUSES or case.escalate_at is None or case.escalate_at > now:
        return case
    batch = _SweepBatch()
    _escalate(case, now, batch)
    batch.flush([case])
    return case


def cases_sweep(*, now: dt.datetime | None = None, batch: int = 500) -> dict[str, int]:
    """Recolour and escalate the cases whose next check is due. Reads only those rows (a partial
    index on next_check_at), so its cost follows the due cases, never all cases; writes each
    batch in a handful of statements."""
    now = now or timezone.now()
    counts = {"checked": 0, "escalated": 0, "recoloured": 0}
    while True:
        with transaction.atomic():
            # skip_locked: a case someone is moving right now is left for the next tick
            due = _due_cases(now, batch)
            writes = _SweepBatch()
            for case in due:
                counts["checked"] += 1
                if case.escalate_at is not None and case.escalate_at <= now:
                    _escalate(case, now, writes)
                    counts["escalated"] += 1
                    continue
                before = case.colour
                _refresh_clock(case, now)
                if case.colour != before:
                    counts["recoloured"] += 1
                    writes.events.append(
                        CaseEvent(
                            case=case,
                            at=now,
                            action=Action.COLOUR,
                            from_status=case.status,
                            to_status=case.status,
                            data={"colour": case.colour},
                        )
                    )
            writes.flush(due)
        if len(due) < batch:
            return counts


# --- withdrawing a whistle (撤回吹哨) -----------------------------------------------------------


@transaction.atomic
def whistle_withdraw(
    *,
    actor: User,
    case: Case,
    department: Department,
    reason: str,
    now: dt.datetime | None = None,
) -> Whistle:
    """The grid calls off a whistle the department has not resolved (the wrong department, or
    the matter settled meanwhile). Whoever may whistle may withdraw, and must say why.

    The whistle's own clocks (report in by, resolve by) stop: it leaves the department's
    workspace and is never counted overdue. The case keeps its status and its deadline, so the
    sweep goes on from the case's own clock; it stops naming the department (another
    department whose whistle is still open is named instead)."""
    now = now or timezone.now()
    # The case row is locked first, as report-in and resolve do: a department reporting in at
    # the same moment waits, then finds the whistle withdrawn.
    case = _act(case, actor, Action.WITHDRAW_WHISTLE)
    _need(reason, "reason")
    whistles = Whistle.objects.select_for_update().filter(case=case, department=department)
    whistle = (
        whistles.filter(status__in=OPEN_WHISTLE_STATUSES).first()
        or whistles.order_by("-whistled_at", "-id").first()
    )
    if whistle is None:
        raise NotFound(_("This department was not whistled for this case."), field="department")
    if whistle.status == WhistleStatus.RESOLVED:
        raise IllegalTransition(
            Problem(_("A resolved whistle cannot be withdrawn."), field="status")
        )
    if whistle.status == WhistleStatus.WITHDRAWN:
        raise IllegalTransition(Problem(_("This whistle is already withdrawn."), field="status"))
    whistle.status = WhistleStatus.WITHDRAWN
    whistle.save(update_fields=["status", "updated_at"])
    if case.department_id == department.pk:
        still_open = (
            Whistle.objects.filter(case=case, status__in=OPEN_WHISTLE_STATUSES)
            .select_related("department")
            .order_by("-whistled_at", "-id")
            .first()
        )
        case.department = still_open.department if still_open else None
        case.save(update_fields=["department", "updated_at"])
    _event(
        case,
        actor,
        Action.WITHDRAW_WHISTLE,
        case.status,
        case.status,
        now,
        note=reason.strip(),
        department=department.code,
    )
    notify(
        users=department.staff.all(),
        kind="case.whistle_withdrawn",
        title=_("Whistle withdrawn: case %(number)s no longer needs %(department)s"),
        params={
            "number": case.number,
            "department": bilingual_label(department.name, department.name_en),
        },
        subject=("case", case.pk),
    )
    return whistle
