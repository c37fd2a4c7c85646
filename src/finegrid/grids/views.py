from __future__ import annotations

import segno
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from finegrid.core.errors import NotFound
from finegrid.grids import selectors


def home(request: HttpRequest) -> HttpResponse:
    return redirect("grids:map")


@login_required
def grid_map(request: HttpRequest) -> HttpResponse:
    roots = selectors.scope_roots(user=request.user)
    return render(request, "grids/map.html", {"roots": roots})


def board(request: HttpRequest, code: str) -> HttpResponse:
    try:
        grid = selectors.grid_public(code=code)
    except NotFound:
        raise Http404 from None
    return render(request, "grids/board.html", selectors.board_context(grid))


def board_qr(request: HttpRequest, code: str) -> HttpResponse:
    try:
        grid = selectors.grid_public(code=code)
    except NotFound:
        raise Http404 from None
    url = request.build_absolute_uri(reverse("grids:board", args=[grid.code]))
    svg = segno.make(url, error="m").svg_inline(scale=4, border=2)
    return HttpResponse(svg, content_type="image/svg+xml")
