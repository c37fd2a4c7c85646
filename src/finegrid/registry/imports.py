"""Ledger (台账) import: people from .xlsx or .csv, checked row by row, written all or none.

An import runs in two passes so that its progress can be watched while it runs:

1. **Check** (progress 0–50%): stream the rows, clean each one with ``clean_person``, find its
   household within the importer's jurisdiction, find an existing person by the blind index of
   the ID number, seal the good rows and spool them to a file beside the upload. Nothing is
   written to the registry; ``processed_rows`` is committed every batch, so a polling page sees it.
2. **Write** (50–100%): if the mode allows, read the spool back and write it in batches with
   ``bulk_create`` / ``bulk_update`` inside ONE transaction, with one audit row for the job.
   Inside that transaction the job row cannot be committed (SQLite has one writer), so the
   written count goes through the cache, which the polling page reads too.

Memory stays bounded by the batch size: rows are streamed in and spooled out, never all held.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import logging
import pickle  # noqa: S403 (our own spool, written and read by this module only)
import re
import tempfile
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from finegrid.accounts.jurisdiction import Scope, scope_for
from finegrid.core.audit import audit_record, client_ip
from finegrid.core.errors import Forbidden, InvalidInput, NotFound, Problem, bilingual
from finegrid.core.models import AuditAction
from finegrid.core.text import normalize_newlines, scrub, text_problem
from finegrid.grids.models import Household
from finegrid.registry.exports import (
    ALIASES,
    CHOICES,
    COLUMNS,
    NO,
    REQUIRED,
    YES,
    normalize_header,
)
from finegrid.registry.models import (
    CareTag,
    EndReason,
    ImportJob,
    ImportMode,
    ImportStatus,
    Membership,
    Person,
    Relation,
)
from finegrid.registry.permissions import REGISTRY_WRITERS
from finegrid.registry.services import PersonData, clean_person, sealed_fields

logger = logging.getLogger(__name__)

MAX_ROWS = 200_000
MAX_BYTES = 50 * 1024 * 1024
INLINE_ROWS = 2_000  # smaller files are imported within the request
BATCH = 2_000
MAX_REPORTED = 1_000  # problems kept in the report; the count is always complete
# A row of the template takes some 400 bytes of sheet XML: a sheet far larger than the row limit
# allows is refused from the zip directory, before a cell is parsed.
MAX_SHEET_XML = MAX_ROWS * 1_000
DIMENSION_RE = re.compile(rb'<dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"')


# --- reading files --------------------------------------------------------------------------


def _refuse(message: Any, **params: Any) -> InvalidInput:
    return InvalidInput(Problem(message, field="file", params=params or None))


def sniff(path: Path) -> str:
    """``"xlsx"`` or ``"csv"`` by content (not by name), or a refusal saying what is wrong."""
    size = path.stat().st_size
    if size == 0:
        raise _refuse(_("The file is empty."))
    if size > MAX_BYTES:
        raise _refuse(
            _("The file is larger than %(limit)s MB; split it into smaller files."),
            limit=MAX_BYTES // (1024 * 1024),
        )
    with path.open("rb") as fh:
        head = fh.read(4096)
    if head.startswith(b"PK\x03\x04"):
        if not zipfile.is_zipfile(path):
            raise _refuse(_("The file is not a spreadsheet (.xlsx or .csv)."))
        with zipfile.ZipFile(path) as zf:
            if "xl/workbook.xml" not in zf.namelist():
                raise _refuse(_("The file is not a spreadsheet (.xlsx or .csv)."))
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise _refuse(_("Old .xls files are not read; save the file as .xlsx and try again."))
    if b"\x00" in head or _encoding(head) is None:
        raise _refuse(_("The file is not a spreadsheet (.xlsx or .csv)."))
    return "csv"


def _encoding(sample: bytes) -> str | None:
    """UTF-8 (with or without BOM) if the sample decodes so, else GB18030 as Excel in China
    writes CSV; ``None`` if neither reads it."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            # a multi-byte character may be cut at the end of the sample: decode incrementally
            codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
            return encoding
        except UnicodeDecodeError:
            continue
    return None


def _xlsx_rows(path: Path) -> Iterator[list[Any]]:
    # python-calamine (Rust) reads a sheet ten times faster than openpyxl's read-only mode; it
    # holds the sheet's cells in native memory, bounded by MAX_BYTES and MAX_SHEET_XML, which are
    # checked from the zip directory before any cell is parsed.
    from python_calamine import CalamineWorkbook

    with zipfile.ZipFile(path) as zf:
        sheets = [i for i in zf.infolist() if i.filename.startswith("xl/worksheets/sheet")]
        if sheets and max(i.file_size for i in sheets) > MAX_SHEET_XML:
            raise _too_many_rows()
        for info in sheets:
            # Excel writes the used range near the top of the sheet: "A1:M1000001"
            with zf.open(info) as fh:
                found = DIMENSION_RE.search(fh.read(4096))
            if found and int(found.group(1)) > MAX_ROWS + 2:
                raise _too_many_rows()
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
    except Exception:  # a broken zip or sheet, whatever calamine calls it
        raise _refuse(_("The file is not a spreadsheet (.xlsx or .csv).")) from None
    if sheet.total_height > MAX_ROWS + 2:
        raise _too_many_rows()
    yield from sheet.iter_rows()


def _csv_rows(path: Path) -> Iterator[list[Any]]:
    with path.open("rb") as fh:
        sample = fh.read(65536)
    encoding = _encoding(sample) or "utf-8-sig"
    text = sample.decode(encoding, errors="ignore")
    try:
        dialect: Any = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    with path.open(encoding=encoding, newline="") as fh:
        try:
            yield from csv.reader(fh, dialect)
        except UnicodeDecodeError:
            raise _refuse(_("The file is neither UTF-8 nor GB18030 text.")) from None


def _too_many_rows() -> InvalidInput:
    return _refuse(
        _("The file has more than %(limit)s rows; split it into smaller files."),
        limit=f"{MAX_ROWS:,}",
    )


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass
class Sheet:
    """An opened ledger: its columns and a stream of (spreadsheet row number, cells)."""

    columns: dict[str, int]  # field → cell index
    labels: dict[str, str]  # field → header as written in the file
    rows: Iterator[tuple[int, list[Any]]]


def open_sheet(path: Path, *, household_given: bool = False) -> Sheet:
    kind = sniff(path)
    raw = _xlsx_rows(path) if kind == "xlsx" else _csv_rows(path)
    number = 0
    header: list[Any] = []
    for number, cells in enumerate(raw, start=1):  # noqa: B007 (number is used after the loop)
        if any(not _blank(c) for c in cells):
            header = list(cells)
            break
    if not header:
        raise _refuse(_("The file has no rows."))
    columns: dict[str, int] = {}
    labels: dict[str, str] = {}
    for index, cell in enumerate(header):
        name = ALIASES.get(normalize_header(cell))
        if name and name not in columns:
            columns[name] = index
            labels[name] = str(cell).strip()
    _check_columns(columns, household_given=household_given)
    return Sheet(columns, labels, _body(raw, number, columns))


def _check_columns(columns: dict[str, int], *, household_given: bool) -> None:
    problems = []
    for name in REQUIRED:
        if name not in columns:
            zh, en = COLUMNS[name]
            problems.append(
                Problem(
                    _("The column %(zh)s (%(en)s) is missing; the template names it so."),
                    field=name,
                    params={"zh": zh, "en": en},
                )
            )
    if not household_given and "address" not in columns and "household_id" not in columns:
        problems.append(
            Problem(
                _(
                    "Give each row's household: a column 住址 (address) or 户ID (household_id),"
                    " or choose one household for the whole file."
                ),
                field="address",
            )
        )
    if problems:
        raise InvalidInput(problems)


def _body(
    raw: Iterator[list[Any]], header_at: int, columns: dict[str, int]
) -> Iterator[tuple[int, list[Any]]]:
    first = True
    count = 0
    for number, cells in enumerate(raw, start=header_at + 1):
        if first:
            first = False
            # the template's second header row, in English: skip it
            named = [ALIASES.get(normalize_header(c)) for c in cells if not _blank(c)]
            if named and all(n is not None for n in named):
                continue
        if all(_blank(c) for c in cells):
            continue
        count += 1
        if count > MAX_ROWS:
            raise _too_many_rows()
        yield number, list(cells)


def estimate_rows(path: Path) -> int:
    """A quick guess of the number of rows, to choose between inline and background work."""
    size = path.stat().st_size
    if sniff(path) == "csv":
        with path.open("rb") as fh:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
    return size // 40  # a compressed .xlsx row of the template takes ~50 bytes


# --- one row --------------------------------------------------------------------------------


@dataclass
class Row:
    number: int
    data: PersonData
    given: set[str]  # fields with a value in the file: an update changes only these
    address: str = ""
    household_id: int | None = None
    problems: list[Problem] = field(default_factory=list)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float):  # an Excel serial day number
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
    text = re.sub(r"[年月/.]", "-", str(value).strip()).rstrip("日")
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    y, m, d = (int(p) for p in text.split("-"))
    return dt.date(y, m, d)


def parse_row(number: int, cells: list[Any], columns: dict[str, int]) -> Row:
    """Cells → PersonData, with a problem for each cell that cannot be read."""
    values = {name: cells[i] if i < len(cells) else None for name, i in columns.items()}
    row = Row(number, PersonData(), {n for n, v in values.items() if not _blank(v)})
    data = row.data

    def bad(message: Any, name: str, **params: Any) -> None:
        row.problems.append(Problem(message, field=name, row=number, params=params or None))

    for name, value in values.items():
        if isinstance(value, str):
            # stripped first, as a page form does: a stray trailing line break is no error
            problem = text_problem(value.strip(), field=name, row=number, multiline=name == "notes")
            if problem is not None:
                row.problems.append(problem)
                # the other checks read the cell without it: one problem per cell
                values[name] = scrub(value, multiline=name == "notes")
    data.name = _text(values.get("name"))
    raw_id = values.get("id_number")
    if isinstance(raw_id, int | float) and len(_text(raw_id)) >= 15:
        bad(
            _("The ID number was stored as a number and lost digits; format the column as text."),
            "id_number",
        )
    data.id_number = _text(raw_id)
    data.phone = _text(values.get("phone"))
    for name in ("document_type", "gender", "residence_status", "relation"):
        text = _text(values.get(name))
        if not text:
            continue
        code = CHOICES[name].get(text.lower()) or CHOICES[name].get(text)
        if code is None:
            bad(_("Unknown value %(value)s."), name, value=text)
        else:
            setattr(data, name, str(code))
    for name in ("is_party_member", "is_veteran"):
        text = _text(values.get(name)).lower()
        if text in YES:
            setattr(data, name, True)
        elif text and text not in NO:
            bad(_("Write 是 or 否 (yes or no)."), name)
    if not _blank(values.get("birth_date")):
        try:
            data.birth_date = _date(values["birth_date"])
        except (ValueError, TypeError, OverflowError):
            bad(_("Not a date; write it as 1990-01-31."), "birth_date")
    data.occupation = _text(values.get("occupation"))[:64]
    data.notes = normalize_newlines(_text(values.get("notes")))
    row.address = _text(values.get("address"))
    household = _text(values.get("household_id"))
    if household:
        if household.isdigit():
            row.household_id = int(household)
        else:
            bad(_("A household id is a number."), "household_id")
    return row


# --- the job --------------------------------------------------------------------------------


def _imports_dir() -> Path:
    path = Path(settings.VAR_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def import_start(
    *,
    actor: Any,
    upload: UploadedFile,
    mode: str = ImportMode.ALL_OR_NOTHING,
    household_id: int | None = None,
    request: HttpRequest | None = None,
) -> ImportJob:
    """Store the upload, check that it is a ledger we can read, make the job and run it: here
    for a small file, in the background for a large one. Refusals write nothing."""
    scope = scope_for(actor, roles=REGISTRY_WRITERS)
    if scope.empty:
        raise Forbidden(_("You may not change the population registry."))
    if mode not in ImportMode.values:
        raise InvalidInput(Problem(_("Unknown import mode."), field="mode"))
    household = None
    if household_id is not None:
        household = scope.filter(Household.objects.filter(pk=household_id), "grid_path").first()
        if household is None:
            raise NotFound(_("No such household in your jurisdiction."), field="household_id")
    if (upload.size or 0) > MAX_BYTES:
        raise _refuse(
            _("The file is larger than %(limit)s MB; split it into smaller files."),
            limit=MAX_BYTES // (1024 * 1024),
        )
    suffix = Path(upload.name or "").suffix.lower()[:8]
    stored = _imports_dir() / f"{uuid.uuid4().hex}{suffix}"
    with stored.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    try:
        # header, columns and kind now, so a wrong file is refused at once, not in a job
        open_sheet(stored, household_given=household is not None)
        estimate = estimate_rows(stored)
    except Exception:
        stored.unlink(missing_ok=True)
        raise
    job = ImportJob.objects.create(
        created_by=actor,
        filename=Path(upload.name or "upload").name[:200],
        stored_path=str(stored),
        mode=mode,
        household=household,
        scope_paths=list(scope.prefixes) if not scope.everything else ["/"],
        total_rows=estimate,
        requested_from=client_ip(request),
    )
    if estimate < INLINE_ROWS:
        import_run(job_id=job.pk)
        job.refresh_from_db()
    else:
        run_import.enqueue(job.pk)
    return job


@task()
def run_import(job_id: int) -> None:
    """Run a ledger import that was too large to run within its upload request."""
    import_run(job_id=job_id)


def _progress_key(job_id: int) -> str:
    return f"registry:import:{job_id}:written"


def job_percent(job: ImportJob) -> int:
    if job.status in (ImportStatus.DONE, ImportStatus.REFUSED, ImportStatus.FAILED):
        return 100
    total = max(job.total_rows, job.processed_rows, 1)
    written = cache.get(_progress_key(job.pk), 0)
    return min(99, int(50 * job.processed_rows / total + 50 * written / total))


@dataclass
class _Run:
    job: ImportJob
    scope: Scope
    report: list[dict[str, Any]] = field(default_factory=list)
    errors: int = 0
    seen: dict[str, int] = field(default_factory=dict)  # blind index → first row
    # household id or address → household; None: not in jurisdiction; False: address ambiguous
    households: dict[Any, Household | None | bool] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    creates: int = 0
    updates: int = 0

    def problem(self, problem: Problem) -> None:
        self.errors += 1
        if len(self.report) < MAX_REPORTED:
            entry = problem.as_dict()
            name = problem.field or ""
            entry["column"] = self.labels.get(name) or COLUMNS.get(name, ("", ""))[0]
            self.report.append(entry)


def import_run(*, job_id: int) -> None:
    """Run an import job to its end (the background task calls this)."""
    job = ImportJob.objects.select_related("created_by", "household").get(pk=job_id)
    if job.status != ImportStatus.PENDING:
        return  # already run: a task delivered twice does nothing the second time
    job.status, job.started_at = ImportStatus.RUNNING, timezone.now()
    job.save(update_fields=["status", "started_at", "updated_at"])
    stored = Path(job.stored_path)
    scope = Scope(tuple(job.scope_paths), everything=job.scope_paths == ["/"])
    run = _Run(job, scope)
    spool = tempfile.TemporaryFile(dir=_imports_dir())  # noqa: SIM115 (closed in finally)
    try:
        _check_pass(run, stored, spool)
        if run.errors and job.mode == ImportMode.ALL_OR_NOTHING:
            _finish(job, ImportStatus.REFUSED, run)
            return
        spool.seek(0)
        _write_pass(run, spool)
    except InvalidInput as exc:
        for problem in exc.problems:
            run.problem(problem)
        _finish(job, ImportStatus.REFUSED, run, written=False)
    except IntegrityError:
        run.problem(
            Problem(_("Some of these people were registered meanwhile; import the file again."))
        )
        _finish(job, ImportStatus.FAILED, run, written=False)
    except Exception:
        logger.exception("import %s failed", job.pk)
        run.problem(Problem(_("The import failed; nothing was written.")))
        _finish(job, ImportStatus.FAILED, run, written=False)
    finally:
        spool.close()
        # the upload holds personal information in clear: keep it no longer than the job needs
        stored.unlink(missing_ok=True)
        cache.delete(_progress_key(job.pk))


def _finish(job: ImportJob, status: str, run: _Run, *, written: bool = True) -> None:
    job.status = status
    job.error_count = run.errors
    job.errors = run.report
    job.created_count = run.creates if written and status == ImportStatus.DONE else 0
    job.updated_count = run.updates if written and status == ImportStatus.DONE else 0
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "status",
            "error_count",
            "errors",
            "created_count",
            "updated_count",
            "processed_rows",
            "total_rows",
            "finished_at",
            "updated_at",
        ]
    )


def _check_pass(run: _Run, stored: Path, spool: Any) -> None:
    job = run.job
    sheet = open_sheet(stored, household_given=job.household_id is not None)
    run.labels = sheet.labels
    batch: list[Row] = []
    for number, cells in sheet.rows:
        batch.append(parse_row(number, cells, sheet.columns))
        if len(batch) >= BATCH:
            _check_batch(run, batch, spool)
            batch = []
    if batch:
        _check_batch(run, batch, spool)
    job.total_rows = job.processed_rows
    job.save(update_fields=["total_rows", "processed_rows", "updated_at"])


def _resolve_households(run: _Run, rows: list[Row]) -> None:
    by_id = {r.household_id for r in rows if r.household_id is not None} - set(run.households)
    by_address = {r.address for r in rows if r.address and r.household_id is None} - set(
        run.households
    )
    if by_id:
        found = run.scope.filter(Household.objects.filter(pk__in=by_id), "grid_path")
        for h in found.only("id", "grid_path", "address"):
            run.households[h.pk] = h
        for pk in by_id:
            run.households.setdefault(pk, None)
    addresses = sorted(by_address)
    for start in range(0, len(addresses), 500):
        chunk = addresses[start : start + 500]
        found = run.scope.filter(Household.objects.filter(address__in=chunk), "grid_path")
        for h in found.only("id", "grid_path", "address"):
            # two dwellings with one address string cannot be told apart: ask for the id
            run.households[h.address] = h if h.address not in run.households else False
        for address in chunk:
            run.households.setdefault(address, None)


def _household_of(run: _Run, row: Row) -> Household | None:
    if row.household_id is not None:
        key: Any = row.household_id
        missing, name = _("No household with this id in your jurisdiction."), "household_id"
    elif row.address:
        key = row.address
        missing, name = _("No household with this address in your jurisdiction."), "address"
    elif run.job.household is not None:
        return run.job.household
    else:
        key, missing, name = None, _("The household is missing."), "address"
    found = run.households.get(key) if key is not None else None
    if isinstance(found, Household):
        return found
    if found is False:
        missing = _("Several households have this address; give the household id instead.")
    row.problems.append(Problem(missing, field=name, row=row.number))
    return None


def _check_batch(run: _Run, rows: list[Row], spool: Any) -> None:
    job = run.job
    _resolve_households(run, rows)
    records: list[tuple[Row, Household, dict[str, Any]]] = []
    for row in rows:
        household = _household_of(run, row)
        fields, problems = clean_person(row.data, row=row.number)
        row.problems.extend(problems)
        if row.problems:
            for problem in row.problems:
                run.problem(problem)
            continue
        if run.errors and job.mode == ImportMode.ALL_OR_NOTHING:
            continue  # nothing will be written: check the rest, seal nothing
        assert household is not None
        values = sealed_fields(fields)
        index = values["id_number_index"]
        if index:
            first = run.seen.get(index)
            if first is not None:
                run.problem(
                    Problem(
                        _("The same ID number as row %(first)s."),
                        field="id_number",
                        row=row.number,
                        params={"first": first},
                    )
                )
                continue
            run.seen[index] = row.number
        records.append((row, household, values))
    existing = {
        index: (pk, path, dead)
        for pk, index, path, dead in Person.objects.filter(
            id_number_index__in=[
                v["id_number_index"] for _r, _h, v in records if v["id_number_index"]
            ]
        ).values_list("pk", "id_number_index", "grid_path", "deceased_on")
    }
    out = []
    for row, household, values in records:
        found = existing.get(values["id_number_index"])
        if found is not None:
            pk, path, dead = found
            if not run.scope.covers(path):
                run.problem(
                    Problem(
                        _("This person is registered outside your jurisdiction."),
                        field="id_number",
                        row=row.number,
                    )
                )
                continue
            if dead:
                run.problem(
                    Problem(
                        _("This person's death is recorded."), field="id_number", row=row.number
                    )
                )
                continue
        relation = row.data.relation or Relation.OTHER
        given = row.given | {"id_number"}
        out.append(
            (
                found[0] if found else None,
                values,
                household.pk,
                household.grid_path,
                relation,
                given,
            )
        )
    if not (run.errors and job.mode == ImportMode.ALL_OR_NOTHING):
        pickle.dump(out, spool, protocol=pickle.HIGHEST_PROTOCOL)
    job.processed_rows += len(rows)
    job.save(update_fields=["processed_rows", "updated_at"])


# Which model fields an update may change, by the column that carries them.
_UPDATE_FIELDS = {
    "name": [
        "name",
        "name_pinyin",
        "name_initials",
        "name_pinyin_alt",
        "name_initials_alt",
        "given_name",
    ],
    "phone": ["phone_enc", "phone_index", "phone_masked", "phone_tail"],
    "gender": ["gender"],
    "birth_date": ["birth_date"],
    "document_type": ["document_type"],
    "residence_status": ["residence_status"],
    "is_party_member": ["is_party_member"],
    "is_veteran": ["is_veteran"],
    "occupation": ["occupation"],
    "notes": ["notes"],
}


def _spooled(spool: Any) -> Iterator[list[tuple[Any, ...]]]:
    while True:
        try:
            yield pickle.load(spool)  # noqa: S301 (written by _check_batch above)
        except EOFError:
            return


def _write_pass(run: _Run, spool: Any) -> None:
    job = run.job
    today = timezone.localdate()
    with transaction.atomic():
        written = 0
        for batch in _spooled(spool):
            creates = [r for r in batch if r[0] is None]
            updates = [r for r in batch if r[0] is not None]
            people = Person.objects.bulk_create(
                [
                    Person(**values, household_id=hid, relation=relation, grid_path=path)
                    for _pk, values, hid, path, relation, _given in creates
                ]
            )
            _insert_stays(
                [
                    (p.pk, hid, p.relation)
                    for p, (_pk, _v, hid, *_rest) in zip(people, creates, strict=True)
                ],
                today,
            )
            if updates:
                _apply_updates(updates, today)
            run.creates += len(creates)
            run.updates += len(updates)
            written += len(batch)
            cache.set(_progress_key(job.pk), written, 3600)
        audit_record(
            actor=job.created_by,
            action=AuditAction.IMPORT,
            target=job,
            label=f"{job.filename} · +{run.creates} ~{run.updates}",
            fields=sorted(
                {f for name in run.labels for f in [name] if name in COLUMNS}
                - {"address", "household_id"}
            ),
            grid_path=job.household.grid_path if job.household else "",
            ip=job.requested_from,
        )
        _finish(job, ImportStatus.DONE, run)


def _insert_stays(stays: list[tuple[int, int, str]], moved_in: dt.date) -> None:
    """Open a stay for each new person: one plain multi-row INSERT. The rows are uniform and
    need no primary keys back, so bulk_create's per-field preparation (a quarter of an import's
    writing time) buys nothing here."""
    if not stays:
        return
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    day = ops.adapt_datefield_value(moved_in)
    table = ops.quote_name(Membership._meta.db_table)
    columns = (
        "person_id",
        "household_id",
        "relation",
        "moved_in",
        "end_reason",
        "created_at",
        "updated_at",
    )
    names = ", ".join(ops.quote_name(c) for c in columns)
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(pid, hid, rel, day, "", now, now) for pid, hid, rel in stays])


def _apply_updates(updates: list[tuple[Any, ...]], today: dt.date) -> None:
    people = Person.objects.in_bulk([r[0] for r in updates])
    changed: set[str] = set()
    moved: list[tuple[Person, int]] = []
    for pk, values, hid, path, relation, given in updates:
        person = people[pk]
        for column in given:
            for name in _UPDATE_FIELDS.get(column, []):
                setattr(person, name, values[name])
                changed.add(name)
        if person.household_id != hid:
            person.household_id, person.grid_path, person.relation = hid, path, relation
            moved.append((person, hid))
        elif "relation" in given:
            person.relation = relation
            changed.add("relation")
    if moved:
        changed |= {"household", "grid_path", "relation"}
        ids = [p.pk for p, _hid in moved]
        Membership.objects.filter(person_id__in=ids, moved_out__isnull=True).update(
            moved_out=today, end_reason=EndReason.MOVED
        )
        Membership.objects.bulk_create(
            [
                Membership(person_id=p.pk, household_id=hid, relation=p.relation, moved_in=today)
                for p, hid in moved
            ]
        )
        for p, _hid in moved:
            CareTag.objects.filter(person_id=p.pk).update(grid_path=p.grid_path)
    if changed:
        Person.objects.bulk_update(list(people.values()), [*sorted(changed), "updated_at"])


# --- reads ----------------------------------------------------------------------------------


def job_list(*, user: Any) -> Any:
    """The user's own imports, newest first."""
    qs = ImportJob.objects.all()
    if not getattr(user, "is_superuser", False):
        qs = qs.filter(created_by=user)
    return qs.order_by("-created_at", "-id")


def job_get(*, user: Any, pk: int) -> ImportJob:
    """An import is its creator's (or a superuser's) to see; for anyone else it does not exist."""
    job = job_list(user=user).filter(pk=pk).first()
    if job is None:
        raise NotFound(_("No such import."), field="id")
    return job


def job_report(job: ImportJob) -> dict[str, Any]:
    return {
        "id": job.pk,
        "filename": job.filename,
        "mode": job.mode,
        "status": job.status,
        **{f"status_{k}": v for k, v in bilingual(job.get_status_display()).items()},
        "household_id": job.household_id,
        "total_rows": job.total_rows,
        "processed_rows": job.processed_rows,
        "percent": job_percent(job),
        "created": job.created_count,
        "updated": job.updated_count,
        "error_count": job.error_count,
        "errors": job.errors,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }
