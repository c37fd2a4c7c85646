from __future__ import annotations

import json
from typing import Any

from finegrid.accounts.models import User
from finegrid.grids.models import Grid, GridBoundary
from tests.conftest import Net, box, client_for


def _post(user: User, collection: Any, level: str = "micro") -> Any:
    return client_for(user).post(
        f"/api/v1/grids/import?level={level}",
        json.dumps(collection),
        content_type="application/json",
    )


def _feature(
    code: str, parent: str, geometry: Any, name: str = "新微网格", **props: Any
) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {"code": code, "name": name, "parent": parent, **props},
        "geometry": geometry,
    }


def test_an_export_imports_back_unchanged(leader: User, net: Net) -> None:
    exported = client_for(leader).get("/api/v1/grids/export?level=micro").json()
    assert [f["properties"]["code"] for f in exported["features"]] == ["M1", "M2", "M3"]
    assert exported["features"][0]["properties"]["parent"] == "G1"
    r = _post(leader, exported)
    assert r.status_code == 200
    assert r.json() == {"created": 0, "updated": 3}
    # unchanged boundaries make no new versions
    assert GridBoundary.objects.filter(grid__level="micro").count() == 3


def test_an_import_creates_and_redraws(leader: User, net: Net) -> None:
    collection = {
        "type": "FeatureCollection",
        "features": [
            _feature("M3", "G2", box(104.02, 30.0, 104.03, 30.02), name="高堆1-1微网格"),
            _feature("M4", "G2", box(104.03, 30.0, 104.04, 30.02), name="高堆1-2微网格"),
        ],
    }
    r = _post(leader, collection)
    assert r.json() == {"created": 1, "updated": 1}
    assert Grid.objects.get(code="M4").path == "/S/C2/G2/M4/"
    assert Grid.objects.get(code="M3").boundary_version == 2


def test_bad_features_are_each_named_and_nothing_is_written(leader: User, net: Net) -> None:
    before = (Grid.objects.count(), GridBoundary.objects.count())
    bowtie = {
        "type": "Polygon",
        "coordinates": [
            [[104.02, 30.0], [104.03, 30.01], [104.03, 30.0], [104.02, 30.01], [104.02, 30.0]]
        ],
    }
    collection = {
        "type": "FeatureCollection",
        "features": [
            _feature("M4", "G2", box(104.03, 30.0, 104.035, 30.005)),  # good but overlaps M3…
            _feature("M5", "G2", bowtie),
            _feature("M6", "G2", box(104.0, 30.0, 104.005, 30.005)),  # in C1, not G2
            _feature("M4", "G2", box(104.03, 30.01, 104.035, 30.015)),  # duplicate code
            {
                "type": "Feature",
                "properties": {"code": "M7", "parent": "G2"},
                "geometry": box(104.2, 30.0, 104.3, 30.1),
            },
            "not a feature",
        ],
    }
    r = _post(leader, collection)
    assert r.status_code == 422
    errors = r.json()["errors"]
    by_row = {(e["row"], e["field"]) for e in errors}
    assert (1, "geometry") in by_row  # overlaps M3
    assert (2, "geometry") in by_row  # self-intersecting
    assert (3, "geometry") in by_row  # outside its parent
    assert (4, "code") in by_row  # duplicate
    assert (5, "name") in by_row  # missing name
    assert (6, "type") in by_row
    assert all(e["message"] and e["message_en"] for e in errors)
    assert (Grid.objects.count(), GridBoundary.objects.count()) == before


def test_malformed_json_is_refused(leader: User, net: Net) -> None:
    r = client_for(leader).post(
        "/api/v1/grids/import", "{not json", content_type="application/json"
    )
    assert r.status_code == 422
    assert r.json()["field"] == "body"
    r = _post(leader, {"type": "Feature"})
    assert r.status_code == 422
    assert r.json()["field"] == "type"


def test_a_worker_may_not_import(worker: User, net: Net) -> None:
    r = _post(
        worker,
        {
            "type": "FeatureCollection",
            "features": [_feature("M9", "G1", box(104.0, 30.0, 104.001, 30.001))],
        },
    )
    assert r.status_code == 403
    assert not Grid.objects.filter(code="M9").exists()


def test_the_export_is_scoped(official: User, net: Net) -> None:
    exported = client_for(official).get("/api/v1/grids/export?level=micro").json()
    assert [f["properties"]["code"] for f in exported["features"]] == ["M1", "M2"]


def test_a_control_character_in_a_property_is_named_by_feature(leader: User, net: Net) -> None:
    collection = {
        "type": "FeatureCollection",
        "features": [
            _feature("M4", "G2", box(104.03, 30.0, 104.035, 30.005), name="高堆\x071-2微网格"),
        ],
    }
    r = _post(leader, collection)
    assert r.status_code == 422
    errors = r.json()["errors"]
    named = [e for e in errors if e["field"] == "name"]
    assert [e["row"] for e in named] == [1]
    assert "U+0007" in named[0]["message_en"]
    assert not Grid.objects.filter(code="M4").exists()
