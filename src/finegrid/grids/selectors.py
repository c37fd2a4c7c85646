"""Reads of the grid tree and places. Scoped reads take the user and go through jurisdiction."""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

import shapely
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from shapely.geometry import shape

from finegrid.accounts.jurisdiction import Scope, scope_for
from finegrid.core.errors import NotFound
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
    out: dict[int, list[Responsibility]] = {g.pk: [] for g in grids}
    for r in (
        Responsibility.objects.filter(grid__in=grids)
        .select_related("person")
        .order_by("sort", "id")
    ):
        out[r.grid_id].append(r)  # type: ignore[index]
    return out


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
                "geometry": data,
                "properties": {
                    "code": code,
                    "name": name,
                    "level": lvl,
                    "kind": kind,
                    "dedicated_type": dtype,
                    "households": counts.get(pk, 0),
                    "center": [clat, clng],
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
