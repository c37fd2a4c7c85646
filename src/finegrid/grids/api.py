from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from finegrid.accounts.api import API_AUTH
from finegrid.accounts.models import User
from finegrid.core.errors import InvalidInput, NotFound, Problem
from finegrid.core.openapi import FEATURE_COLLECTION_REF, GEOJSON, geojson
from finegrid.core.schemas import Input
from finegrid.grids import selectors, services
from finegrid.grids.models import Grid, Kind, Level, Responsibility
from finegrid.grids.permissions import access_grid_edit, access_staffing, may_staff

router = Router(tags=["grids"], auth=API_AUTH)


class GridRef(Schema):
    code: str
    name: str
    level: str


class LatLng(Schema):
    lat: float
    lng: float


class GridItem(Schema):
    code: str
    name: str
    level: str
    kind: str
    dedicated_type: str
    parent: str | None
    path: list[str]
    center: LatLng | None = Field(None, description="WGS-84, named fields")
    boundary_version: int


class ResponsibleOut(Schema):
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
    responsible: list[ResponsibleOut]
    can_staff: bool


class GridPage(Schema):
    count: int
    items: list[GridItem]


class PlaceOut(Schema):
    kind: str
    name: str
    address: str
    distance_m: float


class LocateOut(Schema):
    micro_grid: GridRef
    path: list[GridRef]
    place: PlaceOut | None


class GridFilters(Input):
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
        # named fields, as every other JSON answer (GeoJSON alone orders them [lng, lat])
        "center": {"lat": g.center_lat, "lng": g.center_lng} if g.center_lat is not None else None,
        "boundary_version": g.boundary_version,
    }


@router.get(
    "",
    response=GridPage,
    summary="List grids in your jurisdiction",
    description=(
        "The grids under your posts (every grid for a superuser), street first in path order, "
        "filtered by `level`, `kind` and `parent` (a grid code: its children only); `limit` 1–1000 "
        "(100 by default) from `offset`. Any role with a jurisdiction, auditors and departments "
        "included; a resident or merchant gets an empty list. A limit out of range, a negative "
        "offset or an unknown level or kind answers 422."
    ),
)
def grid_list(request: HttpRequest, filters: Query[GridFilters]) -> dict[str, Any]:
    if not 1 <= filters.limit <= 1000:
        raise InvalidInput(Problem(_("limit must be between 1 and 1000."), field="limit"))
    if filters.offset < 0:
        raise InvalidInput(Problem(_("offset must not be negative."), field="offset"))
    qs = selectors.grid_list(
        user=request.user, level=filters.level, kind=filters.kind, parent=filters.parent
    )
    page = qs.select_related("parent")[filters.offset : filters.offset + filters.limit]
    return {"count": qs.count(), "items": [_item(g) for g in page]}


@router.get(
    "/locate",
    response=LocateOut,
    auth=None,
    summary="Which micro-grid holds a point, and the nearest named place in it",
    description=(
        "No login needed (the reporting page and Open311 clients use it): the micro-grid that "
        "holds a WGS-84 point, the grids above it street first, and the nearest building or estate "
        "within 500 m to tell a reporter where they are (a household's address only if you may see "
        "that micro-grid). A point outside every grid answers 404 naming `lat`; `lat` outside ±90 "
        "or `lng` outside ±180 answers 422."
    ),
)
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
    near = selectors.nearest_place(
        user=request.user, micro_id=hit.id, micro_path=hit.path, lat=lat, lng=lng
    )
    place = None
    if near is not None:
        place = {**near.__dict__, "distance_m": round(near.distance_m, 1)}
    return {"micro_grid": refs[-1], "path": refs, "place": place}


@router.get(
    "/layer",
    summary="Grids of one level as GeoJSON, simplified for a zoom",
    description=(
        "The map layer: the grids of `level` in your jurisdiction (under `parent`, a grid code, if "
        "given) as a FeatureCollection whose outlines are simplified for the map's `zoom` (14 by "
        "default), each feature with its code as id, its household count and its centre as [lng, "
        "lat]. `crs=gcj02` shifts the coordinates for Chinese base maps (wgs84 by default). Cached "
        "for five minutes per jurisdiction. Any role with a jurisdiction; an unknown level or crs "
        "answers 422."
    ),
    openapi_extra=geojson("The grids of the level, simplified. 简化后的网格图层。"),
)
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
    return JsonResponse(data, content_type=GEOJSON)


@router.get(
    "/export",
    summary="Export a level as a GeoJSON FeatureCollection",
    description=(
        "A file download of every grid of `level` in your jurisdiction (under `parent` if given), "
        "with full outlines and flat properties (code, name, level, parent, kind, dedicated_type, "
        "version) that `POST /grids/import` and QGIS read back as they are. Any role with a "
        "jurisdiction; an unknown level answers 422."
    ),
    openapi_extra=geojson(
        "The grids of the level, full outlines. 网格边界导出。", filename="grids-{level}.geojson"
    ),
)
def grid_export(request: HttpRequest, level: Level, parent: str | None = None) -> HttpResponse:
    data = selectors.grids_export(user=request.user, level=level, parent=parent)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False}, content_type=GEOJSON)
    response["Content-Disposition"] = f'attachment; filename="grids-{level}.geojson"'
    return response


class GridImportOut(Schema):
    created: int
    updated: int


@router.post(
    "/import",
    response=GridImportOut,
    summary="Import a level from a GeoJSON FeatureCollection",
    description=(
        "The body is a FeatureCollection (as `GET /grids/export` writes it): each feature's `code` "
        "creates a grid or redraws the one of that code, under its `parent` (stored, or earlier in "
        "the file). With `level`, every feature must be of that level. All or nothing: every "
        "problem of every feature (a parent not one level up, an outline outside its parent, a "
        "duplicate code, a missing or bad geometry) is answered together in one 422, each naming "
        "its feature in `row`, and nothing is written. Street leaders and officials (and "
        "administrators) only, 403 for others; a feature that is neither a grid of your "
        "jurisdiction nor under one answers 403. A body that is not JSON answers 422."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                GEOJSON: {"schema": FEATURE_COLLECTION_REF},
                "application/json": {"schema": FEATURE_COLLECTION_REF},
            },
        }
    },
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


@router.get(
    "/{code}",
    response=GridDetail,
    summary="One grid with its boundary and people",
    description=(
        "A grid in your jurisdiction: its outline (GeoJSON geometry, WGS-84), bbox and area, the "
        "grids above it, how many children of each level and how many households it has, the "
        "people currently answering for it with their phones, and `can_staff` (whether you may "
        "assign its duties). Any role with a jurisdiction; a grid outside it answers 404 like a "
        "missing code."
    ),
)
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
        "can_staff": may_staff(request.user, grid.path),
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


# --- staffing (五级责任体系) ------------------------------------------------------------------


class UserRef(Schema):
    username: str
    name: str
    phone: str


class ResponsibilityOut(Schema):
    id: int
    duty: str
    duty_label: str
    grid: str | None
    target: str = Field(description='"" for the grid itself, "estate:3" or "building:12"')
    person: UserRef
    current: bool
    started_at: dt.datetime
    ended_at: dt.datetime | None
    end_reason: str
    assigned_by: UserRef | None
    ended_by: UserRef | None


class ResponsibilityIn(Input):
    duty: str = Field(description="e.g. micro_worker, grid_head, safety_head")
    person: str = Field(max_length=150, description="username of a person in your jurisdiction")
    replace: int | None = Field(None, description="id of the current holder this one replaces")
    reason: str = Field("", max_length=200, description="why the holder replaced leaves")
    target: str = Field(
        "",
        max_length=40,
        description='an estate or building of the grid: "estate:3", "building:12"',
    )


class DutyEndIn(Input):
    reason: str = Field(max_length=200)


PLACES = ("estate", "building", "household")


def _user_ref(u: Any) -> dict[str, str] | None:
    if u is None:
        return None
    return {"username": u.username, "name": str(u), "phone": u.phone}


def _responsibility(r: Responsibility, code: str | None) -> dict[str, Any]:
    return {
        "id": r.pk,
        "duty": r.duty,
        "duty_label": str(r.get_duty_display()),
        "grid": code,
        "target": next(
            (f"{k}:{getattr(r, k + '_id')}" for k in PLACES if getattr(r, k + "_id")), ""
        ),
        "person": _user_ref(r.person),
        "current": r.ended_at is None,
        "started_at": r.started_at,
        "ended_at": r.ended_at,
        "end_reason": r.end_reason,
        "assigned_by": _user_ref(r.assigned_by) if r.assigned_by_id else None,
        "ended_by": _user_ref(r.ended_by) if r.ended_by_id else None,
    }


@router.get(
    "/{code}/responsibilities",
    response=list[ResponsibilityOut],
    summary="Who holds the grid's duties (with ?history=1, who held them before)",
    description=(
        "The duties (五级责任体系) held at a grid and at the estates and buildings of a leaf grid: "
        "who, since when, assigned by whom; with `history=true` also the ended ones, with who "
        "ended them and why. Anyone whose jurisdiction covers the grid may read them; a grid "
        "outside it answers 404."
    ),
)
def responsibility_list(request: HttpRequest, code: str, history: bool = False) -> list[Any]:
    grid, rows = selectors.staffing_of(user=request.user, code=code)
    _places, at_places = selectors.place_staffing(grid=grid)
    return [
        _responsibility(r, grid.code) for r in [*rows, *at_places] if history or r.ended_at is None
    ]


@router.post(
    "/{code}/responsibilities",
    response={201: ResponsibilityOut},
    summary="Assign a duty at the grid, or replace its holder",
    description=(
        "Gives `person` (a username: someone placed in a grid you staff, or on the staff of a grid "
        "above this one) `duty` at the grid or, with `target`, at one of its estates or buildings; "
        "with `replace` (the id of the current holder) the holder's duty ends, with `reason`, at "
        "the same instant. A duty's grid role follows it. Street and community officials, each for "
        "the grids below their own post: 403 at the grid of one's own post (it is staffed from "
        "above), 404 outside one's jurisdiction. 422 for an unknown duty or target, a person you "
        "may not assign, a disabled account, someone already holding the duty here, a "
        "single-holder duty already held (replace its holder instead) or a `replace` that is not a "
        "holder of that duty here."
    ),
)
def responsibility_create(
    request: HttpRequest, code: str, payload: ResponsibilityIn
) -> tuple[int, dict[str, Any]]:
    grid = selectors.grid_get(user=request.user, code=code)
    access_staffing(request.user, grid.path)
    target = selectors.staffing_target(grid=grid, key=payload.target)
    person = selectors.assignable_person(user=request.user, path=grid.path, username=payload.person)
    if payload.replace is None:
        r = services.responsibility_assign(
            person=person,
            duty=payload.duty,
            actor=request.user,
            request=request,
            **{type(target).__name__.lower(): target},
        )
    else:
        old = selectors.responsibility_get(user=request.user, pk=payload.replace)
        if old.grid_path != grid.path or old.duty != payload.duty:
            raise InvalidInput(
                Problem(_("This is not a holder of that duty at this grid."), field="replace")
            )
        r = services.responsibility_replace(
            responsibility=old,
            person=person,
            actor=request.user,
            reason=payload.reason,
            request=request,
        )
    return 201, _responsibility(r, grid.code)


responsibility_router = Router(tags=["grids"], auth=API_AUTH)


@responsibility_router.post(
    "/{int:responsibility_id}/end",
    response=ResponsibilityOut,
    summary="End a duty, with a reason",
    description=(
        "Ends a current duty now, with a `reason` (required, at most 200 characters); the row "
        "stays as history and the holder loses the grid role that came with it unless another of "
        "their duties keeps it. Street and community officials below their own post: 403 for a "
        "duty they may see but not staff, 404 outside their jurisdiction; a duty already ended "
        "answers 422."
    ),
)
def responsibility_end(request: HttpRequest, responsibility_id: int, payload: DutyEndIn) -> Any:
    r = selectors.responsibility_get(user=request.user, pk=responsibility_id)
    access_staffing(request.user, r.grid_path)
    r = services.responsibility_end(
        responsibility=r, actor=request.user, reason=payload.reason, request=request
    )
    return _responsibility(r, r.grid.code if r.grid else None)
