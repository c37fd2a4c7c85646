"""Point → micro-grid at city scale (126,449 micro-grids): the service against a bare STRtree.

    .venv/bin/python bench/locate.py

Seeds var/bench/city.sqlite3 on first run (a few minutes) and reuses it afterwards. The baseline
is a shapely STRtree built here from the same boundaries, queried the same way, so the ratio is
what the service adds on top of the geometry library.
"""

from __future__ import annotations

import json
import time

import _common
import numpy as np
import shapely

SINGLE_POINTS = 20_000
BATCH_POINTS = 1_000_000
INSIDE_SHARE = 0.9
SINGLE_TARGET_RATIO = 2.0
BATCH_TARGET_PER_S = 100_000
SEED_RECORD = _common.BENCH_DIR / "city.seed.json"


def ensure_city() -> str:
    """Seed the city net unless the file already holds it; say how long seeding took."""
    from finegrid.demo.generator import SCALES, seed
    from finegrid.grids.models import Grid, Level

    micros = Grid.objects.filter(level=Level.MICRO).count()
    if micros == SCALES["city"].micros:
        if SEED_RECORD.exists():
            took = json.loads(SEED_RECORD.read_text())["seconds"]
            return f"reused var/bench/city.sqlite3 (seeded earlier in {took:.0f} s)"
        return "reused var/bench/city.sqlite3"
    if micros:
        raise SystemExit("var/bench/city.sqlite3 holds another net; delete it and run again")
    print("seeding the city net into var/bench/city.sqlite3 (a few minutes)…", flush=True)
    took, _counts = _common.timed(lambda: seed(scale_name="city", seed_value=1, password="x"))
    SEED_RECORD.write_text(json.dumps({"seconds": took}))
    return f"seeded var/bench/city.sqlite3 in {took:.0f} s"


def raw_tree() -> tuple[shapely.STRtree, list[str], float]:
    """An STRtree over the leaf boundaries straight from the database, and its build time."""
    from django.db.models import Q

    from finegrid.grids.models import Grid, Kind, Level

    started = time.perf_counter()
    # the same leaves as the service indexes, in the same order (ties on shared edges)
    rows = list(
        Grid.objects.filter(boundary__isnull=False)
        .filter(Q(level=Level.MICRO) | Q(level=Level.GRID, kind=Kind.DEDICATED))
        .order_by("id")
        .values_list("code", "boundary")
    )
    geoms = shapely.from_geojson([json.dumps(boundary) for _code, boundary in rows])
    tree = shapely.STRtree(geoms)
    return tree, [code for code, _boundary in rows], time.perf_counter() - started


def sample_points(
    tree: shapely.STRtree, n: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points in the city's bounding box, ``INSIDE_SHARE`` of them inside a micro-grid."""
    minx, miny, maxx, maxy = shapely.total_bounds(tree.geometries)
    cand = rng.uniform((minx, miny), (maxx, maxy), size=(int(n / 0.6), 2))
    hit, _ = tree.query(shapely.points(cand), predicate="within")
    inside = np.zeros(len(cand), dtype=bool)
    inside[hit] = True
    n_in = int(n * INSIDE_SHARE)
    pts = np.concatenate([cand[inside][:n_in], cand[~inside][: n - n_in]])
    assert len(pts) == n, "too few candidates on one side of the city's edge"
    rng.shuffle(pts)
    return pts[:, 0].copy(), pts[:, 1].copy()


def first_hits(point_idx: np.ndarray, geom_idx: np.ndarray, n: int) -> np.ndarray:
    """Per point the lowest geometry index containing it, or -1 (the service's edge rule)."""
    out = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(out, point_idx, geom_idx)
    out[out == np.iinfo(np.int64).max] = -1
    return out


def codes_of(found: np.ndarray, codes: list[str]) -> list[str | None]:
    return [codes[i] if i >= 0 else None for i in found]


def bench_single(report: _common.Report, tree: shapely.STRtree, codes: list[str]) -> None:
    """One point at a time, as the locate endpoint and forms call it."""
    from finegrid.grids import selectors

    lngs, lats = sample_points(tree, SINGLE_POINTS, np.random.default_rng(1))
    pairs = list(zip(lngs.tolist(), lats.tolist(), strict=True))

    def service() -> list[selectors.LocateHit | None]:
        return [selectors.locate(lat=y, lng=x) for x, y in pairs]

    def raw() -> list[np.ndarray]:
        return [tree.query(shapely.Point(x, y), predicate="within") for x, y in pairs]

    answers = [h.code if h else None for h in service()]  # also warms both
    raw()
    us_service = _common.best_of(service) / len(pairs) * 1e6
    us_raw = _common.best_of(raw) / len(pairs) * 1e6
    ratio = us_service / us_raw
    report.figure(f"single: service locate(), {len(pairs):,} points", f"{us_service:.1f} µs")
    report.figure("single: raw tree.query(Point, predicate='within')", f"{us_raw:.1f} µs")
    report.figure(
        "single: share of points inside a micro-grid",
        f"{sum(a is not None for a in answers) / len(answers):.1%}",
    )
    report.target(
        "single lookup, service / raw",
        f"{ratio:.2f}× ({us_service:.1f} vs {us_raw:.1f} µs)",
        f"≤ {SINGLE_TARGET_RATIO:.0f}×",
        ratio <= SINGLE_TARGET_RATIO,
    )
    p_idx, g_idx = tree.query(shapely.points(np.column_stack([lngs, lats])), predicate="within")
    same = agreement(answers, p_idx, g_idx, codes)
    report.target(f"single: service = raw on {len(pairs):,} points", same, "equal", same == "equal")


def bench_batch(report: _common.Report, tree: shapely.STRtree, codes: list[str]) -> None:
    """A million points in one call, as an import of addresses would."""
    from finegrid.grids import selectors

    lngs, lats = sample_points(tree, BATCH_POINTS, np.random.default_rng(2))
    selectors.locate_many(lats=lats[:1000], lngs=lngs[:1000])  # warm

    def raw() -> tuple[np.ndarray, np.ndarray]:
        return tree.query(shapely.points(np.column_stack([lngs, lats])), predicate="within")

    runs = [_common.timed(lambda: selectors.locate_many(lats=lats, lngs=lngs)) for _ in range(3)]
    t_service, found = min(runs, key=lambda run: run[0])
    raw_runs = [_common.timed(raw) for _ in range(3)]
    t_raw, (p_idx, g_idx) = min(raw_runs, key=lambda run: run[0])
    rate = BATCH_POINTS / t_service
    report.figure(f"batch: service locate_many(), {BATCH_POINTS:,} points", f"{t_service:.2f} s")
    report.figure("batch: raw shapely.points + tree.query(points)", f"{t_raw:.2f} s")
    report.figure("batch: raw throughput", f"{BATCH_POINTS / t_raw:,.0f} points/s")
    report.figure("batch: service / raw", f"{t_service / t_raw:.2f}×")
    report.target(
        "batch throughput, service",
        f"{rate:,.0f} points/s",
        f"≥ {BATCH_TARGET_PER_S:,} points/s",
        rate >= BATCH_TARGET_PER_S,
    )
    same = agreement(found, p_idx, g_idx, codes)
    report.target(
        f"batch: service = raw on {BATCH_POINTS:,} points", same, "equal", same == "equal"
    )
    if same != "equal":
        report.note(
            "Where a point lies in more than one micro-grid, locate() answers the lowest index "
            "(hits.min()) but PointIndex.find_many keeps the first hit in STRtree order, which "
            "is not sorted by geometry index: single and batch answers then disagree."
        )


def agreement(
    found: list[str | None], p_idx: np.ndarray, g_idx: np.ndarray, codes: list[str]
) -> str:
    """'equal', or how many answers differ from the raw tree's lowest-index hit and how many of
    those points lie in more than one micro-grid (where boundaries overlap within tolerance)."""
    expected = codes_of(first_hits(p_idx, g_idx, len(found)), codes)
    differ = [i for i, (a, b) in enumerate(zip(found, expected, strict=True)) if a != b]
    if not differ:
        return "equal"
    hits = np.bincount(p_idx, minlength=len(found))
    in_overlap = int((hits[differ] > 1).sum())
    return (
        f"{len(differ):,} differ ({in_overlap:,} of them inside >1 micro-grid; "
        f"{int((hits > 1).sum()):,} such points in the sample)"
    )


def main() -> None:
    report = _common.Report("locate", "Point → micro-grid, city scale")
    _common.setup("city")
    from finegrid.grids import selectors

    report.note(ensure_city())
    report.note(
        "Baseline: a shapely STRtree built in the bench from the same boundaries, queried with "
        "predicate='within' on the same points (90% inside the city). Index build is measured "
        "apart; lookups are timed warm, best of 3."
    )
    print("building indexes…", flush=True)
    tree, codes, raw_build = raw_tree()
    selectors.point_index_cache.invalidate()
    service_build, index = _common.timed(selectors.point_index_cache.get)
    report.figure("leaf polygons indexed", f"{len(index):,}")
    report.figure("index build, service (load, parse, prepare, STRtree)", f"{service_build:.2f} s")
    report.figure("index build, raw (load, from_geojson, STRtree)", f"{raw_build:.2f} s")
    bench_single(report, tree, codes)
    bench_batch(report, tree, codes)
    report.save()


if __name__ == "__main__":
    main()
