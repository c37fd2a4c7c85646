"""The OpenAPI document is the contract neighbouring systems build against: one schema per name,
the error body on every 4xx, and a snapshot (docs/openapi.json) that changes only on purpose."""

from __future__ import annotations

import json
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from finegrid.config.api import api

SNAPSHOT = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"


def _models(annotation: Any, seen: dict[str, set[str]], visited: set[type]) -> None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in visited:
            return
        visited.add(annotation)
        if annotation.__module__ != "abc":  # ninja's own wrappers, named per operation
            seen.setdefault(annotation.__name__, set()).add(
                f"{annotation.__module__}.{annotation.__qualname__}"
            )
        for field in annotation.model_fields.values():
            _models(field.annotation, seen, visited)
        return
    for arg in typing.get_args(annotation):
        _models(arg, seen, visited)


def _operations() -> list[Any]:
    api.get_openapi_schema()  # builds the routers, nested ones included, as serving does
    return [
        op
        for _prefix, router in api._routers
        for view in router.path_operations.values()
        for op in view.operations
    ]


def test_no_two_schemas_share_a_name() -> None:
    seen: dict[str, set[str]] = {}
    visited: set[type] = set()
    for op in _operations():
        for model in [*op.models, *op.response_models.values()]:
            _models(model, seen, visited)
    assert len(seen) > 40  # the walk reached the schemas
    clashes = {name: classes for name, classes in seen.items() if len(classes) > 1}
    assert clashes == {}


def test_every_operation_has_a_summary_and_its_4xx_carry_the_error_body() -> None:
    doc = api.get_openapi_schema()
    assert "Error" in doc["components"]["schemas"]
    for path, methods in doc["paths"].items():
        for method, op in methods.items():
            assert op.get("summary"), f"{method} {path}"
            for status, answer in op["responses"].items():
                if status.startswith("4"):
                    ref = answer["content"]["application/json"]["schema"]["$ref"]
                    assert ref == "#/components/schemas/Error", f"{method} {path} {status}"
            if op.get("security"):
                assert "401" in op["responses"], f"{method} {path}"


def test_the_document_matches_its_snapshot() -> None:
    """Run `python scripts/openapi.py` to accept an intended change of the API."""
    doc = json.loads(json.dumps(api.get_openapi_schema(), ensure_ascii=False, sort_keys=True))
    assert doc == json.loads(SNAPSHOT.read_text())
