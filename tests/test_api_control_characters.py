"""Every text field of every JSON body in the API refuses control characters, naming the field.

The operations and their fields are read from the OpenAPI document, so an endpoint added later is
fuzzed too. Each refused character is put into each string in turn; the answer must be a 422
naming that field, and nothing may be written.
"""

from __future__ import annotations

import json
from typing import Any

from django.apps import apps
from django.utils import timezone

from finegrid.accounts.models import User
from finegrid.cases.models import Case
from finegrid.registry.models import Person
from tests.cases.helpers import report
from tests.conftest import Net, client_for
from tests.registry.helpers import home_in, register

# refused in every text field, long or not: C0 controls, DEL, C1 controls, a lone surrogate and
# a noncharacter
ANYWHERE = ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9b", "\ud800", "\ufffe"]
# refused where the field takes one line only
ONE_LINE = ["\n", "\t", "\r", "\u2028"]


def _resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    for key in ("anyOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            return {**_resolve(doc, options[0]), **{k: v for k, v in schema.items() if k != key}}
    return schema


def _sample(doc: dict[str, Any], schema: dict[str, Any]) -> Any:
    """A value of the right type, so that only the injected character can be refused."""
    schema = _resolve(doc, schema)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "string":
        return {"date": "2026-01-01", "date-time": "2026-01-01T00:00:00Z"}.get(
            schema.get("format", ""), "x"
        )
    if kind == "object":
        props = schema.get("properties", {})
        return {n: _sample(doc, props[n]) for n in schema.get("required", [])}
    return {"integer": 1, "number": 30.01, "boolean": False, "array": []}[kind]


def _text_fields(doc: dict[str, Any], body: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """(name, shape, multiline) of each property that holds text: a string, a list of strings
    or a free object."""
    out = []
    for name, prop in _resolve(doc, body).get("properties", {}).items():
        prop = _resolve(doc, prop)
        if "enum" in prop or prop.get("format") in ("date", "date-time"):
            continue
        if prop.get("type") == "string":
            out.append((name, "str", bool(prop.get("x-multiline"))))
        elif prop.get("type") == "array" and _resolve(doc, prop["items"]).get("type") == "string":
            out.append((name, "list", False))
        elif prop.get("type") == "object" and not prop.get("properties"):
            out.append((name, "dict", False))
    return out


def _operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    out = []
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            content = (op.get("requestBody") or {}).get("content", {})
            if "application/json" in content:
                out.append((method, path, op, content["application/json"]["schema"]))
    return out


def _counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def _url(path: str, op: dict[str, Any], ids: dict[str, Any]) -> str:
    for param in op.get("parameters", []):
        if param["in"] == "path":
            name = param["name"]
            path = path.replace("{" + name + "}", str(ids.get(name, 1)))
    return path


def test_every_text_field_of_every_json_body_refuses_control_characters(
    net: Net, leader: User, worker: User, settings: Any
) -> None:
    settings.DIAGNOSTICS = True  # the benchmark's write endpoint is fuzzed too
    person = register(leader, home_in(net.m1), notes="原有备注")
    case = report(worker, now=timezone.now())
    ids = {"person_id": person.pk, "case_id": case.pk}
    client = client_for(leader)
    doc = client.get("/api/v1/openapi.json").json()
    operations = _operations(doc)
    assert len(operations) >= 25  # the whole API, not an empty walk
    before, tried = _counts(), 0
    for method, path, op, body_schema in operations:
        url = _url(path, op, ids)
        for name, shape, multiline in _text_fields(doc, body_schema):
            for char in ANYWHERE + ([] if multiline else ONE_LINE):
                body = _sample(doc, body_schema)
                bad = "甲" + char + "乙"
                body[name] = {"str": bad, "list": [bad], "dict": {"note": bad}}[shape]
                r = getattr(client, method)(url, json.dumps(body), content_type="application/json")
                where = f"{method.upper()} {path} {name} U+{ord(char):04X}"
                assert r.status_code == 422, (where, r.status_code, r.content[:300])
                answer = r.json()
                assert answer["field"] == name, where
                assert {e["field"] for e in answer["errors"]} == {name}, where
                assert answer["message_en"].startswith(name), where
                if char != "\ud800":  # pydantic may refuse it first, as not a string at all
                    assert f"U+{ord(char):04X}" in answer["message_en"], where
                    assert ("控制字符" in answer["message"]) or ("一行" in answer["message"]), where
                tried += 1
    assert tried > 300
    assert _counts() == before
    person.refresh_from_db()
    assert person.notes == "原有备注"
    assert Case.objects.get().updated_at == case.updated_at


def test_the_message_names_the_character_and_its_place_in_both_languages(
    net: Net, leader: User
) -> None:
    home = home_in(net.m1)
    r = client_for(leader).post(
        "/api/v1/registry/people",
        {"name": "张\x07三", "household_id": home.pk},
        content_type="application/json",
    )
    assert r.status_code == 422
    body = r.json()
    assert body["field"] == "name"
    assert body["message"] == "name 含有无法保存的控制字符（第 2 个字符 U+0007），请删除。"
    assert body["message_en"] == (
        "name contains a control character (U+0007 at position 2) that cannot be stored; remove it."
    )
    assert not Person.objects.exists()


def test_long_text_keeps_its_lines_with_line_breaks_made_plain(net: Net, leader: User) -> None:
    home = home_in(net.m1)
    r = client_for(leader).post(
        "/api/v1/registry/people",
        {
            "name": "张三",
            "household_id": home.pk,
            "notes": "第一行\r\n第二行\r第三行\u2028\t第四行",
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["notes"] == "第一行\n第二行\n第三行\n\t第四行"
    assert Person.objects.get().notes == "第一行\n第二行\n第三行\n\t第四行"


def test_a_search_with_a_control_character_is_refused_not_failed(net: Net, leader: User) -> None:
    r = client_for(leader).get("/api/v1/registry/people", {"q": "张\n"})
    assert r.status_code == 422  # a search box takes one line
    assert r.json()["field"] == "q"


def test_every_schema_the_api_reads_checks_its_text() -> None:
    from ninja import Schema

    from finegrid.config.api import api
    from finegrid.core.schemas import Input

    read = set()
    for _prefix, router in api._routers:
        for view in router.path_operations.values():
            for operation in view.operations:
                for model in operation.models:
                    for info in model.model_fields.values():
                        kind = info.annotation
                        if isinstance(kind, type) and issubclass(kind, Schema):
                            read.add(kind)
    assert len(read) > 20
    assert [k.__qualname__ for k in read if not issubclass(k, Input)] == []
