"""GeoJSON is served as GeoJSON (RFC 7946): its media type, an id on every feature, and
[lng, lat] inside it; plain JSON answers name lat and lng."""

from __future__ import annotations

from finegrid.accounts.models import User
from tests.conftest import Net, client_for


def test_the_map_layer_is_geojson_with_ids_and_lng_lat_centres(leader: User, net: Net) -> None:
    response = client_for(leader).get("/api/v1/grids/layer", {"level": "micro"})
    assert response["Content-Type"] == "application/geo+json"
    features = response.json()["features"]
    assert features
    for feature in features:
        assert feature["id"] == feature["properties"]["code"]
    m1 = next(f for f in features if f["id"] == net.m1.code)
    net.m1.refresh_from_db()
    assert m1["properties"]["center"] == [net.m1.center_lng, net.m1.center_lat]


def test_the_export_is_geojson_with_ids(leader: User, net: Net) -> None:
    response = client_for(leader).get("/api/v1/grids/export", {"level": "micro"})
    assert response["Content-Type"] == "application/geo+json"
    assert all(f["id"] == f["properties"]["code"] for f in response.json()["features"])


def test_the_grid_list_names_the_centre_fields(leader: User, net: Net) -> None:
    items = client_for(leader).get("/api/v1/grids", {"level": "micro"}).json()["items"]
    m1 = next(i for i in items if i["code"] == net.m1.code)
    net.m1.refresh_from_db()
    assert m1["center"] == {"lat": net.m1.center_lat, "lng": net.m1.center_lng}
