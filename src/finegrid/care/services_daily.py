"""Writes of daily care (关爱): a community's contact plans, a contact logged, the watches kept
in step with the registry's care tags, and the sweep that alerts on a missed contact.

A missed contact alerts the micro-grid's worker (on duty now) when the contact falls due; if
nobody has been in touch ``escalate_hours`` later, the grid head. Every alert is a conditional
UPDATE of the watch's stage and next look, with the notification in the same transaction, so two
sweeps running at once alert once. A household visit logged in the workforce (``HouseholdState``)
counts as a contact: the sweep folds it into the watch before it alerts anyone.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finegrid.accounts.jurisdiction import scope_for
from finegrid.accounts.models import Role
from finegrid.care import daily_plans, responders
from finegrid.care.models import CareContact, ContactKind, ContactPlan, ContactWatch, WatchStage
from finegrid.care.roles import CHAIN_KEEPERS, OFFICIALS
from finegrid.core import pii
from finegrid.core.errors import Forbidden, InvalidInput, NotFound, Problem
from finegrid.core.paths import under
from finegrid.grids.models import Grid, Level
from finegrid.grids.selectors import community_on
from finegrid.notifications.services import notify
from finegrid.registry.models import CARE_VISIBILITY, CareKind, CareTag, Person
from finegrid.workforce.models import HouseholdState, Worker
from finegrid.workforce.permissions_patrols import serves
from finegrid.workforce.services_patrols import household_visit_record

logger = logging.getLogger(__name__)

# who logs contacts and reads who has gone quiet: the field staff and the officials above them
CONTACT_LOGGERS = frozenset({*OFFICIALS, Role.MICRO_WORKER})
# a contact may be logged a while after it happened, not weeks later, and never ahead
MAX_BACKDATE = dt.timedelta(days=7)
CLOCK_SKEW = dt.timedelta(minutes=5)
NOTICE_KIND = "care.quiet"


# --- plans -----------------------------------------------------------------------------------


def contact_plans_set(
    *, actor: Any, community: Grid, rows: list[dict[str, Any]], now: dt.datetime | None = None
) -> list[daily_plans.Plan]:
    """Replace a community's plans (kinds not named keep the default) and re-time its watches,
    in one transaction: refused whole, naming each bad row and field."""
    if community.level != Level.COMMUNITY:
        raise InvalidInput(Problem(_("Contact plans belong to a community."), field="community"))
    if not scope_for(actor, roles=CHAIN_KEEPERS).covers(community.path):
        raise Forbidden(_("You may not change this community's contact plans."))
    plans = daily_plans.checked_plans(rows)
    with transaction.atomic():
        ContactPlan.objects.filter(community=community).delete()
        ContactPlan.objects.bulk_create(
            ContactPlan(
                community=community,
                tag_kind=p.tag_kind,
                every_days=p.every_days,
                visit_only=p.visit_only,
                escalate_hours=p.escalate_hours,
                active=p.active,
            )
            for p in plans
        )
        watches_sync(prefix=community.path, now=now)
    table = daily_plans.plans_by_community([community.pk])
    return list(daily_plans.plans_of(table, community.pk).values())


# --- the watches -----------------------------------------------------------------------------


@dataclass
class _Wanted:
    household_id: int
    micro_grid_id: int
    grid_path: str
    community_id: int
    plan: daily_plans.Plan


def _communities() -> dict[str, int]:
    return dict(Grid.objects.filter(level=Level.COMMUNITY).values_list("path", "id"))


def _born_by(today: dt.date) -> dt.date:
    if today.month == 2 and today.day == 29:
        return today.replace(year=today.year - 80, day=28)
    return today.replace(year=today.year - 80)


def _wanted(
    *, today: dt.date, prefix: str, person_ids: list[int] | None
) -> dict[tuple[int, str], _Wanted]:
    """Every (person, kind) that an active plan covers now: current care tags, and the aged 80
    or over by their birth date (the registry derives that kind, it is never tagged)."""
    table = daily_plans.plans_by_community()
    communities = _communities()
    kinds = {k for plans in table.values() for k, p in plans.items() if p.active}
    living = Q(person__household__isnull=False, person__deceased_on__isnull=True)
    rows: list[tuple[int, str, int, int, str]] = []
    indexes = {pii.blind_index("care", k): k for k in kinds if k != CareKind.AGED_80}
    if indexes:
        tags = (
            CareTag.objects.filter(living, kind_index__in=list(indexes))
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
            .filter(Q(started_on__isnull=True) | Q(started_on__lte=today))
        )
        if prefix:
            tags = tags.filter(under("person__grid_path", prefix))
        if person_ids is not None:
            tags = tags.filter(person_id__in=person_ids)
        for pid, index, hid, mid, path in tags.values_list(
            "person_id",
            "kind_index",
            "person__household_id",
            "person__household__micro_grid_id",
            "person__household__grid_path",
        ):
            rows.append((pid, indexes[index], hid, mid, path))
    if CareKind.AGED_80 in kinds:
        old = Person.objects.filter(
            household__isnull=False, deceased_on__isnull=True, birth_date__lte=_born_by(today)
        )
        if prefix:
            old = old.filter(under("grid_path", prefix))
        if person_ids is not None:
            old = old.filter(pk__in=person_ids)
        for pid, hid, mid, path in old.values_list(
            "pk", "household_id", "household__micro_grid_id", "household__grid_path"
        ):
            rows.append((pid, CareKind.AGED_80, hid, mid, path))
    out: dict[tuple[int, str], _Wanted] = {}
    for pid, kind, hid, mid, path in rows:
        community = community_on(path, communities)
        if community is None:
            continue
        plan = daily_plans.plans_of(table, community).get(kind)
        if plan is not None and plan.active:
            out[(pid, kind)] = _Wanted(hid, mid, path, community, plan)
    return out


def _baselines(person_ids: list[int]) -> tuple[dict[int, dt.datetime], dict[int, dt.datetime]]:
    """The last reached contact of each person, of any kind and by a visit."""
    reached = CareContact.objects.filter(person_id__in=person_ids, reached=True)
    anyhow = dict(
        reached.values("person_id").annotate(last=Max("at")).values_list("person_id", "last")
    )
    visited = dict(
        reached.filter(kind=ContactKind.VISIT)
        .values("person_id")
        .annotate(last=Max("at"))
        .values_list("person_id", "last")
    )
    return anyhow, visited


def _retimed(watch: ContactWatch, now: dt.datetime) -> dict[str, Any]:
    """The due time (and stage) of a watch whose plan changed."""
    base = watch.last_contact_at or watch.since
    due = daily_plans.due_after(base, watch.every_days)
    if due > now:
        return {
            "due_at": due,
            "stage": WatchStage.OK,
            "next_check_at": due,
            "worker_alerted_at": None,
            "head_alerted_at": None,
        }
    return {
        "due_at": due,
        "next_check_at": due if watch.stage == WatchStage.OK else watch.next_check_at,
    }


@transaction.atomic
def watches_sync(
    *, now: dt.datetime | None = None, prefix: str = "", person_ids: list[int] | None = None
) -> dict[str, int]:
    """Make a watch for every (person, kind) a plan covers, re-time those whose plan or home
    changed, and drop those no plan covers any more (a tag ended, a death, a move away)."""
    now = now or timezone.now()
    wanted = _wanted(today=timezone.localdate(now), prefix=prefix, person_ids=person_ids)
    existing = ContactWatch.objects.all()
    if prefix:
        existing = existing.filter(under("grid_path", prefix))
    if person_ids is not None:
        existing = existing.filter(person_id__in=person_ids)
    have = {(w.person_id, w.tag_kind): w for w in existing}
    gone = [w.pk for key, w in have.items() if key not in wanted]
    ContactWatch.objects.filter(pk__in=gone).delete()
    changed = 0
    for key, w in have.items():
        want = wanted.get(key)
        if want is None:
            continue
        values = {
            "household_id": want.household_id,
            "micro_grid_id": want.micro_grid_id,
            "grid_path": want.grid_path,
            "community_id": want.community_id,
            "every_days": want.plan.every_days,
            "visit_only": want.plan.visit_only,
            "escalate_hours": want.plan.escalate_hours,
        }
        if all(getattr(w, k) == v for k, v in values.items()):
            continue
        for k, v in values.items():
            setattr(w, k, v)
        values.update(_retimed(w, now))
        ContactWatch.objects.filter(pk=w.pk).update(updated_at=now, **values)
        changed += 1
    missing = [key for key in wanted if key not in have]
    anyhow, visited = _baselines(sorted({pid for pid, _k in missing}))
    rows = []
    for pid, kind in missing:
        want = wanted[(pid, kind)]
        last = (visited if want.plan.visit_only else anyhow).get(pid)
        due = daily_plans.due_after(last or now, want.plan.every_days)
        rows.append(
            ContactWatch(
                person_id=pid,
                tag_kind=kind,
                household_id=want.household_id,
                micro_grid_id=want.micro_grid_id,
                grid_path=want.grid_path,
                community_id=want.community_id,
                every_days=want.plan.every_days,
                visit_only=want.plan.visit_only,
                escalate_hours=want.plan.escalate_hours,
                last_contact_at=last,
                last_contact_kind=(ContactKind.VISIT if want.plan.visit_only else "")
                if last
                else "",
                since=now,
                due_at=due,
                next_check_at=due,
            )
        )
    ContactWatch.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    return {"created": len(rows), "changed": changed, "removed": len(gone)}


# --- a contact -------------------------------------------------------------------------------


@dataclass
class Recorded:
    contact: CareContact
    created: bool
    watches: list[ContactWatch] = field(default_factory=list)


def _person_for(actor: Any, person_id: Any) -> Person:
    person = (
        Person.objects.select_related("household", "household__micro_grid")
        .filter(pk=person_id)
        .first()
        if isinstance(person_id, int)
        else None
    )
    if person is None or not scope_for(actor, roles=CONTACT_LOGGERS).covers(person.grid_path):
        raise NotFound(_("No such person in your jurisdiction."), field="person")
    return person


def _checked_contact(
    person: Person, kind: str, at: dt.datetime, now: dt.datetime, note: str
) -> list[Problem]:
    problems = []
    if person.household_id is None or person.deceased_on is not None:
        problems.append(Problem(_("The person has no current household."), field="person"))
    if kind not in ContactKind.values:
        problems.append(
            Problem(_("Choose how you were in touch: phone, visit or message."), field="kind")
        )
    if at.tzinfo is None:
        problems.append(Problem(_("The time needs a time zone."), field="at"))
    elif at > now + CLOCK_SKEW:
        problems.append(Problem(_("A contact cannot be logged ahead of time."), field="at"))
    elif at < now - MAX_BACKDATE:
        problems.append(Problem(_("A contact is logged within 7 days of it."), field="at"))
    if len(note) > 500:
        problems.append(Problem(_("The note is longer than 500 characters."), field="note"))
    return problems


def _serving_worker(actor: Any, grid_path: str) -> Worker | None:
    pk = getattr(actor, "pk", None)
    worker = Worker.objects.filter(user_id=pk).first() if pk is not None else None
    if worker is None or not worker.serving or not serves(worker, grid_path):
        return None
    return worker


def contact_record(
    *,
    actor: Any,
    person_id: Any,
    kind: str,
    reached: bool = True,
    at: dt.datetime | None = None,
    note: str = "",
    idempotency_key: str = "",
    now: dt.datetime | None = None,
) -> Recorded:
    """Log a contact with a person of one's jurisdiction. A visit by a worker serving the
    household is recorded as the workforce's household visit as well (it counts for coverage);
    a reached contact restarts the clock of every watch it satisfies."""
    now = now or timezone.now()
    at = at or now
    note = (note or "").strip()
    person = _person_for(actor, person_id)
    key = f"{actor.pk}:{idempotency_key}" if idempotency_key else None
    if key:
        earlier = CareContact.objects.filter(idempotency_key=key).first()
        if earlier is not None:
            return Recorded(earlier, False, _watches_of(person.pk))
    problems = _checked_contact(person, kind, at, now, note)
    if problems:
        raise InvalidInput(problems)
    household = person.household
    assert household is not None
    worker = _serving_worker(actor, household.grid_path) if kind == ContactKind.VISIT else None
    try:
        with transaction.atomic():
            visit = None
            if worker is not None:
                visit = household_visit_record(
                    actor=actor,
                    household_id=household.pk,
                    outcome="met" if reached else "not_home",
                    note=note,
                    at=at,
                )
            contact = CareContact.objects.create(
                person=person,
                household=household,
                micro_grid_id=household.micro_grid_id,
                grid_path=household.grid_path,
                kind=kind,
                at=at,
                reached=reached,
                note=note,
                recorded_by=actor,
                visit=visit,
                idempotency_key=key,
            )
            watches_sync(person_ids=[person.pk], now=now)
            if reached:
                _contact_applied(person.pk, kind, at, now)
    except IntegrityError:
        earlier = CareContact.objects.filter(idempotency_key=key).first() if key else None
        if earlier is None:
            raise
        return Recorded(earlier, False, _watches_of(person.pk))
    return Recorded(contact, True, _watches_of(person.pk))


def _watches_of(person_id: int) -> list[ContactWatch]:
    return list(ContactWatch.objects.filter(person_id=person_id).order_by("tag_kind"))


def _contact_applied(person_id: int, kind: str, at: dt.datetime, now: dt.datetime) -> None:
    for w in ContactWatch.objects.select_for_update().filter(person_id=person_id):
        if w.visit_only and kind != ContactKind.VISIT:
            continue
        if w.last_contact_at is not None and w.last_contact_at >= at:
            continue
        due = daily_plans.due_after(at, w.every_days)
        values: dict[str, Any] = {"last_contact_at": at, "last_contact_kind": kind, "due_at": due}
        if due > now:
            values.update(
                stage=WatchStage.OK,
                next_check_at=due,
                worker_alerted_at=None,
                head_alerted_at=None,
            )
        elif w.stage == WatchStage.OK:
            values["next_check_at"] = due
        ContactWatch.objects.filter(pk=w.pk).update(updated_at=now, **values)


# --- the sweep -------------------------------------------------------------------------------


def _micro_worker_sees(kind: str) -> bool:
    return Role.MICRO_WORKER in CARE_VISIBILITY.get(kind, frozenset())


def _since_text(watch: ContactWatch) -> str:
    if watch.last_contact_at is None:
        return ""
    return f"{timezone.localtime(watch.last_contact_at):%m-%d %H:%M}"


def _notice(watch: ContactWatch, users: list[int], *, head: bool) -> None:
    since = _since_text(watch)
    params = {"name": watch.person.name, "place": watch.household.address, "since": since}
    if head:
        title = (
            _("Gone quiet: no contact with %(name)s (%(place)s) since %(since)s.")
            if since
            else _("Gone quiet: no contact with %(name)s (%(place)s) has been recorded.")
        )
    else:
        title = (
            _("No contact with %(name)s (%(place)s) since %(since)s: please get in touch.")
            if since
            else _("No contact with %(name)s (%(place)s) is recorded: please get in touch.")
        )
    code = watch.micro_grid.code
    notify(
        users=users,
        kind=NOTICE_KIND,
        title=title,
        params=params,
        subject=(NOTICE_KIND, code),
        url=reverse("care:quiet") + f"?grid={code}",
    )


def _fold_visit(
    watch: ContactWatch, visited: dt.datetime | None, now: dt.datetime
) -> dict[str, Any] | None:
    """The changes a household visit newer than the watch's baseline makes, or None."""
    base = watch.last_contact_at or watch.since
    if visited is None or visited <= base:
        return None
    due = daily_plans.due_after(visited, watch.every_days)
    values: dict[str, Any] = {
        "last_contact_at": visited,
        "last_contact_kind": ContactKind.VISIT,
        "due_at": due,
    }
    if due > now:
        values.update(
            stage=WatchStage.OK, next_check_at=due, worker_alerted_at=None, head_alerted_at=None
        )
    watch.last_contact_at, watch.last_contact_kind, watch.due_at = visited, ContactKind.VISIT, due
    return values


def _move(watch: ContactWatch, values: dict[str, Any], now: dt.datetime) -> bool:
    return bool(
        ContactWatch.objects.filter(
            pk=watch.pk, stage=watch.stage, next_check_at=watch.next_check_at
        ).update(updated_at=now, **values)
    )


def contacts_sweep(now: dt.datetime | None = None, limit: int = 500) -> int:
    """Alert on every watch whose contact (or whose grid head's turn) is due. Answers how many
    watches it moved."""
    now = now or timezone.now()
    due = list(
        ContactWatch.objects.filter(next_check_at__lte=now)
        .select_related("person", "household", "micro_grid")
        .order_by("next_check_at", "id")[:limit]
    )
    if not due:
        return 0
    visits = dict(
        HouseholdState.objects.filter(
            household_id__in={w.household_id for w in due}, last_reached_at__isnull=False
        ).values_list("household_id", "last_reached_at")
    )
    heads = responders.grid_heads(list({w.micro_grid_id: w.micro_grid for w in due}.values()))
    workers: dict[int, list[int]] = {}
    moved = 0
    for watch in due:
        try:
            moved += _sweep_one(watch, visits.get(watch.household_id), heads, workers, now)
        except Exception:
            # one bad row must not stop the alerts of the others
            logger.exception("care: sweeping contact watch %s failed", watch.pk)
    return moved


def _sweep_one(
    watch: ContactWatch,
    visited: dt.datetime | None,
    heads: dict[int, list[int]],
    workers: dict[int, list[int]],
    now: dt.datetime,
) -> int:
    values = _fold_visit(watch, visited, now) or {}
    if values.get("stage") == WatchStage.OK:
        return int(_move(watch, values, now))
    to_head = watch.stage != WatchStage.OK
    users: list[int] = []
    if not to_head and _micro_worker_sees(watch.tag_kind):
        if watch.micro_grid_id not in workers:
            workers[watch.micro_grid_id] = responders.micro_workers(watch.micro_grid, now)
        users = workers[watch.micro_grid_id]
    if not to_head and users:
        values.update(
            stage=WatchStage.WORKER,
            worker_alerted_at=now,
            next_check_at=now + dt.timedelta(hours=watch.escalate_hours),
        )
    else:
        to_head = True
        users = heads.get(watch.micro_grid_id, [])
        values.update(stage=WatchStage.HEAD, head_alerted_at=now, next_check_at=None)
        if not users:
            logger.warning("care: nobody to tell that person %s has gone quiet", watch.person_id)
    with transaction.atomic():
        if not _move(watch, values, now):
            return 0
        if users:
            _notice(watch, users, head=to_head)
    return 1


def watches_sync_all() -> dict[str, int]:
    """The periodic sync: every community's watches against the registry."""
    return watches_sync()
