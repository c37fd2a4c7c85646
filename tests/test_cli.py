from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from finegrid.core.management.commands.serve import parse_addr
from finegrid.grids.models import Grid, GridBoundary
from tests.conftest import Net, box


def test_demo_without_serving_seeds_once_and_prints_the_logins(db: None) -> None:
    out = io.StringIO()
    call_command("demo", scale="small", no_serve=True, stdout=out)
    text = out.getvalue()
    for login in ("leader", "official", "gridhead", "worker", "dept", "resident"):
        assert f"  {login} " in text
    assert "finegrid-demo" in text
    count = Grid.objects.count()
    call_command("demo", scale="small", no_serve=True, stdout=io.StringIO())
    assert Grid.objects.count() == count  # not seeded twice


def test_demo_tells_when_the_logins_no_longer_have_the_printed_password(
    db: None, settings: Any
) -> None:
    from finegrid.accounts.models import User

    call_command("demo", scale="small", no_serve=True, stdout=io.StringIO())
    leader = User.objects.get(username="leader")
    assert leader.check_password("finegrid-demo")
    settings.DEMO_PASSWORD = "another-password"  # set after the street was seeded
    out = io.StringIO()
    call_command("demo", scale="small", no_serve=True, stdout=out)
    assert "密码已不是 another-password" in out.getvalue()
    assert "the password is no longer another-password" in out.getvalue()
    assert User.objects.get(username="leader").check_password("finegrid-demo")  # unchanged


@pytest.mark.parametrize("addr", ["8000", "localhost:", "host:99999", ":80"])
def test_a_bad_address_is_refused(addr: str) -> None:
    with pytest.raises(CommandError, match="HOST:PORT"):
        parse_addr(addr)


def test_export_and_import_through_files(net: Net, tmp_path: Path) -> None:
    target = tmp_path / "micro.geojson"
    call_command("grids_export", level="micro", output=str(target), stderr=io.StringIO())
    data = json.loads(target.read_text(encoding="utf-8"))
    assert [f["properties"]["code"] for f in data["features"]] == ["M1", "M2", "M3"]
    data["features"][2]["geometry"] = box(104.02, 30.0, 104.03, 30.02)
    target.write_text(json.dumps(data), encoding="utf-8")
    out = io.StringIO()
    call_command("grids_import", str(target), level="micro", stdout=out)
    assert "updated 3" in out.getvalue()
    assert GridBoundary.objects.filter(grid__code="M3").count() == 2


def test_a_bad_import_file_names_the_feature_and_writes_nothing(net: Net, tmp_path: Path) -> None:
    target = tmp_path / "bad.geojson"
    feature = {
        "type": "Feature",
        "properties": {"code": "M9", "name": "越界", "parent": "G1"},
        "geometry": box(104.03, 30.0, 104.04, 30.01),
    }
    target.write_text(
        json.dumps({"type": "FeatureCollection", "features": [feature]}), encoding="utf-8"
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing written"):
        call_command("grids_import", str(target), level="micro", stderr=err)
    assert "feature 1 geometry" in err.getvalue()
    assert not Grid.objects.filter(code="M9").exists()
