"""Errors that users read: Chinese first, with the English translation beside it.

A service raises :class:`FinegridError` (or :class:`InvalidInput` naming the field or row);
views and the API render it through :func:`bilingual` so every answer carries both languages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.functional import Promise


def bilingual(message: str | Promise, params: dict[str, Any] | None = None) -> dict[str, str]:
    """The message in zh-hans and in English. ``params`` are applied after translating: a lazy
    message formatted with ``%`` too early would be frozen in whatever language was active."""
    out = {}
    for key, lang in (("message", "zh-hans"), ("message_en", "en")):
        with translation.override(lang):
            text = str(message)
        out[key] = text % params if params else text
    return out


@dataclass
class Problem:
    """One thing wrong with the input: which field (or row/feature) and why."""

    message: str | Promise
    field: str | None = None
    row: int | str | None = None
    params: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = bilingual(self.message, self.params)
        if self.field is not None:
            out["field"] = self.field
        if self.row is not None:
            out["row"] = self.row
        return out


class FinegridError(Exception):
    status = 400
    code = "error"

    def __init__(
        self,
        message: str | Promise,
        *,
        field: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.params = params

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, **bilingual(self.message, self.params)}
        if self.field is not None:
            out["field"] = self.field
        return out


class NotFound(FinegridError):
    status = 404
    code = "not_found"


class Forbidden(FinegridError):
    status = 403
    code = "forbidden"


class InvalidInput(FinegridError):
    """Refused input; ``problems`` lists each bad field, row or feature. Nothing was written."""

    status = 422
    code = "invalid"

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems = problems if isinstance(problems, list) else [problems]
        first = self.problems[0]
        super().__init__(first.message, field=first.field, params=first.params)

    def as_dict(self) -> dict[str, Any]:
        out = super().as_dict()
        out["errors"] = [p.as_dict() for p in self.problems]
        return out
