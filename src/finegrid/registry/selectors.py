"""Reads of the registry. Every read takes the user and goes through jurisdiction; care tags
are further filtered by the duty list (CARE_VISIBILITY)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finegrid.accounts.jurisdiction import scope_for
from finegrid.core import pii
from finegrid.core.errors import NotFound
from finegrid.core.models import AuditEvent
from finegrid.core.paths import under
from finegrid.grids.models import Duty, Grid, Household, Responsibility
from finegrid.grids.selectors import under_grid
from finegrid.registry.models import (
    Business,
    CareKind,
    CareTag,
    Membership,
    Person,
    Rental,
)
from finegrid.registry.permissions import REGISTRY_READERS, care_kinds_for

ID_RE = re.compile(r"^\d{17}[\dXx]$")
MOBILE_RE = re.compile(r"^1\d{10}$")
LETTERS_RE = re.compile(r"^[A-Za-z]+$")


def registry_scope(user: Any) -> Any:
    return scope_for(user, roles=REGISTRY_READERS)


def person_queryset(user: Any, *, searching: bool = False) -> QuerySet[Person]:
    return registry_scope(user).filter(Person.objects.all(), "grid_path", indexed=not searching)


# Prefix searches are written as ranges: an index serves ``col >= 'zs' AND col < 'zs{'`` on
# every database, while SQLite's LIKE (case-blind) cannot use one.
PREFIX_END = "\U0010ffff"
ADDRESS_LIST_LIMIT = 2000


def _prefix(column: str, value: str, end: str = PREFIX_END) -> Q:
    return Q(**{f"{column}__gte": value, f"{column}__lt": value + end})


def search_filter(q: str, *, households: QuerySet[Household] | None = None) -> Q:
    """What ``q`` means: a full ID or phone (exact, through the blind index), a masked one as
    shown on screen or its last four characters, pinyin initials or spelling, the start of a
    name or of a given name, or part of an address (within ``households``, the caller's)."""
    q = q.strip()
    if ID_RE.match(q):
        return Q(id_number_index=pii.blind_index("id", q.upper()))
    if MOBILE_RE.match(q):
        return Q(phone_index=pii.blind_index("phone", q))
    if "*" in q:
        return Q(id_number_masked=q.upper()) if len(q) == 18 else Q(phone_masked=q)
    if len(q) == 4 and (q.isdigit() or (q[:3].isdigit() and q[3] in "Xx")):
        return Q(id_number_tail=q.upper()) | Q(phone_tail=q)
    if q.isdigit():
        return Q(id_number_masked__endswith=q) | Q(phone_masked__endswith=q)
    if LETTERS_RE.match(q):
        low = q.lower()
        return (
            _prefix("name_initials", low, "{")
            | _prefix("name_pinyin", low, "{")
            | _prefix("name_initials_alt", low, "{")
            | _prefix("name_pinyin_alt", low, "{")
        )
    # the start of the full name (王小, 王小明) or of the given name alone (小明)
    by_name = _prefix("name", q) | _prefix("given_name", q)
    if households is None:
        return by_name
    # Addresses first, as a short list of ids: OR-ing a join into the name range would make
    # PostgreSQL and SQLite scan every person.
    matching = households.filter(address__contains=q).values_list("id", flat=True)
    ids = list(matching[: ADDRESS_LIST_LIMIT + 1])
    if len(ids) > ADDRESS_LIST_LIMIT:
        # a fragment so broad it names thousands of homes: correct first, fast second
        return by_name | Q(household_id__in=matching)
    return by_name | Q(household_id__in=ids) if ids else by_name


def person_list(
    *, user: Any, q: str = "", grid: str | None = None, include_gone: bool = False
) -> QuerySet[Person]:
    qs = person_queryset(user, searching=bool(q.strip()))
    if grid:
        qs = under_grid(qs, grid, indexed=not q.strip())
    if not include_gone:
        qs = qs.filter(household__isnull=False, deceased_on__isnull=True)
    if q.strip():
        qs = qs.filter(search_filter(q, households=household_queryset(user)))
    return qs.select_related("household").order_by("grid_path", "name", "id")


def person_get(*, user: Any, pk: int) -> Person:
    person = person_queryset(user).select_related("household").filter(pk=pk).first()
    if person is None:
        raise NotFound(_("No such person in your jurisdiction."), field="id")
    return person


def household_queryset(user: Any) -> QuerySet[Household]:
    return registry_scope(user).filter(Household.objects.all(), "grid_path")


def household_get(*, user: Any, pk: int) -> Household:
    household = (
        household_queryset(user)
        .select_related("micro_grid", "building", "unit")
        .filter(pk=pk)
        .first()
    )
    if household is None:
        raise NotFound(_("No such household in your jurisdiction."), field="id")
    return household


def household_list(*, user: Any, grid: str | None = None, q: str = "") -> QuerySet[Household]:
    qs = household_queryset(user)
    if grid:
        qs = under_grid(qs, grid)
    if q.strip():
        qs = qs.filter(address__contains=q.strip())
    return qs.select_related("micro_grid").order_by("grid_path", "address", "id")


# --- care tags ------------------------------------------------------------------------------


@dataclass(frozen=True)
class VisibleTag:
    id: int | None
    kind: str
    label: str
    attributes: dict[str, Any]
    started_on: dt.date | None
    derived: bool = False


def visible_kinds(user: Any) -> set[str]:
    return care_kinds_for(user)


def care_tags_for(
    *, user: Any, people: list[Person], today: dt.date | None = None
) -> dict[int, list[VisibleTag]]:
    """Active care tags of ``people`` that ``user``'s duties need, decrypted; aged 80+ derived."""
    today = today or timezone.localdate()
    kinds = visible_kinds(user)
    out: dict[int, list[VisibleTag]] = {p.pk: [] for p in people}
    if not kinds:
        return out
    indexes = {pii.blind_index("care", k): k for k in kinds}
    tags = CareTag.objects.filter(
        person__in=people, ended_on__isnull=True, kind_index__in=list(indexes)
    )
    for tag in tags.order_by("id"):
        data = tag.attributes()
        kind = data.pop("kind")
        out[tag.person_id].append(
            VisibleTag(tag.pk, kind, str(CareKind(kind).label), data, tag.started_on)
        )
    if CareKind.AGED_80 in kinds:
        for p in people:
            age = p.age(today)
            if age is not None and age >= 80:
                out[p.pk].append(
                    VisibleTag(
                        None,
                        CareKind.AGED_80,
                        str(CareKind.AGED_80.label),
                        {"age": age},
                        None,
                        True,
                    )
                )
    return out


def care_tag_get(*, user: Any, pk: int) -> CareTag:
    """One care tag in the user's jurisdiction and of a kind their duties need; else NotFound."""
    indexes = [pii.blind_index("care", k) for k in visible_kinds(user)]
    tag = (
        registry_scope(user)
        .filter(CareTag.objects.all(), "grid_path")
        .filter(pk=pk, kind_index__in=indexes)
        .select_related("person")
        .first()
    )
    if tag is None:
        raise NotFound(_("No such care tag in your jurisdiction."), field="id")
    return tag


def special_population(
    *, user: Any, kind: str, grid: str | None = None, today: dt.date | None = None
) -> QuerySet[Person]:
    """People of one care kind in the user's jurisdiction (under ``grid`` if given); empty for a
    kind the user's duties do not need."""
    today = today or timezone.localdate()
    if kind not in visible_kinds(user):
        return Person.objects.none()
    qs = person_list(user=user, grid=grid)
    if kind == CareKind.AGED_80:
        born_by = (
            today.replace(year=today.year - 80)
            if not (today.month == 2 and today.day == 29)
            else today.replace(year=today.year - 80, day=28)
        )
        return qs.filter(birth_date__lte=born_by)
    index = pii.blind_index("care", kind)
    return qs.filter(care_tags__kind_index=index, care_tags__ended_on__isnull=True).distinct()


# --- households and families ----------------------------------------------------------------


def living_alone_to_check(*, user: Any) -> QuerySet[Household]:
    """Households of the user's jurisdiction where someone is tagged as living alone (独居) but
    more than one person lives: the tag or the registry is out of date, and the worker checks
    which. Empty for a user whose duties do not see that tag."""
    if CareKind.LIVING_ALONE not in visible_kinds(user):
        return Household.objects.none()
    living = Person.objects.filter(household=OuterRef("pk"), deceased_on__isnull=True)
    tagged = living.filter(
        care_tags__kind_index=pii.blind_index("care", CareKind.LIVING_ALONE),
        care_tags__ended_on__isnull=True,
    )
    # a second living member is enough to know the household is not one person
    second = living.order_by("id").values("id")[1:2]
    return household_queryset(user).filter(Exists(tagged), Exists(second))


def household_worker(household: Household) -> list[Responsibility]:
    """Who answers for this household: a household-level micro-grid worker if named, else the
    micro-grid's workers."""
    own = list(
        Responsibility.objects.current().filter(household=household).select_related("person")
    )
    if own:
        return own
    return list(
        Responsibility.objects.current()
        .filter(grid_id=household.micro_grid_id, duty=Duty.MICRO_WORKER)
        .select_related("person")
    )


def household_family(*, user: Any, pk: int) -> dict[str, Any]:
    """The family page: the dwelling, its members now and before, their visible care tags and
    the worker who answers for them."""
    household = household_get(user=user, pk=pk)
    members = list(
        Person.objects.filter(household=household, deceased_on__isnull=True).order_by(
            "relation", "birth_date", "id"
        )
    )
    history = list(
        Membership.objects.filter(household=household)
        .select_related("person")
        .order_by("-moved_in", "-id")
    )
    return {
        "household": household,
        "members": members,
        "tags": care_tags_for(user=user, people=members),
        "history": history,
        "workers": household_worker(household),
        "rentals": list(
            Rental.objects.filter(household=household)
            .prefetch_related("tenants")
            .select_related("landlord")
        ),
    }


def roster(*, user: Any, grid: str) -> list[dict[str, Any]]:
    """The roster (花名册) of a grid: households with their members, in address order."""
    target = Grid.objects.filter(code=grid).first()
    if target is None or not registry_scope(user).covers(target.path):
        raise NotFound(_("No grid with this code in your jurisdiction."), field="code")
    members = Prefetch(
        "members",
        queryset=Person.objects.filter(deceased_on__isnull=True).order_by(
            "relation", "birth_date", "id"
        ),
    )
    homes = list(
        Household.objects.filter(under("grid_path", target.path))
        .prefetch_related(members)
        .order_by("address", "id")
    )
    people = [p for h in homes for p in h.members.all()]  # type: ignore[attr-defined]
    tags = care_tags_for(user=user, people=people)
    return [
        {"household": h, "members": [(p, tags[p.pk]) for p in h.members.all()]}  # type: ignore[attr-defined]
        for h in homes
    ]


def business_list(
    *, user: Any, grid: str | None = None, current: bool | None = None
) -> QuerySet[Business]:
    """Businesses in the user's jurisdiction: open ones (``current=True``), closed ones
    (``False``) or all (``None``)."""
    qs = registry_scope(user).filter(Business.objects.all(), "grid_path")
    if grid:
        qs = under_grid(qs, grid)
    if current is not None:
        qs = qs.filter(closed_on__isnull=current)
    return qs.order_by("grid_path", "name")


def business_get(*, user: Any, pk: int) -> Business:
    business = business_list(user=user).select_related("micro_grid").filter(pk=pk).first()
    if business is None:
        raise NotFound(_("No such business in your jurisdiction."), field="id")
    return business


def person_stays(*, user: Any, person: Person) -> list[Membership]:
    """A person's households, latest first (the person came through ``person_get``)."""
    if not registry_scope(user).covers(person.grid_path):  # what person_get checks, no query
        raise NotFound(_("No such person in your jurisdiction."), field="id")
    return list(
        Membership.objects.filter(person=person)
        .select_related("household")
        .order_by("-moved_in", "-id")
    )


def audit_log(
    *,
    user: Any,
    action: str = "",
    actor: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """The audit log an auditor may read: acts in their subtrees, and acts tied to no grid
    (exports, imports), which carry no path."""
    from finegrid.registry.permissions import AUDIT_READERS, access_audit_log

    access_audit_log(user)
    qs = AuditEvent.objects.select_related("actor")
    scope = scope_for(user, roles=AUDIT_READERS)
    if not scope.everything:
        within = Q(grid_path="")
        for prefix in scope.prefixes:
            within |= under("grid_path", prefix)
        qs = qs.filter(within)
    if action:
        qs = qs.filter(action=action)
    if actor.strip():
        qs = qs.filter(
            Q(actor__username__icontains=actor.strip())
            | Q(actor__display_name__icontains=actor.strip())
        )
    if since:
        qs = qs.filter(at__date__gte=since)
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs.order_by("-at", "-id")


def rental_list(
    *, user: Any, grid: str | None = None, current: bool | None = None
) -> QuerySet[Rental]:
    """Rentals in the user's jurisdiction: still let (``current=True``), ended (``False``) or
    all (``None``)."""
    qs = registry_scope(user).filter(Rental.objects.all(), "grid_path")
    if grid:
        qs = under_grid(qs, grid)
    if current is not None:
        qs = qs.filter(ended_on__isnull=current)
    return (
        qs.select_related("household", "landlord")
        .prefetch_related("tenants")
        .order_by("grid_path", "id")
    )


def rental_get(*, user: Any, pk: int) -> Rental:
    rental = rental_list(user=user).filter(pk=pk).first()
    if rental is None:
        raise NotFound(_("No such rental in your jurisdiction."), field="id")
    return rental
