"""Writes to the grid tree and places. Each service owns its transaction."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from shapely.geometry.base import BaseGeometry

from finegrid.accounts.models import Role, User
from finegrid.accounts.services import role_grant, role_revoke
from finegrid.core.audit import audit_record
from finegrid.core.errors import InvalidInput, Problem
from finegrid.core.generations import generation_bump
from finegrid.core.models import AuditAction
from finegrid.core.text import text_problem
from finegrid.grids import geo
from finegrid.grids.models import (
    DEDICATED_GRID_DUTIES,
    GRID_DUTIES,
    LEVEL_ORDER,
    PLACE_DUTIES,
    SINGLE_HOLDER_DUTIES,
    Building,
    DedicatedType,
    Duty,
    Estate,
    GeoIndexState,
    Grid,
    GridBoundary,
    Household,
    Kind,
    Level,
    Responsibility,
    Unit,
)

CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_-]{0,39}$")


def forget_grids() -> None:
    """Tell every process that grid rows changed (same transaction as the change): reports read
    grids through a per-process cache (grids.selectors.grid_with_parent)."""
    from finegrid.grids.selectors import GRIDS

    generation_bump(GRIDS)


def forget_responsibles() -> None:
    """Tell every process that responsibilities changed. Call it in the same transaction as any
    change of who answers for what (assign, end, replace, an admin edit): who a new case notifies
    is read through a per-process cache (grids.selectors.responsible_people)."""
    from finegrid.grids.selectors import RESPONSIBILITIES

    generation_bump(RESPONSIBILITIES)


def bump_geo_generation() -> None:
    """Tell every process's point index that boundaries changed (same transaction as the change),
    and its grid cache that the tree did."""
    forget_grids()
    updated = GeoIndexState.objects.filter(pk=1).update(generation=F("generation") + 1)
    if not updated:
        GeoIndexState.objects.create(pk=1, generation=1)
    from finegrid.grids.selectors import point_index_cache

    # Now, for reads later in this transaction; and again after commit, in case another thread
    # rebuilt from the old rows in between.
    point_index_cache.invalidate()
    transaction.on_commit(point_index_cache.invalidate)


def _set_geometry(grid: Grid, geom: BaseGeometry) -> dict[str, Any]:
    data = geo.to_geojson(geom)
    minx, miny, maxx, maxy = geom.bounds
    centre = geom.representative_point()
    grid.boundary = data
    grid.min_lng, grid.min_lat, grid.max_lng, grid.max_lat = minx, miny, maxx, maxy
    grid.center_lng, grid.center_lat = centre.x, centre.y
    grid.area_m2 = round(geo.area_m2(geom), 1)
    return data


@dataclass
class GridSpec:
    code: str
    name: str
    level: str
    parent_code: str | None
    kind: str = Kind.REGULAR
    dedicated_type: str = ""
    boundary: Any = None


def _check_spec(
    spec: GridSpec, *, parent: Grid | None, existing: Grid | None, row: int | str | None
) -> tuple[list[Problem], BaseGeometry | None]:
    problems: list[Problem] = []

    def bad(message: Any, field: str) -> None:
        problems.append(Problem(message, field=field, row=row))

    if not CODE_RE.match(spec.code or ""):
        bad(_("The code must be 1–40 letters, digits, '-' or '_'."), "code")
    if not (spec.name or "").strip():
        bad(_("The name is required."), "name")
    if spec.level not in Level.values:
        bad(_("Unknown level; use street, community, grid or micro."), "level")
    if spec.kind not in Kind.values:
        bad(_("Unknown kind; use regular or dedicated."), "kind")
    if spec.kind == Kind.DEDICATED and spec.dedicated_type not in DedicatedType.values:
        bad(_("A dedicated grid needs a known dedicated type."), "dedicated_type")
    if spec.kind != Kind.DEDICATED and spec.dedicated_type:
        bad(_("Only a dedicated grid has a dedicated type."), "dedicated_type")
    if spec.level in Level.values:
        if spec.level == Level.STREET:
            if spec.parent_code:
                bad(_("A street has no parent grid."), "parent")
        elif parent is None:
            bad(_("The parent grid does not exist."), "parent")
        elif LEVEL_ORDER.index(Level(parent.level)) != LEVEL_ORDER.index(Level(spec.level)) - 1:
            bad(_("The parent is not one level above this grid."), "parent")
        if spec.kind == Kind.DEDICATED and spec.level not in (Level.GRID, Level.MICRO):
            bad(_("A dedicated grid lies under a community or a grid."), "kind")
    if existing is not None and existing.level != spec.level:
        bad(_("A grid with this code exists at another level."), "code")

    def parsed(data: Any) -> BaseGeometry | None:
        try:
            return geo.parse_polygon(data)
        except InvalidInput as exc:
            for p in exc.problems:
                problems.append(Problem(p.message, field=p.field, row=row, params=p.params))
            return None

    geom = None
    if spec.boundary is None:
        bad(_("The boundary is required."), "geometry")
    else:
        geom = parsed(spec.boundary)
    if geom is not None:
        # Check what will be stored (rounded to ~0.1 m), not the finer drawing; a sliver may
        # round to nothing, which is then reported for its feature like any other problem.
        geom = parsed(geo.to_geojson(geom))
    if geom is not None and parent is not None and parent.boundary:
        if not geo.lies_within(geom, geo.parse_polygon(parent.boundary)):
            bad(_("The boundary lies outside its parent grid."), "geometry")
    if geom is not None and parent is not None:
        problems.extend(_sibling_overlaps(geom, parent, spec.code, row))
    return problems, geom


def _sibling_overlaps(
    geom: BaseGeometry, parent: Grid, code: str, row: int | str | None
) -> list[Problem]:
    minx, miny, maxx, maxy = geom.bounds
    siblings = Grid.objects.filter(
        parent=parent,
        min_lng__lte=maxx,
        max_lng__gte=minx,
        min_lat__lte=maxy,
        max_lat__gte=miny,
    ).exclude(code=code)
    out = []
    for sib in siblings.only("code", "boundary"):
        if sib.boundary and geo.overlaps_beyond_tolerance(geom, geo.parse_polygon(sib.boundary)):
            out.append(
                Problem(
                    _("The boundary overlaps a neighbouring grid (%(code)s)."),
                    params={"code": sib.code},
                    field="geometry",
                    row=row,
                )
            )
    return out


def _save_grid(
    spec: GridSpec, geom: BaseGeometry, parent: Grid | None, actor: User | None, note: str
) -> Grid:
    grid = Grid.objects.filter(code=spec.code).first()
    created = grid is None
    if grid is None:
        grid = Grid(code=spec.code, level=spec.level)
    grid.name = spec.name.strip()
    grid.kind = spec.kind
    grid.dedicated_type = spec.dedicated_type
    grid.parent = parent
    grid.path = (parent.path if parent else "/") + spec.code + "/"
    grid.depth = 0 if parent is None else parent.depth + 1
    previous = grid.boundary
    data = _set_geometry(grid, geom)
    if created or not geo.same_shape(previous, data):
        grid.boundary_version += 1
    grid.save()
    if not GridBoundary.objects.filter(grid=grid, version=grid.boundary_version).exists():
        GridBoundary.objects.create(
            grid=grid, version=grid.boundary_version, geometry=data, note=note, drawn_by=actor
        )
    return grid


@transaction.atomic
def grid_create(
    *,
    code: str,
    name: str,
    level: str,
    boundary: Any,
    parent: Grid | None = None,
    kind: str = Kind.REGULAR,
    dedicated_type: str = "",
    actor: User | None = None,
) -> Grid:
    spec = GridSpec(
        code, name, level, parent.code if parent else None, kind, dedicated_type, boundary
    )
    if Grid.objects.filter(code=code).exists():
        raise InvalidInput(Problem(_("A grid with this code already exists."), field="code"))
    problems, geom = _check_spec(spec, parent=parent, existing=None, row=None)
    if problems:
        raise InvalidInput(problems)
    assert geom is not None
    grid = _save_grid(spec, geom, parent, actor, note="")
    bump_geo_generation()
    return grid


@transaction.atomic
def grid_redraw(*, grid: Grid, boundary: Any, actor: User | None = None, note: str = "") -> Grid:
    """A new boundary version; the old one stays in :class:`GridBoundary`."""
    spec = GridSpec(
        grid.code,
        grid.name,
        grid.level,
        grid.parent.code if grid.parent else None,
        grid.kind,
        grid.dedicated_type,
        boundary,
    )
    problems, geom = _check_spec(spec, parent=grid.parent, existing=grid, row=None)
    if problems:
        raise InvalidInput(problems)
    assert geom is not None
    grid = _save_grid(spec, geom, grid.parent, actor, note=note)
    bump_geo_generation()
    return grid


def _feature_spec(
    feature: Any, index: int, level: str | None
) -> tuple[GridSpec | None, list[Problem]]:
    row = index + 1
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return None, [Problem(_("Not a GeoJSON Feature."), field="type", row=row)]
    props = feature.get("properties") or {}
    if not isinstance(props, dict):
        return None, [Problem(_("The properties must be an object."), field="properties", row=row)]
    spec = GridSpec(
        code=str(props.get("code") or "").strip(),
        name=str(props.get("name") or "").strip(),
        level=str(props.get("level") or level or "").strip(),
        parent_code=(str(props["parent"]).strip() or None) if props.get("parent") else None,
        kind=str(props.get("kind") or Kind.REGULAR),
        dedicated_type=str(props.get("dedicated_type") or ""),
        boundary=feature.get("geometry"),
    )
    problems = [
        p
        for name, value in props.items()
        if isinstance(value, str)
        and (p := text_problem(value.strip(), field=str(name), row=row)) is not None
    ]
    if level and spec.level != level:
        problems.append(
            Problem(_("This feature is not of the level being imported."), field="level", row=row)
        )
    return spec, problems


@dataclass
class ImportReport:
    created: int
    updated: int


@transaction.atomic
def grids_import_geojson(
    *, collection: Any, level: str | None = None, actor: User | None = None
) -> ImportReport:
    """Create or redraw the grids of a FeatureCollection, all or nothing.

    Parents may be in the file (ordered before their children) or already stored. Every problem
    of every feature is collected and reported together, naming the feature (1-based) and field.
    """
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise InvalidInput(Problem(_("The file is not a GeoJSON FeatureCollection."), field="type"))
    features = collection.get("features")
    if not isinstance(features, list) or not features:
        raise InvalidInput(Problem(_("The FeatureCollection has no features."), field="features"))
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    created = updated = 0
    for index, feature in enumerate(features):
        spec, found = _feature_spec(feature, index, level)
        problems.extend(found)
        if spec is None:
            continue
        row = index + 1
        if spec.code in seen:
            problems.append(
                Problem(
                    _("Duplicate code %(code)s (also feature %(other)s)."),
                    params={"code": spec.code, "other": seen[spec.code]},
                    field="code",
                    row=row,
                )
            )
            continue
        seen[spec.code] = row
        parent = Grid.objects.filter(code=spec.parent_code).first() if spec.parent_code else None
        existing = Grid.objects.filter(code=spec.code).first()
        found, geom = _check_spec(spec, parent=parent, existing=existing, row=row)
        problems.extend(found)
        if found or problems or geom is None:
            continue
        # Saved now so that later features (children, siblings) are checked against it; the
        # whole transaction rolls back below if any feature is refused.
        _save_grid(spec, geom, parent, actor, note="import")
        if existing is None:
            created += 1
        else:
            updated += 1
    if problems:
        transaction.set_rollback(True)
        raise InvalidInput(problems)
    bump_geo_generation()
    return ImportReport(created=created, updated=updated)


def grids_bulk_create(*, specs: Iterable[tuple[GridSpec, BaseGeometry]], batch: int = 2000) -> int:
    """Insert a generated tree whose geometry is valid by construction (the demo and benchmark
    generators). Parents must come before children. Skips per-grid checks; callers own the
    transaction. Boundary history rows are written as version 1."""
    by_code: dict[str, tuple[int, str, int]] = {}
    pending: list[Grid] = []
    total = 0

    def flush() -> None:
        nonlocal total
        if not pending:
            return
        # SQLite ≥ 3.35 and PostgreSQL both hand back primary keys from a bulk insert.
        Grid.objects.bulk_create(pending, batch_size=batch)
        GridBoundary.objects.bulk_create(
            [GridBoundary(grid_id=g.pk, version=1, geometry=g.boundary) for g in pending],
            batch_size=batch,
        )
        for g in pending:
            by_code[g.code] = (g.pk, g.path, g.depth)
        total += len(pending)
        pending.clear()

    for spec, geom in specs:
        parent_id = None
        path, depth = "/", 0
        if spec.parent_code:
            if spec.parent_code not in by_code:
                flush()
            parent_id, ppath, pdepth = by_code[spec.parent_code]
            path, depth = ppath, pdepth + 1
        grid = Grid(
            code=spec.code,
            name=spec.name,
            level=spec.level,
            kind=spec.kind,
            dedicated_type=spec.dedicated_type,
            parent_id=parent_id,
            path=path + spec.code + "/",
            depth=depth,
            boundary_version=1,
        )
        _set_geometry(grid, geom)
        pending.append(grid)
        if len(pending) >= batch:
            flush()
    flush()
    bump_geo_generation()
    return total


# --- places ---------------------------------------------------------------------------------


def place_grid(*, lat: float | None, lng: float | None, micro_grid: Grid | None) -> Grid:
    from finegrid.grids.selectors import locate

    if micro_grid is not None:
        if micro_grid.level != Level.MICRO and micro_grid.kind != Kind.DEDICATED:
            raise InvalidInput(Problem(_("Places lie in a micro-grid."), field="micro_grid"))
        return micro_grid
    if lat is None or lng is None:
        raise InvalidInput(Problem(_("Give a location or a micro-grid."), field="lat"))
    hit = locate(lat=lat, lng=lng)
    if hit is None:
        raise InvalidInput(Problem(_("The location lies outside every grid."), field="lat"))
    return Grid.objects.get(pk=hit.id)


@transaction.atomic
def estate_create(
    *,
    name: str,
    lat: float | None = None,
    lng: float | None = None,
    micro_grid: Grid | None = None,
    address: str = "",
) -> Estate:
    grid = place_grid(lat=lat, lng=lng, micro_grid=micro_grid)
    return Estate.objects.create(
        name=name, lat=lat, lng=lng, micro_grid=grid, grid_path=grid.path, address=address
    )


@transaction.atomic
def building_create(
    *,
    name: str,
    estate: Estate | None = None,
    lat: float | None = None,
    lng: float | None = None,
    micro_grid: Grid | None = None,
    floors: int = 6,
    units: int = 1,
) -> Building:
    grid = place_grid(lat=lat, lng=lng, micro_grid=micro_grid)
    building = Building.objects.create(
        name=name,
        estate=estate,
        lat=lat,
        lng=lng,
        micro_grid=grid,
        grid_path=grid.path,
        floors=floors,
    )
    Unit.objects.bulk_create([Unit(building=building, number=n) for n in range(1, units + 1)])
    return building


@transaction.atomic
def household_create(
    *,
    address: str,
    building: Building | None = None,
    unit: Unit | None = None,
    room: str = "",
    lat: float | None = None,
    lng: float | None = None,
    micro_grid: Grid | None = None,
) -> Household:
    if micro_grid is None and lat is None and building is not None:
        micro_grid = building.micro_grid
    grid = place_grid(lat=lat, lng=lng, micro_grid=micro_grid)
    return Household.objects.create(
        name=address,
        address=address,
        building=building,
        unit=unit,
        room=room,
        lat=lat,
        lng=lng,
        micro_grid=grid,
        grid_path=grid.path,
    )


# --- responsibilities (五级责任体系) -----------------------------------------------------------

# The duty whose holders need the matching role over the grid to do the work (see the cases and
# households there): it comes with the duty and goes with it.
DUTY_ROLES: dict[str, str] = {
    Duty.MICRO_WORKER: Role.MICRO_WORKER,
    Duty.GRID_HEAD: Role.GRID_HEAD,
    Duty.GRID_WORKER: Role.GRID_WORKER,
}

Target = Grid | Estate | Building | Household


def duties_for(target: Target) -> tuple[str, ...]:
    """The duties a node carries (五级责任体系 and the people of a grid)."""
    if isinstance(target, Grid):
        if target.kind == Kind.DEDICATED:
            return DEDICATED_GRID_DUTIES
        return GRID_DUTIES.get(target.level, ())
    return PLACE_DUTIES[type(target).__name__.lower()]


def _target(
    grid: Grid | None, estate: Estate | None, building: Building | None, household: Household | None
) -> Target:
    targets = [t for t in (grid, estate, building, household) if t is not None]
    if len(targets) != 1:
        raise InvalidInput(Problem(_("Name exactly one grid or place."), field="target"))
    return targets[0]


def _check_duty(target: Target, duty: str) -> None:
    if duty not in Duty.values:
        raise InvalidInput(Problem(_("Unknown duty."), field="duty"))
    if duty not in duties_for(target):
        raise InvalidInput(
            Problem(
                _("The duty “%(duty)s” does not belong to this grid or place."),
                params={"duty": Duty(duty).label},
                field="duty",
            )
        )


def _holders(target: Target, duty: str) -> list[Responsibility]:
    field = type(target).__name__.lower()
    qs = Responsibility.objects.current().filter(**{field: target, "duty": duty})
    return list(qs.select_related("person"))


def _lock(target: Target) -> None:
    # Two officials staffing the same node at once: the second waits for the first and then
    # sees its holder (PostgreSQL; SQLite has one writer at a time anyway). The constraints
    # stand behind this.
    type(target).objects.select_for_update().filter(pk=target.pk).first()


@transaction.atomic
def responsibility_assign(
    *,
    person: User,
    duty: str,
    grid: Grid | None = None,
    estate: Estate | None = None,
    building: Building | None = None,
    household: Household | None = None,
    sort: int = 0,
    actor: Any = None,
    at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> Responsibility:
    """Give ``person`` ``duty`` at one grid or place from ``at`` (now). A single-holder duty
    already held is refused: replace its holder (responsibility_replace) or end it first."""
    target = _target(grid, estate, building, household)
    _check_duty(target, duty)
    if not person.is_active:
        raise InvalidInput(Problem(_("This account is disabled."), field="person"))
    _lock(target)
    holders = _holders(target, duty)
    if any(r.person_id == person.pk for r in holders):
        raise InvalidInput(Problem(_("This person already holds this duty here."), field="person"))
    if duty in SINGLE_HOLDER_DUTIES and holders:
        raise InvalidInput(
            Problem(
                _("%(name)s already holds this duty: replace them or end it first."),
                params={"name": str(holders[0].person)},
                field="duty",
            )
        )
    path = target.path if isinstance(target, Grid) else target.grid_path
    r = Responsibility.objects.create(
        person=person,
        duty=duty,
        grid=grid,
        estate=estate,
        building=building,
        household=household,
        grid_path=path,
        sort=sort,
        started_at=at or timezone.now(),
        assigned_by=_user(actor),
    )
    if grid is not None and duty in DUTY_ROLES:
        role_grant(user=person, role=DUTY_ROLES[duty], grid=grid)
    forget_responsibles()
    audit_record(
        actor=actor, action=AuditAction.CREATE, target=r, fields=["person", "duty"], request=request
    )
    return r


def _user(actor: Any) -> User | None:
    return actor if isinstance(actor, User) else None


def _close(r: Responsibility, *, actor: Any, reason: str, at: dt.datetime) -> None:
    r.ended_at, r.end_reason, r.ended_by = at, reason, _user(actor)
    r.save(update_fields=["ended_at", "end_reason", "ended_by", "updated_at"])
    forget_responsibles()
    role = DUTY_ROLES.get(r.duty)
    if r.grid_id is None or role is None:
        return
    keeps = Responsibility.objects.current().filter(
        person_id=r.person_id,
        grid_id=r.grid_id,
        duty__in=[d for d, x in DUTY_ROLES.items() if x == role],
    )
    if not keeps.exists():
        role_revoke(user=r.person, role=role, grid=r.grid)


def _lock_current(r: Responsibility, reason: str) -> Responsibility:
    if not (reason or "").strip():
        raise InvalidInput(Problem(_("Give a reason for ending this duty."), field="reason"))
    if len(reason.strip()) > 200:
        raise InvalidInput(
            Problem(_("The reason may have at most 200 characters."), field="reason")
        )
    locked = (
        Responsibility.objects.select_for_update(of=("self",))
        .select_related("person", "grid")
        .filter(pk=r.pk)
        .first()
    )
    if locked is None or locked.ended_at is not None:
        raise InvalidInput(Problem(_("This duty has already ended."), field="responsibility"))
    return locked


@transaction.atomic
def responsibility_end(
    *,
    responsibility: Responsibility,
    actor: Any,
    reason: str,
    at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> Responsibility:
    """End a duty, with a reason; the row stays as history."""
    r = _lock_current(responsibility, reason)
    _close(r, actor=actor, reason=reason.strip(), at=max(at or timezone.now(), r.started_at))
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=r,
        fields=["ended_at", "end_reason"],
        reason=reason.strip(),
        request=request,
    )
    return r


@transaction.atomic
def responsibility_replace(
    *,
    responsibility: Responsibility,
    person: User,
    actor: Any,
    reason: str,
    at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> Responsibility:
    """End the holder's duty and give it to ``person`` at the same instant, or neither."""
    old = _lock_current(responsibility, reason)
    if old.person_id == person.pk:
        raise InvalidInput(Problem(_("This person already holds this duty here."), field="person"))
    now = max(at or timezone.now(), old.started_at)
    # ended first: the one-holder constraint is checked row by row, not at commit
    _close(old, actor=actor, reason=reason.strip(), at=now)
    new = responsibility_assign(
        person=person,
        duty=old.duty,
        grid=old.grid,
        estate=old.estate,
        building=old.building,
        household=old.household,
        sort=old.sort,
        actor=actor,
        at=now,
        request=request,
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=old,
        fields=["ended_at", "end_reason"],
        reason=reason.strip(),
        request=request,
    )
    return new
