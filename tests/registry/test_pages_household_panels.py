"""The household page shows the family's real cases (through the cases app's panel) and keeps a
slot for visits; the registry itself never imports cases."""

from __future__ import annotations

import ast
import pathlib
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import finegrid.registry
from tests.cases.helpers import report
from tests.conftest import client_for
from tests.registry.helpers import home_in, register


def _page(client: Any, home: Any) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/registry/households/{home.pk}/")
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_the_household_page_lists_its_own_cases(net: Any, leader: Any, worker: Any) -> None:
    home = home_in(net.m1, "锦丰1栋101")
    register(leader, home, "张三")
    ours = report(worker, household_id=home.pk, now=timezone.now())
    theirs = report(worker, household_id=home_in(net.m1, "锦丰1栋102").pk, now=timezone.now())
    body, _n = _page(client_for(worker), home)
    assert 'id="panel-cases"' in body
    assert f'data-number="{ours.number}"' in body and f'href="/cases/{ours.pk}/"' in body
    assert theirs.number not in body
    assert "本户的事件将在后续版本中显示于此" not in body


def test_without_cases_or_visits_it_says_so(net: Any, worker: Any) -> None:
    body, _n = _page(client_for(worker), home_in(net.m1))
    assert "本户暂无上报的事件。" in body
    assert 'id="panel-visits"' in body and "暂无走访记录。" in body
    assert body.index('id="panel-cases"') < body.index('id="panel-visits"')


def test_the_panel_costs_the_same_queries_for_one_case_or_many(
    net: Any, leader: Any, worker: Any
) -> None:
    home = home_in(net.m1)
    register(leader, home, "张三")
    report(worker, household_id=home.pk, now=timezone.now())
    client = client_for(worker)
    _body, few = _page(client, home)
    for _ in range(12):
        report(worker, household_id=home.pk, now=timezone.now())
    body, many = _page(client, home)
    assert body.count("data-number=") == 10
    assert "共 13 件事件，此处显示最新的。" in body
    assert many == few + 1  # the total is counted only when the panel shows part of it


def test_a_neighbouring_grid_is_refused(net: Any, leader: Any, worker: Any, neighbour: Any) -> None:
    home = home_in(net.m1)
    case = report(worker, household_id=home.pk, now=timezone.now())
    response = client_for(neighbour).get(f"/registry/households/{home.pk}/")
    assert response.status_code == 404
    assert case.number not in response.content.decode()


def test_the_registry_does_not_import_cases() -> None:
    folder = pathlib.Path(finegrid.registry.__file__).parent
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith("finegrid.cases"), path
