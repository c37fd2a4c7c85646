"""Reads of the grid tree and places. Scoped reads take the user and go through jurisdiction."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import shapely
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from shapely.geometry import shape

from finegrid.accounts.jurisdiction import Scope, scope_for
from finegrid.core.errors import InvalidInput, NotFound, Problem
from finegrid.core.generations import GenerationCache, own_copy
from finegrid.core.paths import under
from finegrid.grids import geo
from finegrid.grids.models import (
    Building,
    Estate,
    GeoIndexState,
    Grid,
    Household,
    Kind,
    Level,
    Responsibility,
)


def _leaf_rows() -> list[geo.GridRow]:
    # Leaves of the tessellation: micro-grids, and dedicated grids that sit directly under a
    # community (a school or market with no micro-grids of its own).
    rows = (
        Grid.objects.filter(boundary__isnull=False)
        .filter(Q(level=Level.MICRO) | Q(level=Level.GRID, kind=Kind.DEDICATED))
        .order_by("id")
        .values_list("id", "code", "path", "boundary")
    )
    return [geo.GridRow(id=pk, code=code, path=path, geometry=b) for pk, code, path, b in rows if b]


def _generation() -> int:
    return GeoIndexState.objects.filter(pk=1).values_list("generation", flat=True).first() or 0


point_index_cache = geo.IndexCache(_leaf_rows, _generation)


@dataclass(frozen=True)
class LocateHit:
    id: int
    code: str
    path: str


def locate(*, lat: float, lng: float) -> LocateHit | None:
    """The leaf grid (micro-grid or dedicated grid) containing the point, or None."""
    index = point_index_cache.get()
    pos = index.find(lng, lat)
    if pos is None:
        return None
    return LocateHit(int(index.ids[pos]), index.codes[pos], index.paths[pos])


# Bumped by grids.services.forget_grids (every change of the tree goes through it) and by
# forget_responsibles (every change of who answers for what).
GRIDS = "grids"
RESPONSIBILITIES = "responsibilities"
_grid_rows: GenerationCache[Grid | None] = GenerationCache(GRIDS)
_responsibles: GenerationCache[tuple[Holder, ...]] = GenerationCache(RESPONSIBILITIES)


def grid_with_parent(pk: int) -> Grid | None:
    """One grid and its parent, without their boundaries, read once per process until the tree
    changes: a report needs the grid its point fell in and the one above. Each caller gets its own
    copies (callers may set attributes on them)."""

    def load() -> Grid | None:
        qs = Grid.objects.select_related("parent").defer("boundary", "parent__boundary")
        return qs.filter(pk=pk).first()

    found = _grid_rows.get(pk, load)
    if found is None:
        return None
    grid = own_copy(found)
    grid.parent = own_copy(found.parent) if found.parent is not None else None
    return grid


@dataclass(frozen=True)
class Holder:
    person: int
    name: str
    duty: str


def responsible_people(*, grid_ids: tuple[int, ...], duties: tuple[str, ...]) -> list[Holder]:
    """The current holders of one of ``duties`` over one of these grids, in duty-list order: who
    a new case notifies and whom its trace names. Read once per process until responsibilities
    change (every assign, end and replace bumps the generation in its own transaction)."""

    def load() -> tuple[Holder, ...]:
        rows = (
            Responsibility.objects.current()
            .filter(grid_id__in=grid_ids, duty__in=duties)
            .order_by("sort", "id")
            .values_list("person_id", "person__display_name", "person__username", "duty")
        )
        return tuple(Holder(pk, name or username, duty) for pk, name, username, duty in rows)

    return list(_responsibles.get((grid_ids, duties), load))


@dataclass(frozen=True)
class NearPlace:
    kind: str  # "building", "household" or "estate"
    name: str
    address: str
    distance_m: float


def _metres(lat: float, lng: float, lat2: float, lng2: float) -> float:
    dy = (lat2 - lat) * geo.METRES_PER_DEGREE
    dx = (lng2 - lng) * geo.METRES_PER_DEGREE * math.cos(math.radians(lat))
    return math.hypot(dx, dy)


def _places_of(user: Any, micro_id: int, micro_path: str) -> list[tuple[str, str, str, Any, Any]]:
    """(kind, name, address, lat, lng) of the micro-grid's places, of the first kind it has."""
    placed = {"micro_grid_id": micro_id, "lat__isnull": False, "lng__isnull": False}
    buildings = Building.objects.filter(**placed).select_related("estate")
    rows = [
        (
            "building",
            b.name,
            f"{b.estate.address} {b.name}" if b.estate and b.estate.address else b.name,
            b.lat,
            b.lng,
        )
        for b in buildings.only("name", "lat", "lng", "estate__address")
    ]
    if not rows and scope_for(user).covers(micro_path):
        homes = Household.objects.filter(**placed, building__isnull=True)
        rows = [
            ("household", h.address, h.address, h.lat, h.lng)
            for h in homes.only("address", "lat", "lng")
        ]
    if not rows:
        rows = [
            ("estate", e.name, e.address or e.name, e.lat, e.lng)
            for e in Estate.objects.filter(**placed)
        ]
    return rows


def nearest_place(
    *, user: Any, micro_id: int, micro_path: str, lat: float, lng: float, within_m: float = 500
) -> NearPlace | None:
    """The named place of the micro-grid nearest to a point, to tell a reporter where the point
    is: a building (its name is on the street for anyone to read), else a household outside any
    building for whoever may see the micro-grid (a dwelling's address is the registry's), else
    the estate. None when nothing lies within ``within_m``."""
    found = [
        NearPlace(kind, name, address, _metres(lat, lng, y, x))
        for kind, name, address, y, x in _places_of(user, micro_id, micro_path)
    ]
    best = min(found, key=lambda p: p.distance_m, default=None)
    return best if best is not None and best.distance_m <= within_m else None


def locate_many(*, lats: Any, lngs: Any) -> list[str | None]:
    index = point_index_cache.get()
    found = index.find_many(lngs, lats)
    return [index.codes[i] if i >= 0 else None for i in found]


def path_codes(path: str) -> list[str]:
    return [c for c in path.split("/") if c]


def communities_on(paths: Iterable[str]) -> dict[str, int]:
    """The communities on these paths, path → id, in one query."""
    codes = {c for p in paths for c in path_codes(p)}
    found = Grid.objects.filter(level=Level.COMMUNITY, code__in=codes).values_list("path", "id")
    return dict(found)


def community_on(path: str, communities: dict[str, int]) -> int | None:
    """The id of the community above (or at) ``path``, from ``communities_on``'s answer."""
    return next((cid for cpath, cid in communities.items() if path.startswith(cpath)), None)


def grids_by_codes(codes: list[str]) -> list[Grid]:
    by_code = {g.code: g for g in Grid.objects.filter(code__in=codes).only("code", "name", "level")}
    return [by_code[c] for c in codes if c in by_code]


def grid_ancestors(grid: Grid) -> list[Grid]:
    """The grids above ``grid``, street first (code, name and level only)."""
    return grids_by_codes(path_codes(grid.path)[:-1])


# --- scoped reads ---------------------------------------------------------------------------


def grid_queryset(user: Any) -> QuerySet[Grid]:
    return scope_for(user).filter(Grid.objects.all())


def grid_list(
    *, user: Any, level: str | None = None, kind: str | None = None, parent: str | None = None
) -> QuerySet[Grid]:
    qs = grid_queryset(user)
    if level:
        qs = qs.filter(level=level)
    if kind:
        qs = qs.filter(kind=kind)
    if parent:
        qs = qs.filter(parent__code=parent)
    return qs.order_by("path")


def grid_get(*, user: Any, code: str) -> Grid:
    """The grid if ``user`` may see it. A grid out of scope answers as not found, so that
    codes of neighbouring grids cannot be probed."""
    grid = grid_queryset(user).select_related("parent").filter(code=code).first()
    if grid is None:
        raise NotFound(_("No grid with this code in your jurisdiction."), field="code")
    return grid


def grid_public(*, code: str) -> Grid:
    """Any grid, for the public board (公示栏): its people and phones are meant to be posted."""
    grid = Grid.objects.select_related("parent").filter(code=code).first()
    if grid is None:
        raise NotFound(_("No grid with this code."), field="code")
    return grid


def scope_roots(*, user: Any) -> list[Grid]:
    scope = scope_for(user)
    if scope.everything:
        return list(Grid.objects.filter(parent__isnull=True))
    codes = [path_codes(p)[-1] for p in scope.prefixes]
    return list(Grid.objects.filter(code__in=codes).order_by("path"))


def children_counts(grid: Grid) -> dict[str, int]:
    rows = (
        Grid.objects.filter(under("path", grid.path))
        .exclude(pk=grid.pk)
        .values("level", "kind")
        .annotate(n=Count("id"))
    )
    out: Counter[str] = Counter()
    for r in rows:
        key = "dedicated" if r["kind"] == Kind.DEDICATED else r["level"]
        out[key] += r["n"]
    return {k: out.get(k, 0) for k in ("community", "grid", "micro", "dedicated")}


def household_count(grid: Grid) -> int:
    return Household.objects.filter(under("grid_path", grid.path)).count()


def household_counts_by_grid() -> dict[int, int]:
    """Households per grid at every level, rolled up from micro-grids; cached for a minute (fresh
    enough for map cards; adding a household does not move the geo generation)."""
    key = "grids:household-counts"
    found = cache.get(key)
    if found is not None:
        return found
    per_leaf = Household.objects.values_list("grid_path").annotate(n=Count("id"))
    by_code: Counter[str] = Counter()
    for path, n in per_leaf:
        for code in path_codes(path):
            by_code[code] += n
    ids = dict(Grid.objects.values_list("code", "id"))
    out = {ids[c]: n for c, n in by_code.items() if c in ids}
    cache.set(key, out, 60)
    return out


def responsibilities_for(grids: list[Grid]) -> dict[int, list[Responsibility]]:
    """Who holds each grid's duties now."""
    out: dict[int, list[Responsibility]] = {g.pk: [] for g in grids}
    for r in (
        Responsibility.objects.current()
        .filter(grid__in=grids)
        .select_related("person")
        .order_by("sort", "id")
    ):
        out[r.grid_id].append(r)  # type: ignore[index]
    return out


def responsible_at(
    *, grid: Grid, at: dt.datetime, duties: Iterable[str] | None = None
) -> list[Responsibility]:
    """Who held the grid's duties at the moment ``at``: the trace of an old case is read
    against this, not against whoever holds the duty today."""
    qs = Responsibility.objects.held_at(at).filter(grid=grid)
    if duties is not None:
        qs = qs.filter(duty__in=list(duties))
    return list(qs.select_related("person").order_by("sort", "started_at", "id"))


def staffing_of(*, user: Any, code: str) -> tuple[Grid, list[Responsibility]]:
    """A grid in the user's jurisdiction and every duty held there, current and ended, newest
    start first, with the people who held, assigned and ended them."""
    grid = grid_get(user=user, code=code)
    rows = (
        Responsibility.objects.filter(grid=grid)
        .select_related("person", "assigned_by", "ended_by")
        .order_by("sort", "-started_at", "-id")
    )
    return grid, list(rows)


def place_staffing(*, grid: Grid) -> tuple[list[Any], list[Responsibility]]:
    """The estates and buildings of a leaf grid, and every duty held at them (three queries,
    however many places)."""
    if grid.level != Level.MICRO and grid.kind != Kind.DEDICATED:
        return [], []
    estates = list(Estate.objects.filter(micro_grid=grid).order_by("name", "id"))
    buildings = list(Building.objects.filter(micro_grid=grid).order_by("id"))
    rows = (
        Responsibility.objects.filter(grid_path=grid.path, grid__isnull=True)
        .filter(Q(estate__isnull=False) | Q(building__isnull=False))
        .select_related("person", "assigned_by", "ended_by")
        .order_by("sort", "-started_at", "-id")
    )
    return [*estates, *buildings], list(rows)


def staffing_target(*, grid: Grid, key: str) -> Any:
    """The node a staffing form names: the grid itself (""), or an estate or building in it."""
    if not key:
        return grid
    kind, _sep, pk = key.partition(":")
    places: dict[str, QuerySet[Any]] = {
        "estate": Estate.objects.all(),
        "building": Building.objects.all(),
    }
    found = (
        places[kind].filter(micro_grid=grid, pk=int(pk)).first()
        if kind in places and pk.isdigit()
        else None
    )
    if found is None:
        raise InvalidInput(Problem(_("No such estate or building in this grid."), field="target"))
    return found


def responsibility_get(*, user: Any, pk: int) -> Responsibility:
    """One responsibility at a node the user may see; others answer as not found."""
    qs = scope_for(user).filter(Responsibility.objects.all(), "grid_path")
    found = qs.select_related("grid", "person").filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No such responsibility in your jurisdiction."), field="responsibility")
    return found


def _assignable(user: Any, path: str) -> QuerySet[Any]:
    """People who may be given a duty at the node with ``path`` by ``user``: anyone placed (in
    any role, residents included: micro-grid workers are recruited among them) in a grid the user
    staffs, and the staff of the grids above the node (街道干部包小区: street cadres take duties
    in communities)."""
    from finegrid.accounts.models import JURISDICTION_ROLES, RoleAssignment, User
    from finegrid.grids.permissions import STAFFING_ROLES

    staffs = scope_for(user, roles=STAFFING_ROLES)
    placed = staffs.filter(RoleAssignment.objects.all(), "grid_path")
    above = RoleAssignment.objects.filter(
        role__in=JURISDICTION_ROLES,
        grid_path__in=_ancestor_paths(path),
    )
    return User.objects.filter(
        Q(pk__in=placed.values("user_id")) | Q(pk__in=above.values("user_id")), is_active=True
    )


def _ancestor_paths(path: str) -> list[str]:
    codes = path_codes(path)
    return ["/" + "/".join(codes[: i + 1]) + "/" for i in range(len(codes))]


def assignable_people(*, user: Any, path: str, query: str = "", limit: int = 20) -> list[Any]:
    """The person picker: assignable people whose name, username or phone matches ``query``."""
    qs = _assignable(user, path)
    query = query.strip()
    if query:
        qs = qs.filter(
            Q(display_name__icontains=query) | Q(username__icontains=query) | Q(phone=query)
        )
    return list(qs.order_by("display_name", "username")[:limit])


def assignable_person(*, user: Any, path: str, username: str) -> Any:
    """The person named by ``username`` if ``user`` may give them a duty at ``path``."""
    found = _assignable(user, path).filter(username=username.strip()).first() if username else None
    if found is None:
        raise InvalidInput(
            Problem(
                _("No such person in your jurisdiction: choose one from the list."),
                field="person",
            )
        )
    return found


# --- map layers -----------------------------------------------------------------------------


# Simplification per zoom: about a third of a screen pixel, so shapes look exact but carry
# far fewer vertices at street-wide zooms.
def simplify_tolerance(zoom: int) -> float:
    metres_per_pixel = 156_543.0 / (2 ** max(0, min(zoom, 22)))
    return metres_per_pixel / 3 / geo.METRES_PER_DEGREE


def map_layer(
    *, user: Any, level: str, parent: str | None, zoom: int, crs: str = "wgs84"
) -> dict[str, Any]:
    """A FeatureCollection of the grids of one level (under ``parent``), simplified for ``zoom``."""
    qs = grid_list(user=user, level=level, parent=parent)
    generation = _generation()
    scope = scope_for(user)
    # A digest of the scope spelled out (Python's hash() varies per process and may collide):
    # two jurisdictions must never share a cached layer.
    spelled = "*" if scope.everything else ",".join(scope.prefixes)
    who = hashlib.sha256(spelled.encode()).hexdigest()[:32]
    key = f"grids:layer:{generation}:{who}:{level}:{parent}:{zoom}:{crs}"
    found = cache.get(key)
    if found is not None:
        return found
    counts = household_counts_by_grid()
    tol = simplify_tolerance(zoom)
    features = []
    rows = qs.values_list(
        "id",
        "code",
        "name",
        "level",
        "kind",
        "dedicated_type",
        "boundary",
        "center_lat",
        "center_lng",
    )
    for pk, code, name, lvl, kind, dtype, boundary, clat, clng in rows:
        if not boundary:
            continue
        geom = shape(boundary)
        if tol > 0:
            geom = shapely.simplify(geom, tol, preserve_topology=True)
        data = geo.to_geojson(geom, precision=6)
        if crs == "gcj02":
            data = geo.transform_coords(data, geo.wgs84_to_gcj02)
        features.append(
            {
                "type": "Feature",
                "id": code,
                "geometry": data,
                "properties": {
                    "code": code,
                    "name": name,
                    "level": lvl,
                    "kind": kind,
                    "dedicated_type": dtype,
                    "households": counts.get(pk, 0),
                    "center": [clng, clat],  # GeoJSON's order
                },
            }
        )
    out = {"type": "FeatureCollection", "features": features}
    cache.set(key, out, 300)
    return out


def grids_export(
    *, user: Any, level: str, parent: str | None = None, scope: Scope | None = None
) -> dict[str, Any]:
    """A level as a FeatureCollection that round-trips through :func:`grids_import_geojson`
    (and through QGIS: flat properties, WGS-84, RFC 7946). ``scope`` overrides the user's, for
    the command line."""
    qs = (scope or scope_for(user)).filter(Grid.objects.filter(level=level))
    if parent:
        qs = qs.filter(parent__code=parent)
    qs = qs.select_related("parent").order_by("path")
    features = [
        {
            "type": "Feature",
            "id": g.code,
            "properties": {
                "code": g.code,
                "name": g.name,
                "level": g.level,
                "parent": g.parent.code if g.parent else None,
                "kind": g.kind,
                "dedicated_type": g.dedicated_type,
                "version": g.boundary_version,
            },
            "geometry": g.boundary,
        }
        for g in qs
    ]
    return {"type": "FeatureCollection", "features": features}


def board_context(grid: Grid) -> dict[str, Any]:
    """What the public board (公示栏) of a grid shows: its path, people with phones, households."""
    ancestors = grid_ancestors(grid)
    chain = [*ancestors, grid]
    people = responsibilities_for(chain)
    return {
        "grid": grid,
        "ancestors": ancestors,
        "people": people[grid.pk],
        "parent_people": [r for a in reversed(ancestors) for r in people[a.pk]][:8],
        "households": household_count(grid),
    }


def under_grid(
    qs: QuerySet[Any], code: str, field: str = "grid_path", *, indexed: bool = True
) -> QuerySet[Any]:
    """``qs`` narrowed to the subtree of the grid with this code; an unknown code narrows to
    nothing. Jurisdiction is the caller's queryset's business (it comes scoped)."""
    path = Grid.objects.filter(code=code).values_list("path", flat=True).first()
    return qs.filter(under(field, path, indexed=indexed)) if path else qs.none()
