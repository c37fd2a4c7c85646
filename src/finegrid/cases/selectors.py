"""Reads of cases: scoped queues and lists, the trace, duplicates and the figures."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models import Case as Choose
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finegrid.accounts.jurisdiction import scope_for
from finegrid.cases.models import OPEN_STATUSES, Case, CaseEvent, Colour, Status
from finegrid.cases.permissions import CASE_READERS
from finegrid.cases.workflow import PUBLIC_ACTIONS
from finegrid.core.errors import InvalidInput, NotFound, Problem
from finegrid.core.text import natural_key
from finegrid.grids.geo import METRES_PER_DEGREE
from finegrid.grids.selectors import under_grid


def case_queryset(user: Any) -> QuerySet[Case]:
    return scope_for(user, roles=CASE_READERS).filter(Case.objects.all(), "grid_path")


def parse_id(value: str) -> int | None:
    """A row id a client sent as text, or None if it cannot name a row: ``str.isdigit`` also
    accepts digits such as "²" that ``int`` refuses, and SQLite refuses integers past 63 bits."""
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


@dataclass
class CaseFilters:
    status: str | None = None
    open_only: bool = False
    colour: str | None = None
    grid: str | None = None
    category: str | None = None
    track: str | None = None
    source: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    assignee_id: int | None = None
    department: str | None = None


def case_list(*, user: Any, filters: CaseFilters | None = None) -> QuerySet[Case]:
    f = filters or CaseFilters()
    qs = case_queryset(user)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.open_only:
        qs = qs.filter(status__in=OPEN_STATUSES)
    if f.colour:
        qs = qs.filter(colour=f.colour)
    if f.grid:
        qs = under_grid(qs, f.grid)
    if f.category:
        qs = qs.filter(category__code=f.category)
    if f.track:
        qs = qs.filter(track=f.track)
    if f.source:
        qs = qs.filter(source=f.source)
    if f.since:
        qs = qs.filter(reported_at__date__gte=f.since)
    if f.until:
        qs = qs.filter(reported_at__date__lte=f.until)
    if f.assignee_id:
        qs = qs.filter(assignee_id=f.assignee_id)
    if f.department:
        qs = qs.filter(department__code=f.department)
    return qs.select_related(
        "category", "micro_grid", "handling_grid", "assignee", "department"
    ).order_by("-reported_at", "-id")


# most urgent first
COLOUR_ORDER = (Colour.RED, Colour.ORANGE, Colour.YELLOW, Colour.BLUE)


def my_tasks(*, user: Any) -> QuerySet[Case]:
    """The worker app's list: open cases assigned to me, or in my grids and not yet taken, most
    urgent colour first, then nearest deadline."""
    qs = (
        case_queryset(user)
        .filter(status__in=OPEN_STATUSES)
        .filter(Q(assignee=user) | Q(assignee__isnull=True))
    )
    order = Choose(
        *[When(colour=c, then=Value(rank)) for rank, c in enumerate(COLOUR_ORDER)],
        output_field=IntegerField(),
    )
    return (
        qs.select_related("category", "micro_grid")
        .annotate(rank=order)
        .order_by("rank", "resolve_due", "id")
    )


HOUSEHOLD_CASES = 10


def household_cases(*, user: Any, household: Any, limit: int = HOUSEHOLD_CASES) -> dict[str, Any]:
    """The household page's panel: the newest cases placed at ``household`` that the user may
    read, and how many there are in all."""
    qs = case_queryset(user).filter(household=household)
    cases = list(qs.select_related("category").order_by("-reported_at", "-id")[: limit + 1])
    more = len(cases) > limit
    return {"cases": cases[:limit], "more": more, "count": qs.count() if more else len(cases)}


def case_get(*, user: Any, pk: int) -> Case:
    case = case_list(user=user).filter(pk=pk).first()
    if case is None:
        raise NotFound(_("No such case in your jurisdiction."), field="id")
    return case


def merge_target(*, user: Any, number: str) -> Case:
    """The case a duplicate is merged into, named by its number: one the user may see."""
    into = case_queryset(user).filter(number=number.strip()).first()
    if into is None:
        raise InvalidInput(Problem(_("No such case in your jurisdiction."), field="into"))
    return into


def case_by_follow_code(*, code: str) -> Case:
    """For the reporter, with no login: the follow-up code is the key."""
    case = Case.objects.select_related("category").filter(follow_code=code.strip().upper()).first()
    if case is None:
        raise NotFound(_("No case with this follow-up code."), field="code")
    return case


def cases_reported_by(*, user: Any, limit: int = 50) -> list[Case]:
    """The user's own reports, newest first, each with its public steps in ``case.steps``
    (oldest first): a resident's "my reports". Ownership, not jurisdiction, is the scope here,
    so a resident sees exactly the cases they reported. Two queries whatever the count."""
    if not getattr(user, "is_authenticated", False):
        return []
    cases = list(
        Case.objects.filter(reporter=user)
        .select_related("category", "micro_grid")
        .order_by("-reported_at", "-id")[:limit]
    )
    steps: dict[int, list[CaseEvent]] = {c.pk: [] for c in cases}
    events = CaseEvent.objects.filter(case__in=list(steps), action__in=PUBLIC_ACTIONS)
    for e in events.only("id", "case_id", "at", "action", "to_status").order_by("at", "id"):
        steps[e.case_id].append(e)
    for c in cases:
        c.steps = steps[c.pk]  # type: ignore[attr-defined]
    return cases


def case_trace(case: Case) -> list[CaseEvent]:
    return list(CaseEvent.objects.filter(case=case).select_related("actor").order_by("at", "id"))


@dataclass(frozen=True)
class Nearby:
    """An open case offered for merging: what the answer and the page show of it."""

    pk: int
    number: str
    description: str
    lat: float
    lng: float
    grid_path: str
    reported_at: dt.datetime


_NEARBY_FIELDS = ("pk", "number", "description", "lat", "lng", "grid_path", "reported_at")


def duplicate_candidates(
    *,
    category_id: int,
    lat: float | None,
    lng: float | None,
    now: dt.datetime | None = None,
    metres: float = 200.0,
    hours: int = 72,
    exclude: int | None = None,
) -> list[Nearby]:
    """Open cases of the same category within ``metres`` and ``hours``: offered for merging.
    Every report asks this, so it reads plain values, not model instances."""
    if lat is None or lng is None:
        return []
    now = now or timezone.now()
    dlat = metres / METRES_PER_DEGREE
    dlng = metres / (METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    rows = (
        Case.objects.filter(
            category_id=category_id,
            status__in=OPEN_STATUSES,
            reported_at__gte=now - dt.timedelta(hours=hours),
            lat__range=(lat - dlat, lat + dlat),
            lng__range=(lng - dlng, lng + dlng),
        )
        .order_by("reported_at")
        .values_list(*_NEARBY_FIELDS)[:21]  # one more, in case ``exclude`` is among them
    )
    cos_lat = math.cos(math.radians(lat))
    out = []
    for row in rows:
        found = Nearby(*row)
        dy = (found.lat - lat) * METRES_PER_DEGREE
        dx = (found.lng - lng) * METRES_PER_DEGREE * cos_lat
        if found.pk != exclude and math.hypot(dx, dy) <= metres:
            out.append(found)
    return out[:20]


@dataclass(frozen=True)
class Figures:
    cases_in: int
    closed: int
    closure_rate: float | None  # 办结率: closed among those in
    on_time_rate: float | None  # resolved by the deadline, among resolved
    satisfaction_rate: float | None  # satisfied + basically satisfied, among answers
    avg_accept_minutes: float | None
    avg_resolve_minutes: float | None
    escalations: int


def figures(*, user: Any, grid: str | None, since: dt.datetime, until: dt.datetime) -> Figures:
    """The closed loop's figures for a grid (within the user's jurisdiction) and period."""
    qs = case_list(user=user, filters=CaseFilters(grid=grid)).filter(
        reported_at__gte=since, reported_at__lt=until
    )
    qs = qs.exclude(status=Status.MERGED).order_by()
    accept = ExpressionWrapper(F("accepted_at") - F("reported_at"), output_field=DurationField())
    resolve = ExpressionWrapper(F("resolved_at") - F("reported_at"), output_field=DurationField())
    agg = qs.aggregate(
        cases_in=Count("id"),
        closed=Count("id", filter=Q(status=Status.CLOSED)),
        resolved=Count("id", filter=Q(resolved_at__isnull=False)),
        on_time=Count("id", filter=Q(resolved_at__isnull=False, resolved_at__lte=F("resolve_due"))),
        answered=Count("id", filter=~Q(satisfaction="")),
        happy=Count("id", filter=Q(satisfaction__in=["satisfied", "basically_satisfied"])),
        avg_accept=Avg(accept, filter=Q(accepted_at__isnull=False)),
        avg_resolve=Avg(resolve, filter=Q(resolved_at__isnull=False)),
        escalations=Count("id", filter=Q(escalation_level__gt=0)),
    )

    def rate(a: int, b: int) -> float | None:
        return round(a / b, 4) if b else None

    def minutes(d: dt.timedelta | None) -> float | None:
        return round(d.total_seconds() / 60, 1) if d is not None else None

    return Figures(
        cases_in=agg["cases_in"],
        closed=agg["closed"],
        closure_rate=rate(agg["closed"], agg["cases_in"]),
        on_time_rate=rate(agg["on_time"], agg["resolved"]),
        satisfaction_rate=rate(agg["happy"], agg["answered"]),
        avg_accept_minutes=minutes(agg["avg_accept"]),
        avg_resolve_minutes=minutes(agg["avg_resolve"]),
        escalations=agg["escalations"],
    )


def handler_candidates(*, paths: list[str]) -> list[Any]:
    """People who may handle a case in every one of ``paths``: field workers and officials
    whose role covers each path (an assignment on the grid or any grid above it)."""
    from finegrid.accounts.models import RoleAssignment, User
    from finegrid.cases.permissions import FIELD, OFFICIALS

    if not paths:
        return []
    user_ids: set[int] | None = None
    for path in set(paths):
        parts = [p for p in path.split("/") if p]
        ancestors = ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
        ids = set(
            RoleAssignment.objects.filter(
                grid_path__in=ancestors, role__in=FIELD | OFFICIALS
            ).values_list("user_id", flat=True)
        )
        user_ids = ids if user_ids is None else user_ids & ids
    return list(User.objects.filter(pk__in=user_ids or []).order_by("display_name", "username"))


def households_for_report(*, user: Any, limit: int = 300) -> list[Any]:
    """Households a reporter may pick instead of a point: those in the user's jurisdiction, when
    few enough to list (a micro-grid has a few dozen)."""
    from finegrid.grids.models import Household

    qs = scope_for(user).filter(Household.objects.all(), "grid_path").order_by("id")
    rows = list(qs.only("id", "address")[: limit + 1])
    if len(rows) > limit:
        return []
    # in reading order: 1栋 before 15栋, 101号 before 1001号
    return sorted(rows, key=lambda h: natural_key(h.address))


def department_whistles(*, user: Any, case: Case | None = None, open_only: bool = True) -> Any:
    """Whistles to the user's departments on cases in the user's jurisdiction: the department
    workspace, and the report-in / resolve buttons on a case page."""
    from finegrid.cases.models import OPEN_WHISTLE_STATUSES, Whistle

    qs = Whistle.objects.filter(
        department__in=user.departments.all(), case__in=case_queryset(user)
    ).select_related("case", "case__category", "case__micro_grid", "department")
    if case is not None:
        qs = qs.filter(case=case)
    if open_only:
        qs = qs.filter(status__in=OPEN_WHISTLE_STATUSES)
    return qs.order_by("report_in_due", "id")


# --- who may take a case (派遣对象) -----------------------------------------------------------


@dataclass(frozen=True)
class Assignable:
    """One way a person may take a case: a field or official role held on a grid of its chain."""

    user: Any
    role: str
    grid: Any

    @property
    def role_label(self) -> str:
        from finegrid.accounts.models import Role

        return str(Role(self.role).label)


# Within a grid, the people who take cases first come first.
_ROLE_ORDER = (
    "grid_head",
    "grid_worker",
    "micro_worker",
    "community_official",
    "street_official",
    "street_leader",
    "system_admin",
)
MAX_ASSIGNABLE = 200


def _chain(case: Case) -> set[str]:
    """Paths of the grids from the handling grid down to the case's micro-grid: the part of the
    handling grid's subtree whose people can see and work the case."""
    parts = [p for p in case.grid_path.split("/") if p]
    ancestors = ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
    top = case.handling_grid.path
    return {p for p in ancestors if p.startswith(top)}


def _assignable(*, paths: set[str], actor: Any, search: str) -> list[Assignable]:
    from finegrid.accounts.models import Role, RoleAssignment
    from finegrid.cases.permissions import FIELD, OFFICIALS

    if not paths:
        return []
    roles = frozenset(FIELD | OFFICIALS)
    rows = RoleAssignment.objects.filter(
        grid_path__in=sorted(paths), role__in=roles, user__is_active=True
    )
    # one hands a case to people where one works: down or across, never to another community
    rows = scope_for(actor, roles=roles).filter(rows, "grid_path", indexed=False)
    needle = search.strip()
    if needle:
        labelled = [r for r in roles if needle.lower() in str(Role(r).label).lower()]
        rows = rows.filter(
            Q(user__display_name__icontains=needle)
            | Q(user__username__icontains=needle)
            | Q(grid__name__icontains=needle)
            | Q(grid__code__iexact=needle)
            | Q(role__in=labelled)
        )
    found = [
        Assignable(user=r.user, role=r.role, grid=r.grid)
        for r in rows.select_related("user", "grid")[:MAX_ASSIGNABLE]
    ]
    found.sort(
        key=lambda a: (a.grid.depth, a.grid.path, _ROLE_ORDER.index(a.role), str(a.user), a.user.pk)
    )
    return found


def assignable_users(*, case: Case, actor: Any, search: str = "") -> list[Assignable]:
    """Who ``actor`` may hand ``case`` to (dispatch, reassign): a person holding a field or
    official role on a grid between the handling grid and the case's micro-grid (so within the
    handling grid's subtree, and able to see the case), inside the actor's own jurisdiction.
    Ordered by grid from the top, then role, then name. ``search`` keeps the rows whose name,
    username, grid name or code, or role contains it. The services check an assignee against
    this same list."""
    return _assignable(paths=_chain(case), actor=actor, search=search)


def assignable_for_cases(*, cases: list[Case], actor: Any, search: str = "") -> list[Assignable]:
    """The people who may take at least one of ``cases``: the bulk reassignment's list (the
    service still checks each case, and refuses the whole batch if one is refused)."""
    paths: set[str] = set()
    for case in cases:
        paths |= _chain(case)
    return _assignable(paths=paths, actor=actor, search=search)


@dataclass(frozen=True)
class AssignableGroup:
    grid: Any
    role: str
    role_label: str
    people: list[Any]


def assignable_groups(found: list[Assignable]) -> list[AssignableGroup]:
    """One group per grid and role, in the order of ``found``."""
    groups: dict[tuple[int, str], AssignableGroup] = {}
    for a in found:
        key = (a.grid.pk, a.role)
        if key not in groups:
            groups[key] = AssignableGroup(a.grid, a.role, a.role_label, [])
        groups[key].people.append(a.user)
    return list(groups.values())
