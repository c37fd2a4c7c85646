from __future__ import annotations

import io
from typing import Any

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from finegrid.accounts.jurisdiction import is_resident
from finegrid.core.errors import NotFound
from finegrid.grids import selectors
from finegrid.grids.landing import landing_for
from finegrid.grids.models import DedicatedType, Duty, Grid, Kind, Level, Responsibility
from finegrid.grids.permissions import may_staff

# Every word map.js shows, so the script carries no language of its own.
MAP_STRINGS = {
    "levels": dict(Level.choices),
    "dedicated": _("Dedicated grid"),
    "dedicated_types": dict(DedicatedType.choices),
    "overview": _("Overview"),
    "up": _("Up one level"),
    "loading": _("Loading…"),
    "load_error": _("Could not load the map data. Please try again."),
    "code": _("Code"),
    "households": _("Households"),
    "children": {
        "community": _("Communities"),
        "grid": _("Grids"),
        "micro": _("Micro-grids"),
        "dedicated": _("Dedicated grids"),
    },
    "responsible": _("Responsible people"),
    "nobody": _("No one is assigned yet."),
    "board": _("Public board"),
    "staffing": _("Staffing"),
    "in_area": _("In this area"),
    "legend": _("Legend"),
    "path": _("Grid path"),
}

# Every word cases/place.js shows.
PICKER_STRINGS = {
    "finding": _("Finding the place…"),
    "outside": _("This point lies outside every grid: pick another."),
    "failed": _("Could not look the place up. The point is kept; you may send it."),
    "near": _("near %(place)s (about %(metres)s m)"),
}

# The public board's sections, in the order a notice lists them; duties not named here
# fall into the last one.
BOARD_GROUPS = [
    ("branch", _("Grid party branch"), {Duty.PARTY_BRANCH, Duty.COMMUNITY_SECRETARY}),
    (
        "heads",
        _("Grid head and the three heads"),
        {Duty.GRID_HEAD, Duty.PARTY_SERVICE_HEAD, Duty.SAFETY_HEAD, Duty.CIVILITY_HEAD},
    ),
    ("workers", _("Grid workers"), set()),
]


_GROUPED_DUTIES: set[str] = set().union(*(duties for _key, _title, duties in BOARD_GROUPS))


def _board_groups(people: list[Responsibility]) -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = []
    for key, title, duties in BOARD_GROUPS:
        members = [
            r for r in people if (r.duty in duties if duties else r.duty not in _GROUPED_DUTIES)
        ]
        if members:
            groups.append({"key": key, "title": title, "people": members})
    return groups


def home(request: HttpRequest) -> HttpResponse:
    if is_resident(request.user):
        return redirect("residents:home")
    if request.user.is_authenticated:
        elsewhere = landing_for(request.user)
        if elsewhere:
            return redirect(elsewhere)
    return redirect("grids:map")


@login_required
def grid_map(request: HttpRequest) -> HttpResponse:
    roots = selectors.scope_roots(user=request.user)
    config = {
        "roots": [
            {
                "code": g.code,
                "name": g.name,
                "level": g.level,
                "dedicated": g.kind == Kind.DEDICATED,
                "bounds": [[g.min_lat, g.min_lng], [g.max_lat, g.max_lng]]
                if g.min_lat is not None
                else None,
            }
            for g in roots
        ],
        "api": reverse("api:api-root"),
        "board": reverse("grids:board", args=["CODE"]),
        "staffing": reverse("grids:staffing", args=["CODE"]),
        "tile_url": settings.TILE_URL,
        "tile_crs": settings.TILE_CRS,
    }
    return render(
        request, "grids/map.html", {"roots": roots, "strings": MAP_STRINGS, "map_config": config}
    )


def picker_config(*, outline: list[Grid], start: tuple[float, float] | None) -> dict[str, Any]:
    """What the place picker of a report form (cases/place.js) needs: the grids to outline, where
    to start, and the API. Tiles only when they are WGS-84: a point clicked on GCJ-02 tiles
    would be stored some hundred metres off (the picker does not convert back)."""
    features = [
        {
            "type": "Feature",
            "properties": {"code": g.code, "name": g.name},
            "geometry": g.boundary,
        }
        for g in outline
        if g.boundary
    ]
    wgs84 = (settings.TILE_CRS or "wgs84") == "wgs84"
    return {
        "api": reverse("api:api-root"),
        "tile_url": settings.TILE_URL if wgs84 else "",
        "start": list(start) if start else None,
        "outline": {"type": "FeatureCollection", "features": features},
        "strings": PICKER_STRINGS,
    }


def _public_grid(code: str) -> Grid:
    try:
        return selectors.grid_public(code=code)
    except NotFound:
        raise Http404 from None


def board(request: HttpRequest, code: str) -> HttpResponse:
    grid = _public_grid(code)
    context = selectors.board_context(grid)
    context["groups"] = _board_groups(context["people"])
    context["can_staff"] = may_staff(request.user, grid.path)
    return render(request, "grids/board.html", context)


def board_qr(request: HttpRequest, code: str) -> HttpResponse:
    grid = _public_grid(code)
    url = request.build_absolute_uri(reverse("grids:board", args=[grid.code]))
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=4, border=2, title=grid.name)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
