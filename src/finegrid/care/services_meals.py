"""Writes of the meal rounds (助餐): subscriptions, a deliverer's round of the day, the delivery
confirmed at the door, the welfare check a door nobody opens starts, and its sweep.

"No answer" opens a welfare check assigned to the micro-grid's worker on duty, with a clock of
``CARE_WELFARE_MINUTES`` (15). Not cleared in time, the sweep claims it (``open`` → ``escalating``,
a conditional UPDATE, so two sweeps never both take it), raises the emergency call when the person
is enrolled, or opens a red case when not (decision 0032), then records what it started
(``escalated``). Both are idempotent by the check's id, so a sweep killed half way through is
finished by the next without a second call or case.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from finegrid.accounts.jurisdiction import scope_for
from finegrid.accounts.models import User
from finegrid.care import responders
from finegrid.care.models import (
    CallSource,
    DeliveryStatus,
    Diet,
    Enrolment,
    MealDelivery,
    MealRound,
    MealSubscription,
    Payer,
    WelfareCheck,
    WelfareStatus,
)
from finegrid.care.roles import OFFICIALS, Conflict
from finegrid.care.services import call_raise
from finegrid.care.services_daily import CONTACT_LOGGERS
from finegrid.core.errors import Forbidden, InvalidInput, NotFound, Problem
from finegrid.grids.models import Household
from finegrid.grids.selectors import communities_on, community_on
from finegrid.registry.models import Person

logger = logging.getLogger(__name__)

# who subscribes people to meals: grid heads, full-time workers and the officials above them
MEAL_KEEPERS = OFFICIALS
MAX_PRICE = Decimal("100")
NOTICE_KIND = "care.welfare"


def welfare_minutes() -> int:
    return int(getattr(settings, "CARE_WELFARE_MINUTES", 15))


# --- subscriptions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SubscriptionSpec:
    person: Any
    days: Any
    price: Any
    payer: str
    deliverer: str
    diet: str = Diet.REGULAR
    diet_note: str = ""
    starts_on: dt.date | None = None


@dataclass(frozen=True)
class _Clean:
    person: Person
    days: str
    price: Decimal
    payer: str
    deliverer: User
    diet: str
    diet_note: str
    starts_on: dt.date


def checked_days(raw: Any, *, row: int | None = None) -> tuple[str, list[Problem]]:
    """[1, 3, 5] (or "135") as "135"; ISO weekdays, Monday = 1."""
    values = list(str(raw)) if isinstance(raw, str) else raw
    try:
        days = sorted({int(d) for d in values}) if isinstance(values, list | tuple) else []
    except (TypeError, ValueError):
        days = []
    if not days or any(not 1 <= d <= 7 for d in days):
        return "", [
            Problem(
                _("Give the days of the week: 1 (Monday) to 7 (Sunday)."), field="days", row=row
            )
        ]
    return "".join(str(d) for d in days), []


def checked_price(raw: Any, *, row: int | None = None) -> tuple[Decimal, list[Problem]]:
    try:
        price = Decimal(str(raw)) if not isinstance(raw, bool) and raw is not None else None
    except InvalidOperation:
        price = None
    if price is None or not price.is_finite() or not Decimal(0) <= price <= MAX_PRICE:
        return Decimal(0), [
            Problem(_("The price per meal is 0 to 100 yuan."), field="price", row=row)
        ]
    if price != price.quantize(Decimal("0.01")):
        return Decimal(0), [
            Problem(_("The price is in yuan and fen (two decimals)."), field="price", row=row)
        ]
    return price, []


def _checked_fields(
    spec: SubscriptionSpec, row: int | None
) -> tuple[dict[str, Any], list[Problem]]:
    problems: list[Problem] = []
    days, bad = checked_days(spec.days, row=row)
    problems += bad
    price, bad = checked_price(spec.price, row=row)
    problems += bad
    if spec.payer not in Payer.values:
        problems.append(
            Problem(_("Say who pays: self, subsidy or family."), field="payer", row=row)
        )
    if spec.diet not in Diet.values:
        problems.append(
            Problem(
                _("Choose a diet: %(choices)s."),
                field="diet",
                row=row,
                params={"choices": ", ".join(Diet.values)},
            )
        )
    if len(spec.diet_note or "") > 100:
        problems.append(
            Problem(_("The diet note is longer than 100 characters."), field="diet_note", row=row)
        )
    today = timezone.localdate()
    starts = spec.starts_on or today
    if abs((starts - today).days) > 366:
        problems.append(
            Problem(_("A subscription starts within a year of today."), field="starts_on", row=row)
        )
    return {"days": days, "price": price, "starts_on": starts}, problems


def _checked(
    actor: Any, specs: list[SubscriptionSpec], *, rows: bool
) -> tuple[list[_Clean], list[Problem]]:
    """Every spec checked in a fixed number of queries (people, deliverers, open subscriptions)."""
    scope = scope_for(actor, roles=MEAL_KEEPERS)
    ids = [s.person for s in specs if isinstance(s.person, int) and not isinstance(s.person, bool)]
    people = {
        p.pk: p
        for p in Person.objects.select_related("household", "household__micro_grid").filter(
            pk__in=ids
        )
    }
    names = {str(s.deliverer or "").strip() for s in specs}
    users = {u.username: u for u in User.objects.filter(username__in=names, is_active=True)}
    subscribed = set(
        MealSubscription.objects.filter(person_id__in=ids, ended_at__isnull=True).values_list(
            "person_id", flat=True
        )
    )
    problems: list[Problem] = []
    clean: list[_Clean] = []
    seen: set[int] = set()
    for i, spec in enumerate(specs, start=1):
        row = i if rows else None
        person = people.get(spec.person) if isinstance(spec.person, int) else None
        if person is None or not scope.covers(person.grid_path):
            problems.append(
                Problem(_("No such person in your jurisdiction."), field="person", row=row)
            )
        elif person.household_id is None or person.deceased_on is not None:
            problems.append(
                Problem(_("The person has no current household."), field="person", row=row)
            )
        elif person.pk in subscribed or person.pk in seen:
            problems.append(Problem(_("The person already has meals."), field="person", row=row))
        if person is not None:
            seen.add(person.pk)
        deliverer = users.get(str(spec.deliverer or "").strip())
        if deliverer is None:
            problems.append(Problem(_("No such deliverer login."), field="deliverer", row=row))
        values, bad = _checked_fields(spec, row)
        problems += bad
        if person is not None and deliverer is not None and not bad:
            clean.append(
                _Clean(
                    person=person,
                    deliverer=deliverer,
                    diet=spec.diet,
                    diet_note=(spec.diet_note or "").strip(),
                    payer=spec.payer,
                    **values,
                )
            )
    return clean, problems


def meal_subscriptions_create(
    *, actor: Any, specs: list[SubscriptionSpec], rows: bool = True
) -> list[MealSubscription]:
    """Subscribe people to meals: all of them or, with any bad row, none (each problem named by
    row and field)."""
    if scope_for(actor, roles=MEAL_KEEPERS).empty:
        raise Forbidden(_("Only grid heads, grid workers and officials subscribe people to meals."))
    if not specs:
        raise InvalidInput(Problem(_("Give at least one subscription."), field="subscriptions"))
    clean, problems = _checked(actor, specs, rows=rows)
    households = [c.person.household for c in clean if c.person.household is not None]
    communities = communities_on(h.grid_path for h in households)
    made: list[MealSubscription] = []
    for i, c in enumerate(clean, start=1):
        home = c.person.household
        assert home is not None
        community = community_on(home.grid_path, communities)
        if community is None:
            problems.append(
                Problem(
                    _("The household is not in a community."),
                    field="person",
                    row=i if rows else None,
                )
            )
            continue
        made.append(
            MealSubscription(
                person=c.person,
                household=home,
                micro_grid_id=home.micro_grid_id,
                community_id=community,
                grid_path=home.grid_path,
                days=c.days,
                diet=c.diet,
                diet_note=c.diet_note,
                price=c.price,
                payer=c.payer,
                deliverer=c.deliverer,
                starts_on=c.starts_on,
                created_by=actor,
            )
        )
    if problems:
        raise InvalidInput(problems)
    try:
        with transaction.atomic():
            MealSubscription.objects.bulk_create(made, batch_size=500)
    except IntegrityError:
        # a parallel request subscribed one of them first (one open subscription per person)
        raise InvalidInput(Problem(_("The person already has meals."), field="person")) from None
    if any(s.pk is None for s in made):  # databases that do not return ids from bulk inserts
        return list(
            MealSubscription.objects.filter(
                person__in=[s.person for s in made], ended_at__isnull=True
            ).order_by("id")
        )
    return made


def _own_subscription(actor: Any, subscription_id: int) -> MealSubscription:
    found = MealSubscription.objects.filter(pk=subscription_id).first()
    if found is None or not scope_for(actor, roles=MEAL_KEEPERS).covers(found.grid_path):
        raise NotFound(_("No such meal subscription."), field="subscription")
    return found


def meal_subscription_update(
    *, actor: Any, subscription_id: int, changes: dict[str, Any]
) -> MealSubscription:
    """Change days, diet, price, payer or deliverer (from the next round made)."""
    found = _own_subscription(actor, subscription_id)
    if found.ended_at is not None:
        raise Conflict(_("The subscription has ended."), field="subscription")
    merged = SubscriptionSpec(
        person=found.person_id,
        days=changes.get("days", found.days),
        price=changes.get("price", found.price),
        payer=changes.get("payer", found.payer),
        deliverer=changes.get("deliverer", None) or "",
        diet=changes.get("diet", found.diet),
        diet_note=changes.get("diet_note", found.diet_note),
        starts_on=found.starts_on,
    )
    values, problems = _checked_fields(merged, None)
    deliverer: User | None = found.deliverer
    if "deliverer" in changes:
        deliverer = User.objects.filter(
            username=str(changes["deliverer"] or "").strip(), is_active=True
        ).first()
        if deliverer is None:
            problems.append(Problem(_("No such deliverer login."), field="deliverer"))
    if problems:
        raise InvalidInput(problems)
    assert deliverer is not None
    found.days, found.price = values["days"], values["price"]
    found.payer, found.diet, found.diet_note = merged.payer, merged.diet, merged.diet_note.strip()
    found.deliverer = deliverer
    found.save(
        update_fields=["days", "price", "payer", "diet", "diet_note", "deliverer", "updated_at"]
    )
    return found


def meal_subscription_end(
    *, actor: Any, subscription_id: int, reason: str, now: dt.datetime | None = None
) -> MealSubscription:
    found = _own_subscription(actor, subscription_id)
    if not (reason or "").strip():
        raise InvalidInput(Problem(_("Give a reason."), field="reason"))
    if found.ended_at is None:
        MealSubscription.objects.filter(pk=found.pk, ended_at__isnull=True).update(
            ended_at=now or timezone.now(),
            ended_by=actor,
            end_reason=reason.strip()[:200],
            updated_at=now or timezone.now(),
        )
        found.refresh_from_db()
    return found


# --- the round -------------------------------------------------------------------------------

_DIGITS = re.compile(r"(\d+)")


def _natural(text: str) -> str:
    """ "12栋" after "3栋": every run of digits padded to six places."""
    return _DIGITS.sub(lambda m: m.group(1).zfill(6), text or "")


def walk_key(home: Household) -> str:
    """Building, unit, floor, room: the order a deliverer climbs the stairs in."""
    building = home.building
    estate = f"{building.estate_id or 0:08d}" if building else "z" * 8
    bname = _natural(building.name) if building else _natural(home.address)
    unit = f"{home.unit.number:03d}" if home.unit else "000"
    room = (home.room or "").strip()
    floor = int(room[:-2]) if room.isdigit() and len(room) >= 3 else 0
    return f"{estate}|{bname}|{unit}|{floor:03d}|{_natural(room)}|{home.pk:010d}"[:120]


def meal_round_for(*, deliverer: User, day: dt.date) -> MealRound:
    """The deliverer's round of ``day``, with a delivery for every subscription routed to them
    for that weekday; a subscription added since the round was made joins it in its place.
    Idempotent: two phones asking at once make one round and one delivery each. Five queries
    whatever the size of the round."""
    found = MealRound.objects.filter(deliverer=deliverer, day=day).first()
    if found is None:
        try:
            with transaction.atomic():
                found = MealRound.objects.create(deliverer=deliverer, day=day)
        except IntegrityError:
            found = MealRound.objects.get(deliverer=deliverer, day=day)
    have = set(MealDelivery.objects.filter(round=found).values_list("subscription_id", flat=True))
    subs = (
        MealSubscription.objects.filter(
            deliverer=deliverer,
            ended_at__isnull=True,
            starts_on__lte=day,
            days__contains=str(day.isoweekday()),
        )
        .exclude(pk__in=have)
        .select_related("household", "household__building", "household__unit")
    )
    rows = [
        MealDelivery(
            round=found,
            subscription=s,
            day=day,
            person_id=s.person_id,
            household_id=s.household_id,
            micro_grid_id=s.micro_grid_id,
            grid_path=s.grid_path,
            walk_key=walk_key(s.household),
            diet=s.diet,
        )
        for s in subs
    ]
    if rows:
        # a parallel load inserted some of them first: the unique (subscription, day) keeps one
        MealDelivery.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    return found


# --- at the door -----------------------------------------------------------------------------


def _delivery_for(actor: Any, delivery_id: int) -> MealDelivery:
    delivery = (
        MealDelivery.objects.select_related("round", "person", "household", "micro_grid")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None:
        raise NotFound(_("No such meal delivery."), field="delivery")
    mine = delivery.round.deliverer_id == getattr(actor, "pk", None)
    if not mine and not scope_for(actor, roles=CONTACT_LOGGERS).covers(delivery.grid_path):
        raise NotFound(_("No such meal delivery."), field="delivery")
    if not mine:
        raise Forbidden(_("Only the deliverer of this round confirms its meals."))
    return delivery


def meal_delivery_confirm(
    *,
    actor: Any,
    delivery_id: int,
    result: str,
    note: str = "",
    now: dt.datetime | None = None,
) -> MealDelivery:
    """Delivered, or nobody opened the door (a welfare check starts). The same answer twice is
    one; a door opened at the second knock turns "no answer" into "delivered" and clears the
    check while it is still open."""
    now = now or timezone.now()
    note = (note or "").strip()
    problems = []
    if result not in (DeliveryStatus.DELIVERED, DeliveryStatus.NO_ANSWER):
        problems.append(Problem(_("Say delivered or no_answer."), field="result"))
    if len(note) > 200:
        problems.append(Problem(_("The note is longer than 200 characters."), field="note"))
    delivery = _delivery_for(actor, delivery_id)
    if problems:
        raise InvalidInput(problems)
    if delivery.day != timezone.localdate(now):
        raise Conflict(_("Only today's meals are confirmed."), field="delivery")
    if delivery.status == result:
        return delivery
    if delivery.status == DeliveryStatus.DELIVERED:
        raise Conflict(_("This meal is already confirmed as delivered."), field="result")
    if delivery.status == DeliveryStatus.NO_ANSWER:
        _delivered_after_all(actor, delivery, note, now)
    else:
        _first_answer(actor, delivery, result, note, now)
    delivery.refresh_from_db()
    return delivery


def _first_answer(
    actor: User, delivery: MealDelivery, result: str, note: str, now: dt.datetime
) -> None:
    assigned = None
    if result == DeliveryStatus.NO_ANSWER:
        workers = responders.micro_workers(delivery.micro_grid, now)
        assigned = workers[0] if workers else None
        heads = (
            []
            if assigned
            else responders.grid_heads([delivery.micro_grid]).get(delivery.micro_grid_id, [])
        )
    with transaction.atomic():
        moved = MealDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.PENDING).update(
            status=result, confirmed_at=now, confirmed_by=actor, note=note, updated_at=now
        )
        if not moved or result != DeliveryStatus.NO_ANSWER:
            return
        check = WelfareCheck.objects.create(
            delivery=delivery,
            person_id=delivery.person_id,
            household_id=delivery.household_id,
            micro_grid_id=delivery.micro_grid_id,
            grid_path=delivery.grid_path,
            opened_by=actor,
            assigned_to_id=assigned,
            due_at=now + dt.timedelta(minutes=welfare_minutes()),
        )
        _welfare_notice(
            check,
            delivery,
            [assigned] if assigned else heads,
            _(
                "Welfare check: nobody opened the door to %(name)s (%(place)s) for the meal. "
                "Check and clear it within %(minutes)s minutes, or the emergency chain starts."
            ),
        )


def _delivered_after_all(actor: User, delivery: MealDelivery, note: str, now: dt.datetime) -> None:
    check = WelfareCheck.objects.filter(delivery=delivery).first()
    with transaction.atomic():
        if check is not None:
            cleared = WelfareCheck.objects.filter(pk=check.pk, status=WelfareStatus.OPEN).update(
                status=WelfareStatus.CLEARED,
                cleared_at=now,
                cleared_by=actor,
                note=note or str(_("The door was opened at a second knock; meal delivered.")),
                updated_at=now,
            )
            if not cleared:
                raise _escalated_error(check)
        MealDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.NO_ANSWER).update(
            status=DeliveryStatus.DELIVERED,
            confirmed_at=now,
            confirmed_by=actor,
            note=note,
            updated_at=now,
        )


def _escalated_error(check: WelfareCheck) -> Conflict:
    check.refresh_from_db()
    if check.status == WelfareStatus.CLEARED:
        return Conflict(_("The welfare check is already cleared."), field="status")
    if check.call_id:
        return Conflict(
            _("The welfare check has started emergency call %(call)s: close it there."),
            field="status",
            params={"call": check.call_id},
        )
    return Conflict(
        _("The welfare check has been escalated: it can no longer be cleared here."),
        field="status",
    )


def _welfare_notice(
    check: WelfareCheck, delivery: MealDelivery, users: list[int], title: Any
) -> None:
    from finegrid.notifications.services import notify

    notify(
        users=[u for u in users if u],
        kind=NOTICE_KIND,
        title=title,
        params={
            "name": delivery.person.name,
            "place": delivery.household.address,
            "minutes": welfare_minutes(),
            "call": check.call_id or "",
            "case": check.case_id or "",
        },
        subject=(NOTICE_KIND, check.pk),
        url=reverse("care:welfare", args=[check.pk]),
    )


def welfare_check_for(actor: Any, check_id: int) -> WelfareCheck:
    """A check its worker, its deliverer or an official over its household may read."""
    check = (
        WelfareCheck.objects.select_related("delivery", "person", "household", "micro_grid")
        .filter(pk=check_id)
        .first()
    )
    pk = getattr(actor, "pk", None)
    if check is None or not (
        check.assigned_to_id == pk
        or check.opened_by_id == pk
        or scope_for(actor, roles=CONTACT_LOGGERS).covers(check.grid_path)
    ):
        raise NotFound(_("No such welfare check."), field="check")
    return check


def welfare_check_clear(
    *, actor: Any, check_id: int, note: str, now: dt.datetime | None = None
) -> WelfareCheck:
    """The worker found the person well (or saw to them): cleared, with what they found."""
    now = now or timezone.now()
    check = welfare_check_for(actor, check_id)
    may_clear = check.assigned_to_id == actor.pk or scope_for(actor, roles=CONTACT_LOGGERS).covers(
        check.grid_path
    )
    if not may_clear:
        raise Forbidden(_("Only the micro-grid's worker or the officials above clear it."))
    note = (note or "").strip()
    if not note:
        raise InvalidInput(Problem(_("Say what you found."), field="note"))
    if len(note) > 500:
        raise InvalidInput(Problem(_("The note is longer than 500 characters."), field="note"))
    cleared = WelfareCheck.objects.filter(pk=check.pk, status=WelfareStatus.OPEN).update(
        status=WelfareStatus.CLEARED, cleared_at=now, cleared_by=actor, note=note, updated_at=now
    )
    if not cleared:
        raise _escalated_error(check)
    check.refresh_from_db()
    return check


# --- the sweep -------------------------------------------------------------------------------


def welfare_sweep(now: dt.datetime | None = None, limit: int = 100) -> int:
    """Escalate every welfare check whose clock ran out (and finish any escalation a killed
    process left half done). Answers how many it escalated."""
    now = now or timezone.now()
    due = list(
        WelfareCheck.objects.filter(
            status__in=(WelfareStatus.OPEN, WelfareStatus.ESCALATING), due_at__lte=now
        )
        .order_by("due_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    done = 0
    for pk in due:
        try:
            done += welfare_escalate(pk, now=now)
        except Exception:
            # one check failing must not hold up the others; the next sweep retries it
            logger.exception("care: escalating welfare check %s failed", pk)
    return done


def welfare_call_body(check: WelfareCheck) -> dict[str, Any]:
    """What the call is raised with: the same on every retry (its digest guards the key), so
    nothing that a translation or a rename could change between two tries."""
    return {"welfare_check": check.pk}


def welfare_escalate(check_id: int, *, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    WelfareCheck.objects.filter(pk=check_id, status=WelfareStatus.OPEN, due_at__lte=now).update(
        status=WelfareStatus.ESCALATING, updated_at=now
    )
    check = (
        WelfareCheck.objects.select_related("delivery", "person", "household", "micro_grid")
        .filter(pk=check_id)
        .first()
    )
    if check is None or check.status != WelfareStatus.ESCALATING:
        return 0
    enrolment = Enrolment.objects.filter(person_id=check.person_id, ended_at__isnull=True).first()
    values: dict[str, Any] = {}
    if enrolment is not None:
        call, _created = call_raise(
            enrolment=enrolment,
            source=CallSource.MEAL,
            raised_by=check.opened_by,
            body=welfare_call_body(check),
            idempotency_key=f"welfare-{check.pk}",
            caller="meal",
            now=now,
        )
        values["call_id"] = call.pk
        title = _(
            "Welfare check of %(name)s (%(place)s) not cleared in %(minutes)s minutes: "
            "emergency call %(call)s started."
        )
    else:
        values["case_id"] = _red_case(check, now)
        title = _(
            "Welfare check of %(name)s (%(place)s) not cleared in %(minutes)s minutes: "
            "red case opened."
        )
    with transaction.atomic():
        moved = WelfareCheck.objects.filter(pk=check.pk, status=WelfareStatus.ESCALATING).update(
            status=WelfareStatus.ESCALATED, escalated_at=now, updated_at=now, **values
        )
        if moved:
            check.call_id = values.get("call_id")
            check.case_id = values.get("case_id")
            heads = responders.grid_heads([check.micro_grid]).get(check.micro_grid_id, [])
            _welfare_notice(check, check.delivery, [*heads, check.assigned_to_id or 0], title)
    return int(bool(moved))


def _red_case(check: WelfareCheck, now: dt.datetime) -> int:
    """Someone not enrolled for the emergency call: a red case in the cases loop (decision
    0032), idempotent by the check, so a retried sweep opens one."""
    from finegrid.cases.models import Source, Urgency
    from finegrid.cases.services import CaseReport, case_report

    with translation.override("zh-hans"):
        description = str(
            _(
                "Meal delivery: nobody opened the door to %(name)s (%(place)s) and the welfare "
                "check was not cleared within %(minutes)s minutes. Check on them now."
            )
            % {
                "name": check.person.name,
                "place": check.household.address,
                "minutes": welfare_minutes(),
            }
        )
    case, _created = case_report(
        actor=None,
        report=CaseReport(
            category="special_care",
            description=description,
            source=Source.MODULE,
            household_id=check.household_id,
            urgency=Urgency.CRITICAL,
        ),
        idempotency_key=f"welfare-{check.pk}",
        caller="meal",
        now=now,
    )
    return case.pk
