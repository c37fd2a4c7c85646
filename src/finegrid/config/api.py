"""The JSON API at /api/v1/: one NinjaAPI, routers from the apps, errors in both languages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from finegrid.accounts.api import router as auth_router
from finegrid.cases.api import router as cases_router
from finegrid.cases.api_taxonomy import categories as categories_router
from finegrid.cases.api_taxonomy import departments as departments_router
from finegrid.core.errors import FinegridError, InvalidInput, Problem, bilingual
from finegrid.grids.api import router as grids_router
from finegrid.registry.api import router as registry_router
from finegrid.registry.api_imports import export_router
from finegrid.registry.api_imports import router as imports_router

api = NinjaAPI(
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


@api.get("/ping", auth=None, summary="Liveness: a bare JSON answer (the benchmarks' baseline)")
def ping(request: HttpRequest) -> dict[str, bool]:
    return {"ok": True}


api.add_router("/auth", auth_router)
api.add_router("/grids", grids_router)
# before /registry: its /people/{person_id} would otherwise take "export.xlsx" for an id
api.add_router("/registry/people", export_router)
api.add_router("/registry", registry_router)
api.add_router("/registry/imports", imports_router)
api.add_router("/cases/categories", categories_router)
api.add_router("/cases/departments", departments_router)
api.add_router("/cases", cases_router)
