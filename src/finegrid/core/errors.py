"""Errors that users read: Chinese first, with the English translation beside it.

A service raises :class:`FinegridError` (or :class:`InvalidInput` naming the field or row);
views and the API render it through :func:`bilingual` so every answer carries both languages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.functional import Promise


def bilingual(message: str | Promise) -> dict[str, str]:
    with translation.override("zh-hans"):
        zh = str(message)
    with translation.override("en"):
        en = str(message)
    return {"message": zh, "message_en": en}


@dataclass
class Problem:
    """One thing wrong with the input: which field (or row/feature) and why."""

    message: str | Promise
    field: str | None = None
    row: int | str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = bilingual(self.message)
        if self.field is not None:
            out["field"] = self.field
        if self.row is not None:
            out["row"] = self.row
        return out


class FinegridError(Exception):
    status = 400
    code = "error"

    def __init__(self, message: str | Promise, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, **bilingual(self.message)}
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
        super().__init__(first.message, field=first.field)

    def as_dict(self) -> dict[str, Any]:
        out = super().as_dict()
        out["errors"] = [p.as_dict() for p in self.problems]
        return out
