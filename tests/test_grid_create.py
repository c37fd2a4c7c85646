from __future__ import annotations

from typing import Any

import pytest

from finegrid.core.errors import InvalidInput
from finegrid.grids import services
from finegrid.grids.models import Grid, GridBoundary, Kind, Level
from tests.conftest import Net, box


def _refused(net: Net, **kwargs: Any) -> InvalidInput:
    grids, versions = Grid.objects.count(), GridBoundary.objects.count()
    with pytest.raises(InvalidInput) as caught:
        services.grid_create(
            **{"code": "NEW", "name": "新网格", "level": Level.MICRO, "parent": net.g1, **kwargs}
        )
    assert Grid.objects.count() == grids
    assert GridBoundary.objects.count() == versions
    return caught.value


def test_it_creates_a_micro_grid_with_path_bbox_and_first_version(net: Net) -> None:
    assert net.m1.path == "/S/C1/G1/M1/"
    assert net.m1.depth == 3
    assert net.m1.bbox == [104.0, 30.0, 104.01, 30.02]
    assert net.m1.boundary_version == 1
    assert GridBoundary.objects.get(grid=net.m1).version == 1
    assert 2_000_000 < (net.m1.area_m2 or 0) < 2_300_000  # ≈ 963 m × 2,226 m


def test_everything_under_a_community_is_one_prefix_query(net: Net) -> None:
    codes = set(Grid.objects.filter(path__startswith=net.c1.path).values_list("code", flat=True))
    assert codes == {"C1", "G1", "M1", "M2"}


def test_it_refuses_a_self_intersecting_polygon(net: Net) -> None:
    bowtie = {
        "type": "Polygon",
        "coordinates": [
            [[104.0, 30.0], [104.01, 30.01], [104.01, 30.0], [104.0, 30.01], [104.0, 30.0]]
        ],
    }
    err = _refused(net, boundary=bowtie)
    assert err.problems[0].field == "geometry"
    assert "intersects itself" in err.as_dict()["message_en"]


def test_it_refuses_a_micro_grid_outside_its_parent(net: Net) -> None:
    err = _refused(net, boundary=box(104.03, 30.0, 104.035, 30.01))  # inside C2, not G1
    assert any("outside its parent" in p["message_en"] for p in err.as_dict()["errors"])


def test_it_refuses_an_overlap_with_a_sibling(net: Net) -> None:
    err = _refused(net, boundary=box(104.005, 30.0, 104.015, 30.01))
    assert any(
        "overlaps" in p["message_en"] and "M1" in p["message_en"] for p in err.as_dict()["errors"]
    )


def test_it_accepts_a_sliver_overlap_within_tolerance(net: Net) -> None:
    # 0.0000045° of longitude ≈ 0.43 m into M1: drawing noise, under the 1 m tolerance
    services.grid_redraw(grid=net.m2, boundary=box(104.0099955, 30.0, 104.02, 30.02))
    net.m2.refresh_from_db()
    assert net.m2.boundary_version == 2


def test_it_refuses_an_overlap_just_past_tolerance(net: Net) -> None:
    # 0.00002° ≈ 1.9 m into M1
    with pytest.raises(InvalidInput):
        services.grid_redraw(grid=net.m2, boundary=box(104.00998, 30.0, 104.02, 30.02))


def test_it_refuses_a_duplicate_code(net: Net) -> None:
    err = _refused(net, code="M1", boundary=box(104.0, 30.0, 104.001, 30.001))
    assert err.problems[0].field == "code"


def test_it_refuses_coordinates_out_of_range(net: Net) -> None:
    err = _refused(net, boundary=box(104.0, 91.0, 104.01, 92.0))
    assert "out of range" in err.as_dict()["message_en"]


@pytest.mark.parametrize(
    "boundary",
    [
        None,
        {"type": "Point", "coordinates": [104, 30]},
        {"type": "Polygon", "coordinates": [[1, 2]]},
        "nonsense",
    ],
)
def test_it_refuses_malformed_geojson(net: Net, boundary: Any) -> None:
    err = _refused(net, boundary=boundary)
    assert err.problems[0].field == "geometry"


def test_it_refuses_a_parent_two_levels_up(net: Net) -> None:
    err = _refused(net, parent=net.c1, boundary=box(104.0, 30.0, 104.001, 30.001))
    assert err.problems[0].field == "parent"


def test_a_dedicated_grid_needs_its_type(net: Net) -> None:
    err = _refused(net, kind=Kind.DEDICATED, boundary=box(104.0, 30.0, 104.001, 30.001))
    assert err.problems[0].field == "dedicated_type"


def test_redrawing_keeps_the_old_boundary(net: Net) -> None:
    services.grid_redraw(grid=net.m3, boundary=box(104.02, 30.0, 104.03, 30.02), note="拆分")
    net.m3.refresh_from_db()
    assert net.m3.boundary_version == 2
    versions = list(
        GridBoundary.objects.filter(grid=net.m3).order_by("version").values_list("version", "note")
    )
    assert versions == [(1, ""), (2, "拆分")]
    old = GridBoundary.objects.get(grid=net.m3, version=1).geometry
    assert max(x for x, _y in old["coordinates"][0]) == 104.04
    assert max(x for x, _y in net.m3.boundary["coordinates"][0]) == 104.03


def test_a_refused_redraw_changes_nothing(net: Net) -> None:
    with pytest.raises(InvalidInput):
        services.grid_redraw(grid=net.m2, boundary=box(104.0, 30.0, 104.02, 30.02))  # over M1
    net.m2.refresh_from_db()
    assert net.m2.boundary_version == 1
    assert GridBoundary.objects.filter(grid=net.m2).count() == 1
