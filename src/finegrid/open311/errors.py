"""Open311 errors: an HTTP status and a list of (code, description), as the spec has them.

The spec asks for 404 for a resource that does not exist, 403 for a missing or wrong api_key and
400 for anything else; each description names the parameter at fault.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.functional import Promise

from finegrid.open311 import formats


@dataclass(frozen=True)
class Fault:
    message: str | Promise
    params: dict[str, Any] | None = None

    def text(self) -> str:
        """In the active language; ``params`` applied after translating (see core.errors)."""
        return str(self.message) % self.params if self.params else str(self.message)


class Open311Error(Exception):
    def __init__(self, status: int, faults: list[Fault] | Fault) -> None:
        self.status = status
        self.faults = faults if isinstance(faults, list) else [faults]
        super().__init__(self.faults[0].text())

    def as_list(self) -> list[dict[str, Any]]:
        return [{"code": self.status, "description": f.text()} for f in self.faults]


def bad_request(message: str | Promise, **params: Any) -> Open311Error:
    return Open311Error(400, Fault(message, params or None))


def not_found(message: str | Promise, **params: Any) -> Open311Error:
    return Open311Error(404, Fault(message, params or None))


def forbidden(message: str | Promise, **params: Any) -> Open311Error:
    return Open311Error(403, Fault(message, params or None))


def error_answer(
    request: HttpRequest, status: int, code: str, message: str | Promise
) -> HttpResponse:
    """The spec's error list, in the format the address asks for (JSON unless it ends .xml)."""
    fmt = "xml" if request.path.endswith(".xml") else "json"
    return formats.render(
        fmt, "errors", [{"code": status, "description": str(message)}], status=status
    )
