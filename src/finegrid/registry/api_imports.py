"""/api/v1/registry/imports: ledger imports (multipart ``file``) and their row reports; and
/api/v1/registry/people/export.xlsx, the masked export."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.http import FileResponse, HttpRequest
from django.utils import timezone
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from finegrid.accounts.api import API_AUTH
from finegrid.core.openapi import download
from finegrid.registry import exports, imports
from finegrid.registry.models import ImportMode, ImportStatus

router = Router(tags=["registry imports"], auth=API_AUTH)
export_router = Router(tags=["registry imports"], auth=API_AUTH)


class RowProblem(Schema):
    row: int | None = None
    column: str = ""
    field: str | None = None
    message: str
    message_en: str


class PeopleImportOut(Schema):
    id: int
    filename: str
    mode: str
    status: str
    status_message: str
    status_message_en: str
    household_id: int | None
    total_rows: int
    processed_rows: int
    percent: int
    created: int
    updated: int
    error_count: int
    errors: list[RowProblem]
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None


@router.get(
    "/template.xlsx",
    summary="The blank people ledger (.xlsx), Chinese headers with English keys",
    description=(
        "The spreadsheet `POST /registry/imports` reads: Chinese headers with the English keys in "
        "a second row (skipped on import), a comment on each header, and a guide sheet listing the "
        "accepted values. Any logged-in user; it holds no data."
    ),
    response={200: None},
    openapi_extra=download(
        exports.XLSX, filename="people-template.xlsx", description="The blank ledger. 空白台账。"
    ),
)
def template(request: HttpRequest) -> FileResponse:
    out = io.BytesIO()
    exports.people_template(out)
    out.seek(0)
    return FileResponse(
        out, as_attachment=True, filename="people-template.xlsx", content_type=exports.XLSX
    )


@router.post(
    "",
    response={201: PeopleImportOut, 202: PeopleImportOut},
    summary="Import people from an .xlsx or .csv ledger",
    description=(
        "Multipart field `file`; optional `household_id` places every row in that household; "
        "`mode` is `all` (default: any bad row and nothing is written) or `good` (write the good "
        "rows, report the bad). A small file is imported at once (201); a large one runs in the "
        "background (202): poll `GET imports/{id}`. A file that cannot be read at all (not a "
        "spreadsheet, empty, too large, a required column missing) is refused with 422."
    ),
)
def import_create(
    request: HttpRequest,
    file: File[UploadedFile],
    household_id: Form[int | None] = None,
    mode: Form[ImportMode] = ImportMode.ALL_OR_NOTHING,
) -> Any:
    job = imports.import_start(
        actor=request.user,
        upload=file,
        mode=str(mode.value if hasattr(mode, "value") else mode),
        household_id=household_id,
        request=request,
    )
    running = job.status in (ImportStatus.PENDING, ImportStatus.RUNNING)
    return (202 if running else 201), imports.job_report(job)


@router.get(
    "",
    response=list[PeopleImportOut],
    summary="Your imports, newest first",
    description=(
        "The last 50 imports you started (every user's for a superuser), newest first, each with "
        "its state, counts and row report. Nobody sees another's imports."
    ),
)
def import_list(request: HttpRequest) -> Any:
    return [imports.job_report(job) for job in imports.job_list(user=request.user)[:50]]


@router.get(
    "/{int:job_id}",
    response=PeopleImportOut,
    summary="An import's state, counts and row report (its creator's only)",
    description=(
        "Poll this after a 202 from `POST /registry/imports`: `status` (pending, running, done, "
        "refused, failed), `percent` of the rows processed, how many people were created and "
        "updated, and every refused row with its row, column and message in both languages. "
        "Someone else's import answers 404 like a missing one."
    ),
)
def import_read(request: HttpRequest, job_id: int) -> Any:
    return imports.job_report(imports.job_get(user=request.user, pk=job_id))


@export_router.get(
    "/export.xlsx",
    summary="People of your jurisdiction as .xlsx, masked as on screen (audited)",
    description=(
        "A spreadsheet of the people living in your jurisdiction (under `grid`, a grid code, if "
        "given), IDs and phones masked as on screen, in the ledger's columns; one audit row "
        "records who exported how many. Street leaders and officials, community officials and grid "
        "heads; other roles are refused with 403. A grid outside your jurisdiction answers 404."
    ),
    response={200: None},
    openapi_extra=download(
        exports.XLSX,
        filename="people-{grid or all}-{YYYYMMDD}.xlsx",
        description="The people, masked. 人员台账（脱敏）。",
    ),
)
def people_export(request: HttpRequest, grid: str | None = None) -> FileResponse:
    out, _count = exports.people_export(user=request.user, grid=grid, request=request)
    name = f"people-{grid or 'all'}-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(out, as_attachment=True, filename=name, content_type=exports.XLSX)
