"""The case page shows where the case is: its point inside its micro-grid."""

from __future__ import annotations

import json
import re

from finegrid.accounts.models import User
from tests.cases.helpers import report
from tests.conftest import Net, client_for


def _config(page: str) -> dict[str, object]:
    found = re.search(r'<script id="case-map-config" type="application/json">(.*?)</script>', page)
    assert found is not None
    return json.loads(found.group(1))


def test_the_case_page_maps_the_point_in_its_micro_grid(
    net: Net, worker: User, gridhead: User
) -> None:
    case = report(worker, lat=30.012, lng=104.004)
    page = client_for(gridhead).get(f"/cases/{case.pk}/").content.decode()
    assert 'id="case-map"' in page
    config = _config(page)
    assert config["point"] == [30.012, 104.004]
    outline = config["outline"]["features"]  # type: ignore[index]
    assert [f["properties"]["code"] for f in outline] == ["M1"]


def test_the_neighbouring_grid_still_cannot_open_the_case_page(
    net: Net, worker: User, neighbour: User
) -> None:
    case = report(worker)
    assert client_for(neighbour).get(f"/cases/{case.pk}/").status_code == 404
