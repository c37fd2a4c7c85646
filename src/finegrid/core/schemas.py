"""The base of every API input schema (bodies and query filters): text is checked on the way in.

Output schemas stay plain ``ninja.Schema``: refusing to *answer* with a stored value would turn
an old bad row into a 500. A field that takes several lines is typed :data:`LongText`; every
other string (also inside lists and objects) takes one line. See :mod:`finegrid.core.text`.
"""

from __future__ import annotations

import typing
from functools import cache
from typing import Annotated, Any

from ninja import Schema
from pydantic import GetJsonSchemaHandler, ValidationInfo, field_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from finegrid.core import text


class _MultiLine:
    """Marks a str as long text; the OpenAPI document shows it as ``x-multiline: true``."""

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        out = handler(schema)
        out["x-multiline"] = True
        return out


LongText = Annotated[str, _MultiLine()]


def _marked(annotation: Any) -> bool:
    if any(isinstance(m, _MultiLine) for m in getattr(annotation, "__metadata__", ())):
        return True
    return any(_marked(arg) for arg in typing.get_args(annotation))


@cache
def _multiline(model: type[Schema], name: str) -> bool:
    info = model.model_fields[name]
    return _marked(info.annotation) or any(isinstance(m, _MultiLine) for m in info.metadata)


def _check(value: Any, multiline: bool) -> Any:
    if isinstance(value, str):
        found = text.find_refused(value, multiline=multiline)
        if found is not None:
            kind, params = found
            raise PydanticCustomError(kind, "refused character {char} at {position}", params)
        return text.normalize_newlines(value) if multiline else value
    if isinstance(value, list):
        return [_check(v, multiline) for v in value]
    if isinstance(value, dict):
        return {_check(k, False): _check(v, multiline) for k, v in value.items()}
    return value  # numbers, dates, nested schemas (which check themselves)


class Input(Schema):
    @field_validator("*", mode="after")
    @classmethod
    def _refuse_control_characters(cls, value: Any, info: ValidationInfo) -> Any:
        assert info.field_name is not None
        return _check(value, _multiline(cls, info.field_name))
