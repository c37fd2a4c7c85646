"""Tessellations for generated streets: parents cut into Voronoi cells, so that children nest
exactly inside their parent and siblings share edges without overlapping."""

from __future__ import annotations

import math
import random

import numpy as np
import shapely
from shapely.geometry import MultiPoint, Polygon
from shapely.geometry.base import BaseGeometry

from finegrid.grids.geo import METRES_PER_DEGREE


def blob(
    rng: random.Random, *, lat: float, lng: float, radius_m: float, vertices: int = 36
) -> Polygon:
    """An irregular, star-shaped outline around a centre: a plausible administrative boundary."""
    phases = [rng.uniform(0, 2 * math.pi) for _ in range(3)]
    amps = [rng.uniform(0.04, 0.12) for _ in range(3)]
    coords = []
    for i in range(vertices):
        a = 2 * math.pi * i / vertices
        r = radius_m * (
            1
            + sum(
                amp * math.sin((k + 2) * a + ph)
                for k, (amp, ph) in enumerate(zip(amps, phases, strict=True))
            )
        )
        r *= rng.uniform(0.97, 1.03)
        dx, dy = r * math.cos(a), r * math.sin(a)
        coords.append(
            (
                lng + dx / (METRES_PER_DEGREE * math.cos(math.radians(lat))),
                lat + dy / METRES_PER_DEGREE,
            )
        )
    return Polygon(coords)


def random_points(rng: np.random.Generator, geom: BaseGeometry, n: int) -> np.ndarray:
    """``n`` points uniformly inside ``geom`` (rejection sampling on the bounding box)."""
    minx, miny, maxx, maxy = geom.bounds
    shapely.prepare(geom)
    found: list[np.ndarray] = []
    have = 0
    while have < n:
        want = max(16, int((n - have) * 2.5))
        xs = rng.uniform(minx, maxx, want)
        ys = rng.uniform(miny, maxy, want)
        inside = shapely.contains_xy(geom, xs, ys)
        pts = np.column_stack([xs[inside], ys[inside]])
        found.append(pts)
        have += len(pts)
    return np.concatenate(found)[:n]


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts)


def split(
    parent: BaseGeometry, n: int, rng: np.random.Generator, relax: int = 1
) -> list[BaseGeometry]:
    """Cut ``parent`` into ``n`` cells that cover it exactly and do not overlap.

    One Lloyd step (moving each seed to its cell's centroid) evens out cell sizes, which reads as
    hand-drawn districts rather than random shards.
    """
    if n == 1:
        return [parent]
    pts = random_points(rng, parent, n)
    cells: list[BaseGeometry] = []
    for step in range(relax + 1):
        diagram = shapely.voronoi_polygons(MultiPoint(pts), extend_to=parent, ordered=True)
        cells = [_polygonal(c.intersection(parent)) for c in diagram.geoms]
        if step < relax:
            pts = np.array(
                [
                    [c.centroid.x, c.centroid.y] if not c.is_empty else p
                    for c, p in zip(cells, pts, strict=True)
                ]
            )
    # Rounding to 1e-6° (≈ 0.1 m) happens on storage; make sure what we hand over is valid.
    return [c if c.is_valid else shapely.make_valid(c) for c in cells]


def largest_first(cells: list[BaseGeometry]) -> list[BaseGeometry]:
    return sorted(cells, key=lambda c: -c.area)
