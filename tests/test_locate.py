from __future__ import annotations

import numpy as np
import pytest

from finegrid.grids import selectors, services
from finegrid.grids.models import Grid
from tests.conftest import Net, box, client_for


def test_it_answers_the_micro_grid_and_its_path(net: Net) -> None:
    r = client_for(None).get("/api/v1/grids/locate?lat=30.01&lng=104.015")
    assert r.status_code == 200
    body = r.json()
    assert body["micro_grid"] == {"code": "M2", "name": "锦丰1-2微网格", "level": "micro"}
    assert [p["code"] for p in body["path"]] == ["S", "C1", "G1", "M2"]


def test_a_point_outside_every_grid_is_404(net: Net) -> None:
    r = client_for(None).get("/api/v1/grids/locate?lat=31.0&lng=104.015")
    assert r.status_code == 404
    assert r.json()["message"] == "该位置不在任何网格内。"
    assert r.json()["message_en"] == "The point lies outside every grid."


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("lng=104.0", "lat"),
        ("lat=30.0", "lng"),
        ("lat=abc&lng=104", "lat"),
        ("lat=30&lng=", "lng"),
        ("lat=95&lng=104", "lat"),
        ("lat=30&lng=200", "lng"),
    ],
)
def test_a_locate_call_without_good_numbers_names_the_parameter(
    net: Net, query: str, field: str
) -> None:
    r = client_for(None).get(f"/api/v1/grids/locate?{query}")
    assert r.status_code == 422
    assert r.json()["field"] == field


def test_the_index_follows_a_redraw(net: Net) -> None:
    assert selectors.locate(lat=30.01, lng=104.035).code == "M3"  # type: ignore[union-attr]
    services.grid_redraw(grid=net.m3, boundary=box(104.02, 30.0, 104.03, 30.02))
    assert selectors.locate(lat=30.01, lng=104.035) is None
    assert selectors.locate(lat=30.01, lng=104.025).code == "M3"  # type: ignore[union-attr]


def test_the_index_follows_a_change_made_by_another_process(net: Net) -> None:
    from finegrid.grids.models import GeoIndexState

    assert selectors.locate(lat=30.01, lng=104.035).code == "M3"  # type: ignore[union-attr]
    # another process redraws M3: the row changes and the generation moves, our cache is stale
    Grid.objects.filter(code="M3").update(boundary=box(104.02, 30.0, 104.03, 30.02))
    GeoIndexState.objects.update(generation=999)
    selectors.point_index_cache._checked_at = 0.0  # as if the re-check interval had passed
    assert selectors.locate(lat=30.01, lng=104.035) is None


def test_batch_lookup_matches_single_lookups(net: Net) -> None:
    rng = np.random.default_rng(7)
    lats = rng.uniform(29.99, 30.03, 500)
    lngs = rng.uniform(103.99, 104.05, 500)
    batch = selectors.locate_many(lats=lats, lngs=lngs)
    single = [
        (h.code if (h := selectors.locate(lat=a, lng=b)) else None)
        for a, b in zip(lats, lngs, strict=True)
    ]
    assert batch == single
    assert {c for c in batch} == {"M1", "M2", "M3", None}


def test_batch_and_single_lookup_agree_where_neighbours_overlap_slightly(net: Net) -> None:
    # M2 redrawn 0.43 m into M1 (within tolerance): points in that sliver lie in both
    services.grid_redraw(grid=net.m2, boundary=box(104.0099955, 30.0, 104.02, 30.02))
    lngs = np.full(400, 104.009998)
    lats = np.linspace(30.0001, 30.0199, 400)
    batch = selectors.locate_many(lats=lats, lngs=lngs)
    single = [selectors.locate(lat=a, lng=b).code for a, b in zip(lats, lngs, strict=True)]  # type: ignore[union-attr]
    assert batch == single
    assert set(batch) == {"M1"}  # the lower index, M1, wins in both
