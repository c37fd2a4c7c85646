"""Import and export are reached from the registry pages, for those who may use them."""

from __future__ import annotations

from typing import Any

from tests.conftest import client_for


def test_the_people_page_links_import_template_and_export(net: Any, official: Any) -> None:
    body = client_for(official).get("/registry/people/", {"grid": "G1"}).content.decode()
    assert 'href="/registry/imports/"' in body
    assert 'href="/registry/imports/template.xlsx"' in body
    assert 'href="/registry/people/export.xlsx?grid=G1"' in body


def test_a_worker_who_may_not_export_sees_no_export_link(net: Any, worker: Any) -> None:
    body = client_for(worker).get("/registry/people/").content.decode()
    assert 'href="/registry/imports/"' in body
    assert 'id="export-link"' not in body
    assert client_for(worker).get("/registry/people/export.xlsx").status_code == 403


def test_the_roster_exports_its_own_grid(net: Any, gridhead: Any) -> None:
    body = client_for(gridhead).get("/registry/grids/M1/roster/").content.decode()
    assert 'href="/registry/people/export.xlsx?grid=M1"' in body
    response = client_for(gridhead).get("/registry/people/export.xlsx?grid=M1")
    assert response.status_code == 200


def test_a_neighbouring_grid_is_refused(net: Any, gridhead: Any) -> None:
    assert client_for(gridhead).get("/registry/grids/M3/roster/").status_code == 404
