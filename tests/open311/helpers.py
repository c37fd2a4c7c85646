from __future__ import annotations

import json
import xml.etree.ElementTree as ET  # noqa: S405 - parsing our own answers in tests
from typing import Any

from django.test import Client

from finegrid.grids.models import Grid
from finegrid.open311 import services

BASE = "/open311/v2/"
# inside M1 (lng 104.00–104.01, lat 30.00–30.02): C1 › G1 › M1
IN_M1 = {"lat": "30.01", "long": "104.005"}
# inside M3: C2 › G2 › M3
IN_M3 = {"lat": "30.01", "long": "104.03"}


def key_for(grid: Grid, name: str = "微信小程序") -> str:
    _key, raw = services.api_key_create(name=name, grid=grid)
    return raw


def post(client: Client, fmt: str = "json", headers: dict[str, str] | None = None, **data: Any):
    return client.post(
        f"{BASE}requests.{fmt}",
        data=data,
        headers=headers or {},
    )


def report_data(raw_key: str, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "api_key": raw_key,
        "service_code": "sanitation",
        "description": "楼下垃圾三天没人清运",
        **IN_M1,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def xml_of(response: Any) -> ET.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)  # noqa: S314 - our own answer


def json_of(response: Any) -> Any:
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def errors_of(response: Any) -> list[str]:
    """The descriptions of a JSON or XML error answer, checking its form on the way."""
    if response["Content-Type"].startswith("text/xml"):
        root = xml_of(response)
        assert root.tag == "errors"
        pairs = [(e.findtext("code"), e.findtext("description") or "") for e in root]
        assert all(code == str(response.status_code) for code, _ in pairs)
        return [d for _, d in pairs]
    body = json_of(response)
    assert isinstance(body, list) and body
    assert all(e["code"] == response.status_code for e in body)
    return [e["description"] for e in body]
