"""/api/v1/workforce/duties: the duty lists (一清单) in force at a grid, and the street's import."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile

from finegrid.core.openapi import XLSX, download
from finegrid.core.schemas import Input
from finegrid.grids.selectors import grid_get
from finegrid.workforce import ledger_dutylists, selectors_dutylists, services_dutylists
from finegrid.workforce.models.dutylists import DutyTask

router = Router(tags=["workforce duty lists"])


class DutiesQuery(Input):
    grid: str


class Labelled(Schema):
    code: str
    name: str
    name_en: str


class TaskOut(Schema):
    code: str
    name: str
    name_en: str
    owner_level: str | None
    department: Labelled | None
    categories: list[Labelled]
    owned_here: bool


class ListOut(Schema):
    kind: str
    label: str
    level: str
    issued_by: str
    tasks: list[TaskOut]


class DutiesOut(Schema):
    grid: str
    level: str
    editable: bool
    lists: list[ListOut]


class ImportOut(Schema):
    grid: str
    lists: int
    tasks: int


def _labelled(obj: Any) -> dict[str, str]:
    return {"code": obj.code, "name": obj.name, "name_en": obj.name_en}


def _task(task: DutyTask, level: str) -> dict[str, Any]:
    return {
        "code": task.code,
        "name": task.name,
        "name_en": task.name_en,
        "owner_level": task.owner_level or None,
        "department": _labelled(task.department) if task.department else None,
        "categories": [_labelled(c) for c in task.categories.all()],
        "owned_here": task.owner_level == level,
    }


@router.get(
    "/duties",
    response=DutiesOut,
    summary="The duty lists in force at a grid (一清单): each task with its owner and categories",
    description=(
        "The lists issued by the grid and every grid above it, street first: each task with the "
        "level that owns it (`owned_here` when it is this grid's), the department it goes to and "
        "the case categories it routes; `editable` when you may replace the lists this grid "
        "issues. Any role whose jurisdiction covers the grid; a grid outside it answers 404."
    ),
)
def duties(request: HttpRequest, query: Query[DutiesQuery]) -> Any:
    found = selectors_dutylists.duty_lists_for(user=request.user, code=query.grid)
    grid = found.grid
    return {
        "grid": grid.code,
        "level": grid.level,
        "editable": services_dutylists.may_edit_duty_lists(request.user, grid),
        "lists": [
            {
                "kind": v.duty_list.kind,
                "label": str(v.duty_list.get_kind_display()),
                "level": v.duty_list.level,
                "issued_by": v.duty_list.grid.code,
                "tasks": [_task(t, grid.level) for t in v.tasks],
            }
            for v in found.lists
        ],
    }


@router.get(
    "/duties/template.xlsx",
    summary="The blank duty-list ledger (.xlsx) with the allowed values",
    description=(
        "The spreadsheet `POST /workforce/duties/import` reads: the header, two example rows and a "
        "sheet of the allowed values (levels, departments, categories). Any logged-in user; it "
        "holds no data."
    ),
    response={200: None},
    openapi_extra=download(
        XLSX, filename="duty-lists-template.xlsx", description="The blank ledger. 空白清单台账。"
    ),
)
def duties_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(ledger_dutylists.template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="duty-lists-template.xlsx"'
    return response


@router.post(
    "/duties/import",
    response={201: ImportOut},
    summary="Replace the duty lists a street or community issues, from an .xlsx ledger",
    description=(
        "Multipart: `grid` (the code of the street or community issuing the lists) and `file`. All "
        "or nothing: any bad row is reported with its row and column, and nothing is written. "
        "Street officials only."
    ),
)
def duties_import(request: HttpRequest, grid: Form[str], file: File[UploadedFile]) -> Any:
    target = grid_get(user=request.user, code=grid)
    result = services_dutylists.duty_lists_import(
        actor=request.user, grid=target, data=file.read(ledger_dutylists.MAX_BYTES + 1)
    )
    return 201, {"grid": target.code, "lists": result.lists, "tasks": result.tasks}
