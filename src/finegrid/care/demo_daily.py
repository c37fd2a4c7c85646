"""Daily care and the meal rounds of the demo street (called by the care demo seeder).

- ``seed_daily``: a watch for everyone a contact plan covers, and in 锦丰社区 a week of contacts
  logged by the micro-grid workers, with about one person in eight gone quiet, so that the grid
  head's list and the workers' alerts have something to show within a minute of ``make demo``.
- ``seed_meals``: the 锦丰号 meal van — up to 300 of 锦丰's elderly people living alone subscribed
  to lunch, split by building among three riders (丰行侠) and a volunteer, whose logins
  (``rider``, ``rider2``, ``rider3``, ``volunteer``) open on today's round.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from finegrid.accounts.models import Role, RoleAssignment, User
from finegrid.care import daily_plans
from finegrid.care.models import (
    CareContact,
    ContactKind,
    ContactWatch,
    Diet,
    MealSubscription,
    Payer,
)
from finegrid.care.services_daily import watches_sync
from finegrid.core import pii
from finegrid.core.paths import under
from finegrid.grids.models import Duty, Grid, Household, Level, Responsibility
from finegrid.registry.models import CareKind, CareTag, Person

JINFENG = "锦丰"
MEALS = 300
QUIET_SHARE = 0.12
DELIVERERS = [
    ("rider", "王小川", "丰行侠"),
    ("rider2", "李大伟", "丰行侠"),
    ("rider3", "周晓峰", "丰行侠"),
    ("volunteer", "陈美兰", "志愿者"),
]
DIETS = ((Diet.REGULAR, 0.6), (Diet.SOFT, 0.2), (Diet.LOW_SALT, 0.12), (Diet.LOW_SUGAR, 0.08))
# how a daily contact is made: a call twice as often as a visit or a message
KINDS = [ContactKind.PHONE, ContactKind.PHONE, ContactKind.VISIT, ContactKind.MESSAGE]
PAYERS = ((Payer.SUBSIDY, 0.7), (Payer.SELF, 0.2), (Payer.FAMILY, 0.1))


def _jinfeng() -> Grid | None:
    return (
        Grid.objects.filter(level=Level.COMMUNITY, name__startswith=JINFENG)
        .order_by("path")
        .first()
    )


def _pick(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    values, weights = zip(*table, strict=True)
    return rng.choices(values, weights)[0]


# --- daily care ------------------------------------------------------------------------------


def seed_daily(scale_name: str, seed_value: int) -> dict[str, int]:
    started = time.perf_counter()
    rng = random.Random(seed_value * 104729 + 11)
    now = timezone.now()
    made = watches_sync(now=now)
    counts = {"contact watches": made["created"]}
    community = _jinfeng()
    if community is not None:
        with transaction.atomic():
            counts.update(_contacts(rng, community, now))
    counts["daily_care_seconds"] = round(time.perf_counter() - started)
    return counts


def _workers_by_micro(prefix: str) -> dict[int, int]:
    rows = Responsibility.objects.current().filter(
        under("grid__path", prefix), duty=Duty.MICRO_WORKER
    )
    out: dict[int, int] = {}
    for grid_id, person_id in rows.values_list("grid_id", "person_id").order_by("id"):
        out.setdefault(grid_id, person_id)
    return out


def _contacts(rng: random.Random, community: Grid, now: dt.datetime) -> dict[str, int]:
    """A week of contacts in the community: most people in touch, one in eight gone quiet."""
    workers = _workers_by_micro(community.path)
    fallback = User.objects.filter(username="worker").values_list("pk", flat=True).first()
    watches = list(ContactWatch.objects.filter(under("grid_path", community.path)).order_by("id"))
    # the demo login ``worker`` has someone gone quiet among the households they answer for
    shown = next((w.pk for w in watches if workers.get(w.micro_grid_id) == fallback), None)
    contacts: list[CareContact] = []
    quiet = 0
    for w in watches:
        by = workers.get(w.micro_grid_id) or fallback
        if by is None:
            continue
        span = dt.timedelta(days=w.every_days)
        if w.pk == shown or rng.random() < QUIET_SHARE:
            quiet += 1
            at = now - span * rng.uniform(2.2, 3.5) - dt.timedelta(days=1)
        else:
            at = now - span * rng.uniform(0.05, 0.8)
        kind = (
            ContactKind.VISIT
            if w.visit_only
            else rng.choice(
                [ContactKind.PHONE, ContactKind.PHONE, ContactKind.VISIT, ContactKind.MESSAGE]
            )
        )
        contacts.append(
            CareContact(
                person_id=w.person_id,
                household_id=w.household_id,
                micro_grid_id=w.micro_grid_id,
                grid_path=w.grid_path,
                kind=kind,
                at=at,
                recorded_by_id=by,
                note="",
            )
        )
        due = daily_plans.due_after(at, w.every_days)
        w.last_contact_at, w.last_contact_kind, w.due_at, w.since = at, kind, due, at
        w.next_check_at = due
    CareContact.objects.bulk_create(contacts, batch_size=500)
    ContactWatch.objects.bulk_update(
        watches,
        ["last_contact_at", "last_contact_kind", "due_at", "since", "next_check_at"],
        batch_size=500,
    )
    return {"care contacts": len(contacts), "gone quiet in 锦丰": quiet}


# --- meal rounds -----------------------------------------------------------------------------


def _deliverers() -> list[User]:
    password = make_password(settings.DEMO_PASSWORD)
    out = []
    for username, name, _kind in DELIVERERS:
        user, _created = User.objects.get_or_create(
            username=username, defaults={"display_name": name, "password": password}
        )
        out.append(user)
    return out


def _keeper(community: Grid) -> User | None:
    """Who subscribed them: the community's official (the demo login ``official``)."""
    found = (
        RoleAssignment.objects.filter(role=Role.COMMUNITY_OFFICIAL, grid=community)
        .select_related("user")
        .order_by("id")
        .first()
    )
    if found is not None:
        return found.user
    return User.objects.filter(is_superuser=True).order_by("id").first()


def seed_meals(scale_name: str, seed_value: int) -> dict[str, int]:
    started = time.perf_counter()
    community = _jinfeng()
    if community is None:
        return {}
    rng = random.Random(seed_value * 7907 + 5)
    keeper = _keeper(community)
    if keeper is None:
        return {}
    with transaction.atomic():
        riders = _deliverers()
        made = _subscriptions(rng, community, riders, keeper)
    return {
        "meal subscriptions": made,
        "meal deliverers": len(riders),
        "meals_seconds": round(time.perf_counter() - started),
    }


def _subscriptions(rng: random.Random, community: Grid, riders: list[User], keeper: User) -> int:
    from finegrid.care.services_meals import walk_key

    today = timezone.localdate()
    alone = (
        CareTag.objects.filter(
            under("person__grid_path", community.path),
            kind_index=pii.blind_index("care", CareKind.LIVING_ALONE),
            ended_on__isnull=True,
            person__household__isnull=False,
            person__deceased_on__isnull=True,
        )
        .values_list("person_id", flat=True)
        .distinct()
    )
    taken = set(
        MealSubscription.objects.filter(ended_at__isnull=True).values_list("person_id", flat=True)
    )
    people = list(
        Person.objects.filter(pk__in=list(alone))
        .exclude(pk__in=taken)
        .select_related("household", "household__building", "household__unit")
        .order_by("id")[:MEALS]
    )
    people.sort(key=lambda p: walk_key(_home(p)))
    share = max(1, -(-len(people) // len(riders)))  # contiguous buildings per deliverer
    rows: list[MealSubscription] = []
    for i, p in enumerate(people):
        home = _home(p)
        weekdays = "1234567" if rng.random() < 0.8 else "12345"
        rows.append(
            MealSubscription(
                person=p,
                household=home,
                micro_grid_id=home.micro_grid_id,
                community=community,
                grid_path=home.grid_path,
                days=weekdays,
                diet=_pick(rng, DIETS),
                price=Decimal("12.00"),
                payer=_pick(rng, PAYERS),
                deliverer=riders[min(i // share, len(riders) - 1)],
                starts_on=today - dt.timedelta(days=rng.randint(7, 180)),
                created_by=keeper,
            )
        )
    MealSubscription.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def _home(person: Person) -> Household:
    assert person.household is not None
    return person.household
