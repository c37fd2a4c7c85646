"""Reads of codes and check-ins: the codes under a grid, a grid head's newest check-ins, my own."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from finegrid.core.paths import under
from finegrid.grids.models import Grid
from finegrid.grids.selectors import grid_get
from finegrid.workforce.models import Checkin, Code, CodeKind
from finegrid.workforce.permissions_codes import access_codes_view

FAR = "far"
TWICE = "twice_far_apart"
FLAG_LABELS = {
    FAR: _("far from the place"),
    TWICE: _("same code scanned from far apart within minutes"),
}


def flag_text(reason: str) -> Any:
    """The reasons a check-in was flagged, in whichever language is active when read."""
    labels = [FLAG_LABELS[r] for r in reason.split() if r in FLAG_LABELS]
    if not labels:
        return ""
    return format_lazy("; ".join("{}" for _ in labels), *labels)


def grid_for_codes(*, user: Any, code: str) -> Grid:
    """The grid named by ``code`` if ``user`` is staff over it; otherwise not found."""
    grid = grid_get(user=user, code=code)
    access_codes_view(user, grid.path)
    return grid


def parse_kinds(raw: str | None) -> list[str]:
    """The kinds a filter names (comma-separated), or all of them; unknown ones are ignored."""
    if not raw:
        return list(CodeKind.values)
    wanted = [k.strip() for k in raw.split(",")]
    return [k for k in CodeKind.values if k in wanted]


def code_list(*, grid: Grid, kinds: list[str]) -> QuerySet[Code]:
    # the print sheet and the API read codes in the order a person walks the grid
    return (
        Code.objects.filter(under("grid_path", grid.path), kind__in=kinds)
        .select_related("grid")
        .order_by("grid_path", "kind", "name", "pk")
    )


def code_get(*, user: Any, pk: int) -> Code:
    from finegrid.core.errors import NotFound

    code = Code.objects.select_related("grid").filter(pk=pk).first()
    if code is None:
        raise NotFound(_no_code(), field="code")
    try:
        access_codes_view(user, code.grid_path)
    except NotFound:
        raise NotFound(_no_code(), field="code") from None
    return code


def _no_code() -> Any:
    from django.utils.translation import gettext_lazy as _

    return _("No such code in your jurisdiction.")


def checkins_under(*, grid: Grid) -> QuerySet[Checkin]:
    """The newest check-ins under a grid, with who and where in the same query."""
    return (
        Checkin.objects.filter(under("grid_path", grid.path))
        .select_related("worker__user", "code", "grid")
        .order_by("-at", "-id")
    )


def checkins_of(*, user: Any) -> QuerySet[Checkin]:
    return (
        Checkin.objects.filter(worker__user=user)
        .select_related("code", "grid")
        .order_by("-at", "-id")
    )
