from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema

from finegrid.accounts.api import API_AUTH
from finegrid.accounts.models import User
from finegrid.core.errors import InvalidInput, NotFound, Problem
from finegrid.core.schemas import Input
from finegrid.grids import selectors, services
from finegrid.grids.models import Grid, Kind, Level
from finegrid.grids.permissions import access_grid_edit

router = Router(tags=["grids"], auth=API_AUTH)


class GridRef(Schema):
    code: str
    name: str
    level: str


class GridItem(Schema):
    code: str
    name: str
    level: str
    kind: str
    dedicated_type: str
    parent: str | None
    path: list[str]
    center: list[float] | None
    boundary_version: int


class PersonOut(Schema):
    name: str
    duty: str
    duty_label: str
    phone: str


class GridDetail(GridItem):
    boundary: dict[str, Any] | None
    bbox: list[float] | None
    area_m2: float | None
    ancestors: list[GridRef]
    children: dict[str, int]
    households: int
    responsible: list[PersonOut]


class GridPage(Schema):
    count: int
    items: list[GridItem]


class LocateOut(Schema):
    micro_grid: GridRef
    path: list[GridRef]


class ListFilters(Input):
    level: Level | None = None
    kind: Kind | None = None
    parent: str | None = None
    limit: int = 100
    offset: int = 0


def _item(g: Grid) -> dict[str, Any]:
    return {
        "code": g.code,
        "name": g.name,
        "level": g.level,
        "kind": g.kind,
        "dedicated_type": g.dedicated_type,
        "parent": g.parent.code if g.parent_id and g.parent else None,
        "path": selectors.path_codes(g.path),
        "center": [g.center_lat, g.center_lng] if g.center_lat is not None else None,
        "boundary_version": g.boundary_version,
    }


@router.get("", response=GridPage, summary="List grids in your jurisdiction")
def grid_list(request: HttpRequest, filters: Query[ListFilters]) -> dict[str, Any]:
    if not 1 <= filters.limit <= 1000:
        raise InvalidInput(Problem(_("limit must be between 1 and 1000."), field="limit"))
    if filters.offset < 0:
        raise InvalidInput(Problem(_("offset must not be negative."), field="offset"))
    qs = selectors.grid_list(
        user=request.user, level=filters.level, kind=filters.kind, parent=filters.parent
    )
    page = qs.select_related("parent")[filters.offset : filters.offset + filters.limit]
    return {"count": qs.count(), "items": [_item(g) for g in page]}


@router.get("/locate", response=LocateOut, auth=None, summary="Which micro-grid holds a point")
def grid_locate(request: HttpRequest, lat: float, lng: float) -> dict[str, Any]:
    if not -90 <= lat <= 90:
        raise InvalidInput(Problem(_("lat must be between −90 and 90."), field="lat"))
    if not -180 <= lng <= 180:
        raise InvalidInput(Problem(_("lng must be between −180 and 180."), field="lng"))
    hit = selectors.locate(lat=lat, lng=lng)
    if hit is None:
        raise NotFound(_("The point lies outside every grid."), field="lat")
    path = selectors.grids_by_codes(selectors.path_codes(hit.path))
    refs = [{"code": g.code, "name": g.name, "level": g.level} for g in path]
    return {"micro_grid": refs[-1], "path": refs}


@router.get("/layer", summary="Grids of one level as GeoJSON, simplified for a zoom")
def grid_layer(
    request: HttpRequest,
    level: Level,
    parent: str | None = None,
    zoom: int = 14,
    crs: str = "wgs84",
) -> HttpResponse:
    if crs not in ("wgs84", "gcj02"):
        raise InvalidInput(Problem(_("crs must be wgs84 or gcj02."), field="crs"))
    data = selectors.map_layer(user=request.user, level=level, parent=parent, zoom=zoom, crs=crs)
    return JsonResponse(data)


@router.get("/export", summary="Export a level as a GeoJSON FeatureCollection")
def grid_export(request: HttpRequest, level: Level, parent: str | None = None) -> HttpResponse:
    data = selectors.grids_export(user=request.user, level=level, parent=parent)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="grids-{level}.geojson"'
    return response


class ImportOut(Schema):
    created: int
    updated: int


@router.post(
    "/import", response=ImportOut, summary="Import a level from a GeoJSON FeatureCollection"
)
def grid_import(request: HttpRequest, level: Level | None = None) -> dict[str, int]:
    try:
        collection = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput(Problem(_("The body is not valid JSON."), field="body")) from None
    access_grid_edit(request.user, collection)
    actor = request.user if isinstance(request.user, User) else None
    report = services.grids_import_geojson(collection=collection, level=level, actor=actor)
    return {"created": report.created, "updated": report.updated}


@router.get("/{code}", response=GridDetail, summary="One grid with its boundary and people")
def grid_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    grid = selectors.grid_get(user=request.user, code=code)
    people = selectors.responsibilities_for([grid])[grid.pk]
    ancestors = selectors.grid_ancestors(grid)
    return {
        **_item(grid),
        "boundary": grid.boundary,
        "bbox": grid.bbox,
        "area_m2": grid.area_m2,
        "ancestors": [{"code": a.code, "name": a.name, "level": a.level} for a in ancestors],
        "children": selectors.children_counts(grid),
        "households": selectors.household_count(grid),
        "responsible": [
            {
                "name": str(r.person),
                "duty": r.duty,
                "duty_label": str(r.get_duty_display()),
                "phone": r.person.phone,
            }
            for r in people
        ],
    }
