"""Geometry: parsing and checking GeoJSON boundaries, and the point → micro-grid index.

Boundaries are GeoJSON (WGS-84, [lng, lat]). Distances and areas use a local equirectangular
approximation, which is exact to well under 1% across a street or a city.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from django.utils.translation import gettext_lazy as _
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from finegrid.core.errors import InvalidInput, Problem

METRES_PER_DEGREE = 111_320.0
# How far a child may stray outside its parent, or siblings into one another, before we refuse:
# drawings from QGIS or surveyors seldom meet exactly.
TOLERANCE_M = 1.0


def parse_polygon(geojson: Any, *, field: str = "geometry") -> BaseGeometry:
    """A valid Polygon or MultiPolygon from a GeoJSON geometry, or :class:`InvalidInput`."""
    if not isinstance(geojson, dict) or "type" not in geojson or "coordinates" not in geojson:
        raise InvalidInput(
            Problem(_("The boundary is not a GeoJSON geometry object."), field=field)
        )
    if geojson["type"] not in ("Polygon", "MultiPolygon"):
        raise InvalidInput(
            Problem(_("The boundary must be a Polygon or MultiPolygon."), field=field)
        )
    try:
        geom = shape(geojson)
    except (ValueError, TypeError, IndexError, AttributeError, shapely.errors.GEOSException):
        raise InvalidInput(
            Problem(_("The boundary coordinates are malformed."), field=field)
        ) from None
    if geom.is_empty:
        raise InvalidInput(Problem(_("The boundary is empty."), field=field))
    minx, miny, maxx, maxy = geom.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise InvalidInput(
            Problem(
                _("Coordinates are out of range (longitude −180…180, latitude −90…90)."),
                field=field,
            )
        )
    if not geom.is_valid:
        raise InvalidInput(
            Problem(
                _("The boundary is not a valid polygon (for example it intersects itself)."),
                field=field,
            )
        )
    return geom


def degrees_for(metres: float, lat: float) -> float:
    return metres / (METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))


def area_m2(geom: BaseGeometry) -> float:
    lat = geom.centroid.y
    return float(geom.area * METRES_PER_DEGREE**2 * math.cos(math.radians(lat)))


def lies_within(child: BaseGeometry, parent: BaseGeometry, tol_m: float = TOLERANCE_M) -> bool:
    return bool(parent.buffer(degrees_for(tol_m, parent.centroid.y)).covers(child))


def overlaps_beyond_tolerance(a: BaseGeometry, b: BaseGeometry, tol_m: float = TOLERANCE_M) -> bool:
    """True when the overlap of ``a`` and ``b`` is anywhere wider than ``tol_m``: a sliver along
    a shared edge is drawing noise, a wedge into the neighbour is not."""
    if not a.intersects(b):
        return False
    shared = a.intersection(b)
    if shared.area == 0:
        return False
    return not shared.buffer(-degrees_for(tol_m / 2, shared.centroid.y)).is_empty


def to_geojson(geom: BaseGeometry, precision: int = 6) -> dict[str, Any]:
    """Canonical GeoJSON: rounded to ``precision`` decimals (6 ≈ 0.1 m), a fixed start vertex and
    counter-clockwise outer rings (RFC 7946), so equal shapes give equal documents."""
    canonical = shapely.orient_polygons(
        shapely.normalize(shapely.set_precision(geom, 10**-precision)), exterior_cw=False
    )
    out: dict[str, Any] = mapping(canonical)
    return _listify(out)


def same_shape(a: dict[str, Any] | None, b: dict[str, Any]) -> bool:
    if a is None:
        return False
    return bool(
        shapely.equals_exact(shapely.normalize(shape(a)), shapely.normalize(shape(b)), 1e-9)
    )


def _listify(obj: Any) -> Any:
    if isinstance(obj, tuple | list):
        return [_listify(x) for x in obj]
    if isinstance(obj, dict):
        return {k: _listify(v) for k, v in obj.items()}
    return obj


# --- point → micro-grid --------------------------------------------------------------------


@dataclass(frozen=True)
class GridRow:
    id: int
    code: str
    path: str
    geometry: dict[str, Any]


class PointIndex:
    """An STRtree over leaf grids. Immutable once built; swapped whole when boundaries change."""

    def __init__(self, rows: list[GridRow], generation: int) -> None:
        self.generation = generation
        self.ids = np.array([r.id for r in rows], dtype=np.int64)
        self.codes = [r.code for r in rows]
        self.paths = [r.path for r in rows]
        self.geoms = np.array([shape(r.geometry) for r in rows], dtype=object)
        shapely.prepare(self.geoms)
        self.tree = shapely.STRtree(self.geoms)

    def __len__(self) -> int:
        return len(self.codes)

    def find(self, lng: float, lat: float) -> int | None:
        """Position in the index of the grid containing the point, or None."""
        hits = self.tree.query(shapely.Point(lng, lat), predicate="within")
        if len(hits) == 0:
            return None
        return int(hits.min())  # on a shared edge, a stable answer

    def find_many(self, lngs: np.ndarray, lats: np.ndarray) -> np.ndarray:
        """For each point, the position of its grid or -1; vectorised through shapely."""
        points = shapely.points(np.column_stack([lngs, lats]))
        point_idx, geom_idx = self.tree.query(points, predicate="within")
        out = np.full(len(points), -1, dtype=np.int64)
        # A point on a shared edge (or in a sliver within tolerance) has several hits; as in
        # find(), the lowest geometry index wins. Sort by point, then geometry, keep each
        # point's first hit.
        order = np.lexsort((geom_idx, point_idx))
        point_idx, geom_idx = point_idx[order], geom_idx[order]
        first = np.ones(len(point_idx), dtype=bool)
        first[1:] = point_idx[1:] != point_idx[:-1]
        out[point_idx[first]] = geom_idx[first]
        return out


class IndexCache:
    """Keeps one PointIndex per process, rebuilt when the stored generation moves.

    The generation is read at most every ``check_every`` seconds, so the hot path is a clock
    read and an STRtree query; a change made in this process invalidates at once.
    """

    def __init__(self, loader: Any, generation_reader: Any, check_every: float = 2.0) -> None:
        self._loader = loader
        self._read_generation = generation_reader
        self._check_every = check_every
        self._index: PointIndex | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()

    def get(self) -> PointIndex:
        index = self._index
        now = time.monotonic()
        if index is not None and now - self._checked_at < self._check_every:
            return index
        # One thread rebuilds; the others wait rather than build the same tree twice.
        with self._lock:
            generation = self._read_generation()
            if self._index is None or self._index.generation != generation:
                self._index = PointIndex(self._loader(), generation)
            self._checked_at = time.monotonic()
            return self._index

    def invalidate(self) -> None:
        self._index = None


# --- GCJ-02 ---------------------------------------------------------------------------------
# Chinese tile providers draw their maps in GCJ-02, an obfuscated datum offset from WGS-84 by
# up to a few hundred metres. Geometry stays WGS-84 in storage and is shifted only for display
# over such tiles. The transform is the published one, on the Krasovsky 1940 ellipsoid.

_A = 6378245.0
_EE = 0.00669342162296594323


def _in_china(lng: float, lat: float) -> bool:
    return 72.004 <= lng <= 137.8347 and 0.8293 <= lat <= 55.8271


def _shift_lat(x: float, y: float) -> float:
    r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    r += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return r


def _shift_lng(x: float, y: float) -> float:
    r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    r += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return r


def wgs84_to_gcj02(lng: float, lat: float) -> tuple[float, float]:
    if not _in_china(lng, lat):
        return lng, lat
    dlat = _shift_lat(lng - 105.0, lat - 35.0)
    dlng = _shift_lng(lng - 105.0, lat - 35.0)
    radlat = math.radians(lat)
    magic = 1 - _EE * math.sin(radlat) ** 2
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * math.pi)
    dlng = (dlng * 180.0) / (_A / sqrtmagic * math.cos(radlat) * math.pi)
    return lng + dlng, lat + dlat


def transform_coords(geojson: dict[str, Any], fn: Any) -> dict[str, Any]:
    def walk(c: Any) -> Any:
        if c and isinstance(c[0], int | float):
            x, y = fn(c[0], c[1])
            return [round(x, 6), round(y, 6)]
        return [walk(x) for x in c]

    return {**geojson, "coordinates": walk(geojson["coordinates"])}
