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
    rng.shuffle(pts)
    return pts[:, 0].copy(), pts[:, 1].copy()


def first_hits(point_idx: np.ndarray, geom_idx: np.ndarray, n: int) -> np.ndarray:
    """Per point the lowest geometry index containing it, or -1 (the service's edge rule)."""
    out = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(out, point_idx, geom_idx)
    out[out == np.iinfo(np.int64).max] = -1
    return out


def main() -> None:
    report = _common.Report("locate", "Point → micro-grid, city scale")
    _common.setup("city")
    from finegrid.grids import selectors

    report.note(ensure_city())
    print("building indexes…", flush=True)
    tree, codes, raw_build = raw_tree()
    selectors.point_index_cache.invalidate()
    service_build, index = _common.timed(selectors.point_index_cache.get)
    report.figure("leaf polygons indexed", f"{len(index):,}")
    report.figure("index build, service (load + parse + prepare + STRtree)", f"{service_build:.2f} s")
    report.figure("index build, raw (load + from_geojson + STRtree)", f"{raw_build:.2f} s")

    rng = np.random.default_rng(1)
    lngs, lats = sample_points(tree, SINGLE_POINTS, rng)
    pairs = list(zip(lngs.tolist(), lats.tolist(), strict=True))

    def service_single() -> list[object]:
        return [selectors.locate(lat=y, lng=x) for x, y in pairs]

    def raw_single() -> list[object]:
        return [tree.query(shapely.Point(x, y), predicate="within") for x, y in pairs]

    service_single()  # warm: prepared geometries, caches
    raw_single()
    t_service = _common.best_of(service_single)
    t_raw = _common.best_of(raw_single)
    us_service = t_service / len(pairs) * 1e6
    us_raw = t_raw / len(pairs) * 1e6
    ratio = us_service / us_raw
    report.figure(f"single lookup, service locate() ({len(pairs):,} points)", f"{us_service:.1f} µs")
    report.figure("single lookup, raw tree.query(Point)", f"{us_raw:.1f} µs")
    report.target(
        "single lookup ratio service/raw", f"{ratio:.2f}×", f"≤ {SINGLE_TARGET_RATIO:.0f}×",
        ratio <= SINGLE_TARGET_RATIO,
    )

    # correctness on the single-point sample
    answers = [h.code if h else None for h in service_single()]
    p_idx, g_idx = tree.query(shapely.points(np.column_stack([lngs, lats])), predicate="within")
    expected = [codes[i] if i >= 0 else None for i in first_hits(p_idx, g_idx, len(pairs))]
    single_ok = answers == expected
    inside = sum(a is not None for a in answers)
    report.figure("single lookups inside a micro-grid", f"{inside / len(answers):.1%}")

    lngs_b, lats_b = sample_points(tree, BATCH_POINTS, rng)
    points_b = shapely.points(np.column_stack([lngs_b, lats_b]))
    selectors.locate_many(lats=lats_b[:1000], lngs=lngs_b[:1000])  # warm

    t_batch, found = _common.timed(lambda: selectors.locate_many(lats=lats_b, lngs=lngs_b))
    t_batch = min(t_batch, _common.best_of(lambda: selectors.locate_many(lats=lats_b, lngs=lngs_b), 2))
    t_raw_b = _common.best_of(lambda: tree.query(points_b, predicate="within"), 3)
    t_raw_full = _common.best_of(
        lambda: tree.query(shapely.points(np.column_stack([lngs_b, lats_b])), predicate="within"),
        3,
    )
    rate = BATCH_POINTS / t_batch
    report.figure(f"batch locate_many() ({BATCH_POINTS:,} points)", f"{t_batch:.2f} s")
    report.figure("batch throughput, service", f"{rate:,.0f} points/s")
    report.figure("batch raw tree.query(points) (points pre-built)", f"{t_raw_b:.2f} s")
    report.figure("batch raw, points built from arrays", f"{t_raw_full:.2f} s")
    report.target(
        "batch throughput", f"{rate:,.0f} points/s", f"≥ {BATCH_TARGET_PER_S:,} points/s",
        rate >= BATCH_TARGET_PER_S,
    )
    report.figure("batch ratio service/raw (points built from arrays)", f"{t_batch / t_raw_full:.2f}×")
    report.figure("batch ratio service/raw (points pre-built)", f"{t_batch / t_raw_b:.2f}×")

    sample = slice(0, 50_000)
    p_idx, g_idx = tree.query(points_b[sample], predicate="within")
    expected_b = [codes[i] if i >= 0 else None for i in first_hits(p_idx, g_idx, 50_000)]
    batch_ok = found[sample] == expected_b
    report.target(
        "service answers equal raw answers",
        f"single {len(pairs):,}: {'equal' if single_ok else 'DIFFER'}; "
        f"batch first 50,000: {'equal' if batch_ok else 'DIFFER'}",
        "equal",
        single_ok and batch_ok,
    )
    report.save()


if __name__ == "__main__":
    main()
