"""The OpenAPI document tells the truth about errors: every operation answers its 4xx with the
one error body of ``finegrid.core.errors`` (code, message in zh-hans, message_en, the field, and
for refused input every problem), whether or not the view declares it. And about files: an
operation that answers a spreadsheet, a GeoJSON file or an image says so (``download``,
``geojson``), instead of the JSON ninja would assume for a view writing its own response."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI

PROBLEM = {
    "type": "object",
    "properties": {
        "message": {"type": "string", "description": "zh-hans"},
        "message_en": {"type": "string"},
        "field": {"type": "string", "description": "the field, parameter or column at fault"},
        "row": {"type": ["integer", "string"], "description": "the row or feature at fault"},
    },
    "required": ["message", "message_en"],
}
ERROR = {
    "type": "object",
    "description": "Every 4xx answer of this API. 错误说明（中文在 message，英文在 message_en）。",
    "properties": {
        "code": {
            "type": "string",
            "description": "invalid, not_found, forbidden, unauthorized, conflict, …",
        },
        "message": {"type": "string", "description": "zh-hans"},
        "message_en": {"type": "string"},
        "field": {"type": "string"},
        "errors": {"type": "array", "items": {"$ref": "#/components/schemas/Problem"}},
    },
    "required": ["code", "message", "message_en"],
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GEOJSON = "application/geo+json"  # RFC 7946
FEATURE_COLLECTION = {
    "type": "object",
    "description": "A GeoJSON FeatureCollection (RFC 7946): WGS-84, positions [lng, lat].",
    "properties": {
        "type": {"const": "FeatureCollection"},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "type": {"const": "Feature"},
                    "id": {"type": "string", "description": "the grid's code"},
                    "geometry": {"type": ["object", "null"]},
                    "properties": {"type": "object"},
                },
                "required": ["type", "geometry", "properties"],
            },
        },
    },
    "required": ["type", "features"],
}
FEATURE_COLLECTION_REF = {"$ref": "#/components/schemas/FeatureCollection"}
# what each status means for any operation; an operation's own description of a status wins
STATUSES = {
    "401": "Not logged in, or the token is unknown or revoked. 未登录或令牌无效。",
    "403": "Outside your jurisdiction or role. 超出辖区或权限。",
    "404": "Not found (or not yours to see). 不存在或无权查看。",
    "409": "The state of the thing forbids it (already ended, taken, duplicate). 状态冲突。",
    "422": "Refused input: every bad field or row is named. 输入有误，逐项说明。",
}


def download(media_type: str, *, description: str, filename: str = "") -> dict[str, Any]:
    """``openapi_extra`` of an operation answering a file: its media type, a binary body and,
    for an attachment, the name it is saved under (``filename`` may show a pattern:
    ``people-{grid}-{date}.xlsx``); an image shown inline has none."""
    answer: dict[str, Any] = {
        "description": description,
        "content": {media_type: {"schema": {"type": "string", "format": "binary"}}},
    }
    if filename:
        answer["headers"] = _attachment(filename)
    return {"responses": {200: answer}}


def _attachment(filename: str) -> dict[str, Any]:
    return {
        "Content-Disposition": {
            "description": f'attachment; filename="{filename}"',
            "schema": {"type": "string"},
        }
    }


def geojson(description: str, *, filename: str = "") -> dict[str, Any]:
    """``openapi_extra`` of an operation answering GeoJSON: a FeatureCollection, served as
    ``application/geo+json``; with ``filename``, as an attachment of that name."""
    answer: dict[str, Any] = {
        "description": description,
        "content": {GEOJSON: {"schema": FEATURE_COLLECTION_REF}},
    }
    if filename:
        answer["headers"] = _attachment(filename)
    return {"responses": {200: answer}}


def refuses(status: int, description: str) -> dict[str, Any]:
    """``openapi_extra`` naming a refusal the shared rules cannot infer (a 409 of a state, a 401
    of a login form); it is given the error body like every other 4xx."""
    return {"responses": {status: {"description": description}}}


def _statuses(path: str, operation: dict[str, Any]) -> list[str]:
    """The 4xx an operation can answer through the shared handlers, from what it takes."""
    out = []
    if operation.get("security"):
        out += ["401", "403"]
    if "{" in path:
        out.append("404")
    if operation.get("parameters") or operation.get("requestBody"):
        out.append("422")
    return out


def with_error_responses(schema: dict[str, Any]) -> dict[str, Any]:
    """Give every operation's 4xx the error body: those it can answer by what it takes (login,
    a path parameter, input) and those its view declares (409 …)."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = PROBLEM
    components["Error"] = ERROR
    components["FeatureCollection"] = FEATURE_COLLECTION
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, methods in schema.get("paths", {}).items():
        for operation in methods.values():
            responses = operation.setdefault("responses", {})
            # ninja keys declared statuses by int; the document is JSON, so keys are strings
            for key in [k for k in responses if not isinstance(k, str)]:
                responses[str(key)] = responses.pop(key)
            for status in _statuses(path, operation):
                responses.setdefault(status, {"description": STATUSES[status]})
            for status, answer in responses.items():
                if status.startswith("4"):
                    answer["content"] = body
                    if answer.get("description") in ("", None, "Bad Request"):
                        answer["description"] = STATUSES.get(status, "Refused. 请求被拒绝。")
    return schema


class FinegridAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        return with_error_responses(super().get_openapi_schema(**kwargs))
