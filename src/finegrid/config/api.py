"""The JSON API at /api/v1/: one NinjaAPI, routers from the apps, errors in both languages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from finegrid.accounts.api import API_AUTH
from finegrid.accounts.api import router as auth_router
from finegrid.care.api import router as care_router
from finegrid.cases.api import router as cases_router
from finegrid.cases.api_taxonomy import categories as categories_router
from finegrid.cases.api_taxonomy import departments as departments_router
from finegrid.core import text
from finegrid.core.errors import FinegridError, InvalidInput, NotFound, Problem, bilingual
from finegrid.core.openapi import FinegridAPI
from finegrid.core.schemas import Input
from finegrid.core.services import write_probe_create
from finegrid.grids.api import responsibility_router
from finegrid.grids.api import router as grids_router
from finegrid.notifications.api import router as notifications_router
from finegrid.participation.api import points_router
from finegrid.participation.api import router as participation_router
from finegrid.registry.api import router as registry_router
from finegrid.registry.api_imports import export_router
from finegrid.registry.api_imports import router as imports_router
from finegrid.workforce.api import router as workforce_router

api = FinegridAPI(
    title="finegrid 微网实格 API",
    version="1",
    description="网格、地点与辖区 · Grids, places and jurisdiction.",
    urls_namespace="api",
)


@api.exception_handler(FinegridError)
def finegrid_error(request: HttpRequest, exc: FinegridError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


def _field_of(loc: list[Any]) -> str:
    # ninja locations look like ["query", "lat"] or ["body", "payload", "name"]
    parts = [str(p) for p in loc if p not in ("query", "body", "path", "form", "payload")]
    return ".".join(parts) or "body"


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    problems = []
    for err in exc.errors:
        field = _field_of(list(err.get("loc", [])))
        kind = err.get("type", "")
        params = {"field": field, "detail": err.get("msg", "")}
        if kind == "missing":
            msg = _("This field is required: %(field)s.")
        elif kind == "string_too_long":
            params["max"] = (err.get("ctx") or {}).get("max_length", "")
            msg = _("%(field)s may have at most %(max)s characters.")
        elif kind in ("control_character", "line_break"):
            params.update(err.get("ctx") or {})
            msg = text.LINE_MESSAGE if kind == "line_break" else text.CONTROL_MESSAGE
        elif "float" in kind or "int" in kind or "number" in kind:
            msg = _("%(field)s must be a number.")
        else:
            msg = _("%(field)s is not valid: %(detail)s")
        problems.append(Problem(msg, field=field, params=params))
    return finegrid_error(request, InvalidInput(problems))


@api.exception_handler(AuthenticationError)
def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    body = {"code": "unauthorized", **bilingual(_("Log in or send a valid API token."))}
    return api.create_response(request, body, status=401)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja raises these itself, in English only; the one a client meets is an unreadable body
    if exc.status_code == 400:
        body = {"code": "bad_request", "field": "body"}
        body.update(bilingual(_("The request body could not be read: send valid JSON.")))
    else:
        body = {"code": "error", **bilingual(str(exc))}
    return api.create_response(request, body, status=exc.status_code)


PING_ANSWER = {
    "description": "The server answers.",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"ok": {"const": True}},
                "required": ["ok"],
            }
        }
    },
}


@api.get(
    "/ping",
    auth=None,
    summary="Liveness: a bare JSON answer (the benchmarks' baseline)",
    description=(
        'No login: answers `{"ok": true}` as long as the process serves. For load balancers and '
        "uptime checks, and the floor the benchmarks measure every other answer against. The "
        "answer is not validated by a schema, to keep that floor bare."
    ),
    # documented here rather than as a response schema, which ninja would validate on every call
    openapi_extra={"responses": {200: PING_ANSWER}},
)
def ping(request: HttpRequest) -> dict[str, bool]:
    return {"ok": True}


class ProbeIn(Input):
    note: str = Field(..., min_length=1, max_length=200)


class ProbeOut(Schema):
    id: int


@api.post(
    "/diagnostics/write",
    response={201: ProbeOut},
    auth=API_AUTH,
    summary="Diagnostic: one durable write (the case-creation benchmark's baseline)",
    description=(
        "Off unless the server runs with FINEGRID_DIAGNOSTICS=1 (then 404). Authenticates as the "
        "case API does, validates a small JSON body and inserts one row in one durable "
        "transaction: the least any confirmed write costs on this server."
    ),
)
def diagnostics_write(request: HttpRequest, payload: ProbeIn) -> tuple[int, dict[str, int]]:
    if not settings.DIAGNOSTICS:
        raise NotFound(_("The diagnostic endpoints are switched off (FINEGRID_DIAGNOSTICS)."))
    probe = write_probe_create(user=request.user, note=payload.note)
    return 201, {"id": probe.pk}


api.add_router("/auth", auth_router)
api.add_router("/grids", grids_router)
api.add_router("/responsibilities", responsibility_router)
# before /registry: its /people/{person_id} would otherwise take "export.xlsx" for an id
api.add_router("/registry/people", export_router)
api.add_router("/registry", registry_router)
api.add_router("/registry/imports", imports_router)
api.add_router("/cases/categories", categories_router)
api.add_router("/cases/departments", departments_router)
api.add_router("/cases", cases_router)
api.add_router("/notifications", notifications_router)
api.add_router("/workforce", workforce_router)
api.add_router("/care", care_router)
api.add_router("/participation", participation_router)
api.add_router("/points", points_router)
