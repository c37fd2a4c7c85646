"""The duty-list ledger (.xlsx): its columns, the template, and reading it row by row.

One row is one task. Every bad cell is reported with its row and column, in Chinese and English;
a ledger with any bad row writes nothing (``services_dutylists``).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from finegrid.cases.models import Category, Department
from finegrid.core.errors import InvalidInput, Problem
from finegrid.grids.models import Level
from finegrid.workforce.models.dutylists import OWNER_LEVELS, ListKind

MAX_ROWS = 5_000
MAX_BYTES = 5 * 1024 * 1024
MAX_REPORTED = 200

# field → (Chinese header, English header); the template writes "中文 English"
COLUMNS: dict[str, tuple[str, str]] = {
    "list": ("清单", "list"),
    "code": ("编号", "number"),
    "name": ("任务名称", "task"),
    "name_en": ("英文名称", "task in English"),
    "owner": ("责任主体", "owner"),
    "categories": ("事件类别", "case categories"),
}
REQUIRED = ("list", "code", "name", "name_en", "owner")

# the names a ledger may give a list, besides its code
LIST_NAMES: dict[str, str] = {
    ListKind.COMMUNITY: "总网格职责任务清单",
    ListKind.GRID: "一般网格职责任务清单",
    ListKind.MICRO: "微网格职责任务清单",
    ListKind.INSPECTION: "巡查任务清单",
    ListKind.ENFORCEMENT: "处罚任务清单",
    ListKind.PARTY_SERVICE_HEAD: "党员服务长清单",
    ListKind.SAFETY_HEAD: "平安网格长清单",
    ListKind.CIVILITY_HEAD: "文明劝导长清单",
}
LEVEL_NAMES: dict[str, str] = {
    Level.COMMUNITY: "总网格",
    Level.GRID: "一般网格",
    Level.MICRO: "微网格",
}
NOT_XLSX = _("The file is not an .xlsx spreadsheet; save the ledger as .xlsx.")
SEPARATORS = re.compile(r"[,，、;；/\n]+")


def _key(value: Any) -> str:
    return re.sub(r"\s+", "", str(value or "")).casefold()


def _aliases() -> dict[str, str]:
    out: dict[str, str] = {}
    for name, (zh, en) in COLUMNS.items():
        for alias in (name, zh, en, f"{zh}{en}", f"{zh} {en}"):
            out[_key(alias)] = name
    return out


ALIASES = _aliases()


@dataclass
class LedgerRow:
    number: int  # the spreadsheet's row number
    kind: str = ""
    code: str = ""
    name: str = ""
    name_en: str = ""
    owner_level: str = ""
    department_id: int | None = None
    category_ids: list[int] = field(default_factory=list)


def _lookup(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    return {_key(name): value for name, value in pairs if name}


class Vocabulary:
    """Lists, owners and categories by every name a ledger may use: read once per import."""

    def __init__(self) -> None:
        self.lists = _lookup(
            [(k, k) for k in ListKind.values]
            + [(zh, k) for k, zh in LIST_NAMES.items()]
            + [(str(label), k) for k, label in _english(ListKind.choices)]
        )
        self.levels = _lookup(
            [(lv, lv) for lv in OWNER_LEVELS] + [(zh, lv) for lv, zh in LEVEL_NAMES.items()]
        )
        departments = list(Department.objects.filter(active=True).values_list("pk", "code", "name"))
        self.departments = _lookup(
            [(code, pk) for pk, code, _n in departments] + [(n, pk) for pk, _c, n in departments]
        )
        categories = list(
            Category.objects.filter(active=True).values_list("pk", "code", "name", "name_en")
        )
        self.categories = _lookup(
            [(code, pk) for pk, code, _n, _e in categories]
            + [(n, pk) for pk, _c, n, _e in categories]
            + [(e, pk) for pk, _c, _n, e in categories]
        )


def _english(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    from django.utils import translation

    with translation.override("en"):
        return [(str(label), value) for value, label in choices]


def _refuse(message: Any, **params: Any) -> InvalidInput:
    return InvalidInput(Problem(message, field="file", params=params or None))


def _cells(data: bytes) -> list[list[Any]]:
    """Every row of the first sheet, as values. openpyxl's read-only mode streams the sheet;
    the ledger is small (a few thousand rows at most), so the rows are held."""
    from openpyxl import load_workbook

    if not data:
        raise _refuse(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise _refuse(_("The file is larger than %(limit)s MB."), limit=MAX_BYTES // 2**20)
    if not data.startswith(b"PK\x03\x04"):
        raise _refuse(NOT_XLSX)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(list(row))
            if len(rows) > MAX_ROWS + 1:
                raise _refuse(_("The ledger has more than %(limit)s rows."), limit=MAX_ROWS)
        book.close()
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError):
        raise _refuse(
            _("The file is not an .xlsx spreadsheet; save the ledger as .xlsx.")
        ) from None
    return rows


def _blank(value: Any) -> bool:
    return value is None or not str(value).strip()


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", str(value)).strip() if value is not None else ""


def read_ledger(data: bytes) -> list[LedgerRow]:
    """The ledger's tasks, or InvalidInput naming every bad row and column (up to a limit)."""
    rows = _cells(data)
    header_at = next((i for i, r in enumerate(rows) if any(not _blank(c) for c in r)), None)
    if header_at is None:
        raise _refuse(_("The ledger has no rows."))
    columns: dict[str, int] = {}
    for index, cell in enumerate(rows[header_at]):
        name = ALIASES.get(_key(cell))
        if name and name not in columns:
            columns[name] = index
    missing = [
        Problem(
            _("The column %(zh)s (%(en)s) is missing; the template names it so."),
            field=name,
            params={"zh": COLUMNS[name][0], "en": COLUMNS[name][1]},
        )
        for name in REQUIRED
        if name not in columns
    ]
    if missing:
        raise InvalidInput(missing)
    vocabulary = Vocabulary()
    out: list[LedgerRow] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, str], int] = {}
    for offset, cells in enumerate(rows[header_at + 1 :], start=header_at + 2):
        if all(_blank(c) for c in cells):
            continue
        row = _parse(offset, cells, columns, vocabulary, problems)
        if row.kind and row.code:
            first = seen.setdefault((row.kind, row.code), row.number)
            if first != row.number:
                problems.append(_bad(row.number, "code", _duplicate(), first=first))
        out.append(row)
    if not out and not problems:
        raise _refuse(_("The ledger has a header but no tasks."))
    if problems:
        raise InvalidInput(problems[:MAX_REPORTED])
    return out


def _duplicate() -> Any:
    return _("Column %(zh)s (%(en)s): this number is already used in the list at row %(first)s.")


def _bad(number: int, name: str, message: Any, **params: Any) -> Problem:
    zh, en = COLUMNS[name]
    return Problem(message, field=name, row=number, params={"zh": zh, "en": en, **params})


def _parse(
    number: int,
    cells: list[Any],
    columns: dict[str, int],
    vocabulary: Vocabulary,
    problems: list[Problem],
) -> LedgerRow:
    def cell(name: str) -> str:
        index = columns.get(name)
        return _text(cells[index]) if index is not None and index < len(cells) else ""

    def bad(name: str, message: Any, **params: Any) -> None:
        problems.append(_bad(number, name, message, **params))

    row = LedgerRow(number=number)
    for name, limit in (("code", 32), ("name", 200), ("name_en", 200)):
        value = cell(name)
        if not value:
            bad(name, _("Column %(zh)s (%(en)s) is empty."))
        elif len(value) > limit:
            bad(name, _("Column %(zh)s (%(en)s) is longer than %(limit)s characters."), limit=limit)
        else:
            setattr(row, name, value)
    listed = cell("list")
    row.kind = vocabulary.lists.get(_key(listed), "")
    if not listed:
        bad("list", _("Column %(zh)s (%(en)s) is empty."))
    elif not row.kind:
        bad("list", _("Column %(zh)s (%(en)s): no such list “%(value)s”."), value=listed)
    owner = cell("owner")
    if not owner:
        bad("owner", _("Column %(zh)s (%(en)s) is empty."))
    elif _key(owner) in vocabulary.levels:
        row.owner_level = vocabulary.levels[_key(owner)]
    elif _key(owner) in vocabulary.departments:
        row.department_id = vocabulary.departments[_key(owner)]
    else:
        bad(
            "owner",
            _(
                "Column %(zh)s (%(en)s): “%(value)s” is neither a grid level (总网格, 一般网格,"
                " 微网格) nor an active department."
            ),
            value=owner,
        )
    for name in SEPARATORS.split(cell("categories")):
        if not name.strip():
            continue
        pk = vocabulary.categories.get(_key(name))
        if pk is None:
            bad(
                "categories",
                _("Column %(zh)s (%(en)s): no such active case category “%(value)s”."),
                value=name.strip(),
            )
        elif pk not in row.category_ids:
            row.category_ids.append(pk)
    return row


def template() -> bytes:
    """The ledger template: the header, two example rows, and a sheet of the allowed values."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "清单 duty list"
    sheet.append([f"{zh} {en}" for zh, en in COLUMNS.values()])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(
        ["巡查任务清单", "XC-001", "巡查占道经营", "Inspect street vending", "一般网格", "城管"]
    )
    sheet.append(
        [
            "处罚任务清单",
            "CF-001",
            "查处占道经营",
            "Penalise street vending",
            "chengguan",
            "city_management",
        ]
    )
    for column, width in zip("ABCDEF", (22, 12, 36, 40, 18, 30), strict=True):
        sheet.column_dimensions[column].width = width
    values = book.create_sheet("可选值 allowed values")
    values.append(["清单 list", "责任主体 owner", "事件类别 case categories"])
    lists = [f"{zh} ({k})" for k, zh in LIST_NAMES.items()]
    owners = [f"{zh} ({lv})" for lv, zh in LEVEL_NAMES.items()] + [
        f"{d.name} ({d.code})" for d in Department.objects.filter(active=True)
    ]
    categories = [f"{c.name} ({c.code})" for c in Category.objects.filter(active=True)]
    for i in range(max(len(lists), len(owners), len(categories))):
        values.append(
            [
                lists[i] if i < len(lists) else None,
                owners[i] if i < len(owners) else None,
                categories[i] if i < len(categories) else None,
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
