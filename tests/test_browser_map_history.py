"""The map's drill-down level lives in the URL: Back, Forward, reload and a shared link work."""

from __future__ import annotations

from typing import Any

from finegrid.grids.models import Grid, Kind, Level
from tests.test_browser import _login, _page, browser, street  # noqa: F401 (fixtures)


def _level(page: Any, code: str) -> None:
    page.wait_for_selector(f'#map[data-parent="{code}"]')
    page.wait_for_selector(f'path.grid-poly[data-code]:not([data-code="{code}"])')


def test_back_and_forward_walk_the_drill_down(
    browser: Any,  # noqa: F811
    live_server: Any,
    street: None,  # noqa: F811
) -> None:
    page, errors = _page(browser)
    base = live_server.url
    _login(page, base, "leader")
    top = Grid.objects.get(level=Level.STREET)
    community = Grid.objects.filter(level=Level.COMMUNITY).order_by("code").first()
    grid = Grid.objects.filter(parent=community, kind=Kind.REGULAR).order_by("code").first()
    assert community is not None and grid is not None
    # one root: the street opens at once, and the URL says so
    _level(page, top.code)
    page.wait_for_url(f"{base}/map/?grid={top.code}")

    page.locator(f'path.grid-poly[data-code="{community.code}"]').click()
    _level(page, community.code)
    assert page.url == f"{base}/map/?grid={community.code}"
    page.locator(f'path.grid-poly[data-code="{grid.code}"]').click()
    _level(page, grid.code)
    assert page.url == f"{base}/map/?grid={grid.code}"

    page.go_back()
    _level(page, community.code)
    assert page.url == f"{base}/map/?grid={community.code}"
    page.wait_for_selector(f'#grid-card[data-code="{community.code}"]')
    assert page.locator(f'path.grid-poly[data-code="{grid.code}"]').count() == 1
    page.go_forward()
    _level(page, grid.code)
    assert grid.name in page.inner_text("#grid-crumbs")
    page.go_back()
    page.go_back()
    _level(page, top.code)
    assert errors == []


def test_a_deep_link_opens_at_its_level_and_survives_a_reload(
    browser: Any,  # noqa: F811
    live_server: Any,
    street: None,  # noqa: F811
) -> None:
    page, errors = _page(browser)
    base = live_server.url
    _login(page, base, "leader")
    grid = Grid.objects.filter(level=Level.GRID, kind=Kind.REGULAR).order_by("code").first()
    assert grid is not None and grid.parent is not None
    micro = Grid.objects.filter(parent=grid).order_by("code").first()
    assert micro is not None

    page.goto(f"{base}/map/?grid={grid.code}")
    _level(page, grid.code)
    crumbs = page.inner_text("#grid-crumbs")
    assert grid.parent.name in crumbs and grid.name in crumbs
    n = page.locator("path.grid-poly").count()
    assert n == Grid.objects.filter(parent=grid).count()
    page.reload()
    _level(page, grid.code)
    assert page.locator("path.grid-poly").count() == n

    # a micro-grid has no level below: it opens selected in its grid's level
    page.goto(f"{base}/map/?grid={micro.code}")
    _level(page, grid.code)
    page.wait_for_selector(f'#grid-card[data-code="{micro.code}"]')
    assert errors == []
