"""The OpenAPI document is the contract neighbouring systems build against: one schema per name,
the error body on every 4xx, a description on every operation, every file answered with the
media type it is served as, and a snapshot (docs/openapi.json) that changes only on purpose."""

from __future__ import annotations

import json
import typing
from pathlib import Path
from typing import Any

import pydantic
from django.http.response import HttpResponseBase
from pydantic import BaseModel

from finegrid.accounts.models import User
from finegrid.config.api import api
from tests.conftest import client_for

SNAPSHOT = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"

# Operations of /api/v1/cases and /api/v1/care that have no description yet (or, for a file, no
# media type): their files were being changed by others when the rest were described. The list
# only shrinks: an entry whose operation is described (and typed) must leave it.
NOT_YET_DESCRIBED: frozenset[str] = frozenset()


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


def _doc_operations() -> dict[str, tuple[str, str, dict[str, Any]]]:
    """operationId → (METHOD, path, operation) of the document."""
    doc = api.get_openapi_schema()
    return {
        op["operationId"]: (method.upper(), path, op)
        for path, methods in doc["paths"].items()
        for method, op in methods.items()
    }


def _answers_a_file(op: Any) -> bool:
    """The view writes its own body (a spreadsheet, GeoJSON, an image), which ninja cannot see:
    the operation has to document it."""
    statuses = [status for status in op.response_models if status != 204]
    returned = typing.get_type_hints(op.view_func).get("return")
    own = isinstance(returned, type) and issubclass(returned, HttpResponseBase)
    declared_bare = any(op.response_models[status] is None for status in statuses)
    # a view that writes a JSON body its schema declares (the report's answer, cases/api.py) is
    # held to that schema by its own tests, not a file
    json_with_schema = all(_is_schema(op.response_models[status]) for status in statuses)
    return bool(statuses) and ((own and not json_with_schema) or declared_bare)


def _is_schema(model: Any) -> bool:
    inner = getattr(model, "model_fields", {}).get("response")
    annotation = getattr(inner, "annotation", None)
    return isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel)


def _downloads() -> dict[str, tuple[str, str, dict[str, Any]]]:
    documented = _doc_operations()
    return {
        key: documented[key]
        for op in _operations()
        if _answers_a_file(op)
        and (key := op.operation_id or api.get_openapi_operation_id(op)) in documented
    }


def _key(method: str, path: str) -> str:
    return f"{method} {path}"


def _media_types(op: dict[str, Any]) -> dict[str, Any]:
    return op["responses"].get("200", {}).get("content", {})


def _typed(op: dict[str, Any]) -> bool:
    types = _media_types(op)
    return (
        bool(types)
        and "application/json" not in types
        and all(t.get("schema") for t in types.values())
    )


def test_every_operation_says_what_it_does() -> None:
    missing = [
        _key(method, path)
        for method, path, op in _doc_operations().values()
        if not (op.get("description") or "").strip() and _key(method, path) not in NOT_YET_DESCRIBED
    ]
    assert missing == []


def test_every_answer_with_a_body_documents_it() -> None:
    bare = [
        f"{_key(method, path)} {status}"
        for method, path, op in _doc_operations().values()
        for status, answer in op["responses"].items()
        if status.startswith("2") and status != "204" and not answer.get("content")
        if _key(method, path) not in NOT_YET_DESCRIBED
    ]
    assert bare == []


def test_every_file_documents_the_media_type_it_is_served_as() -> None:
    downloads = _downloads()
    assert len(downloads) >= 6  # the walk found the spreadsheets, the GeoJSON and the photo
    untyped = [_key(method, path) for method, path, op in downloads.values() if not _typed(op)]
    assert [k for k in untyped if k not in NOT_YET_DESCRIBED] == []


def test_the_list_of_operations_not_yet_described_only_shrinks() -> None:
    documented = {_key(m, p): op for m, p, op in _doc_operations().values()}
    files = {_key(m, p) for m, p, _op in _downloads().values()}
    assert all(
        k.split(" ")[1].startswith(("/api/v1/cases", "/api/v1/care")) for k in NOT_YET_DESCRIBED
    )
    gone = sorted(NOT_YET_DESCRIBED - set(documented))
    assert gone == [], "these operations no longer exist: take them off NOT_YET_DESCRIBED"
    done = sorted(
        k
        for k in NOT_YET_DESCRIBED
        if (documented[k].get("description") or "").strip()
        and (k not in files or _typed(documented[k]))
    )
    assert done == [], "described (and typed) now: take them off NOT_YET_DESCRIBED"


def _sample_query(op: dict[str, Any]) -> dict[str, str]:
    """A value for each required query parameter: the first of its choices."""
    query = {}
    for param in op.get("parameters", []):
        if param["in"] == "query" and param.get("required"):
            choices = param["schema"].get("enum")
            assert choices, f"no sample value for {param['name']}"
            query[param["name"]] = choices[0]
    return query


def test_every_file_is_served_as_the_media_type_it_documents(leader: User) -> None:
    client = client_for(leader)
    checked = 0
    for method, path, op in _downloads().values():
        if _key(method, path) in NOT_YET_DESCRIBED or "{" in path:
            continue  # a file of one object (a case photo) is requested by its own app's tests
        response = client.get(path, _sample_query(op))
        assert response.status_code == 200, (path, response.content[:200])
        served = response["Content-Type"].split(";")[0].strip()
        assert served in _media_types(op), path
        headers = op["responses"]["200"].get("headers", {})
        if "Content-Disposition" in headers:
            assert response["Content-Disposition"].startswith("attachment"), path
        checked += 1
    assert checked >= 5
