"""Load the official holiday calendar (国务院办公厅关于部分节假日安排的通知) into ``Holiday``.

A file is CSV with the columns ``date,kind,name`` (kind: ``off`` or ``workday``); lines starting
with ``#`` are comments, where each shipped year names its source document. Row numbers in errors
are the file's line numbers, as an editor shows them. Every file is read and checked before
anything is written, so a bad row leaves the table as it was.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from finegrid.cases import clock
from finegrid.cases.holiday_names import english_holiday_name
from finegrid.cases.models import Holiday
from finegrid.core.errors import Problem, bilingual

DATA = Path(__file__).resolve().parents[2] / "data"
HEADER = ["date", "kind", "name"]
KINDS = {"off": False, "workday": True}
NAME_MAX = Holiday._meta.get_field("name").max_length or 32


@dataclass(frozen=True)
class HolidayRow:
    date: dt.date
    is_workday: bool
    name: str
    file: str
    line: int


@dataclass(frozen=True)
class FileProblem:
    file: str
    problem: Problem


@dataclass(frozen=True)
class LoadCounts:
    added: int
    changed: int
    unchanged: int


def shipped_files() -> list[Path]:
    return sorted(DATA.glob("holidays-*.csv"))


def _parse_row(cells: list[str], row: int) -> tuple[dict[str, Any], list[Problem]]:
    """The row's values, or what is wrong with each of its cells."""
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    if len(cells) != len(HEADER):
        return values, [Problem(_("The row needs three columns: date, kind, name."), row=row)]
    raw_date, raw_kind, raw_name = (c.strip() for c in cells)
    try:
        values["date"] = dt.datetime.strptime(raw_date, "%Y-%m-%d").date()
    except ValueError:
        problems.append(Problem(_("Not a date; write it as 1990-01-31."), field="date", row=row))
    if raw_kind in KINDS:
        values["is_workday"] = KINDS[raw_kind]
    else:
        problems.append(
            Problem(
                _("The kind is “%(kind)s”; write off or workday."),
                field="kind",
                row=row,
                params={"kind": raw_kind},
            )
        )
    if len(raw_name) > NAME_MAX:
        problems.append(
            Problem(
                _("The name is longer than %(max)s characters."),
                field="name",
                row=row,
                params={"max": NAME_MAX},
            )
        )
    values["name"] = raw_name
    return values, problems


def holidays_read(*, paths: Sequence[Path]) -> tuple[list[HolidayRow], list[FileProblem]]:
    """Every row of every file, checked; a date listed twice must be the same kind each time
    (the first row's name stands). Raises ``CommandError`` for a file that cannot be read."""
    rows: list[HolidayRow] = []
    problems: list[FileProblem] = []
    seen: dict[dt.date, HolidayRow] = {}
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8-sig")  # -sig: a spreadsheet's BOM is no cell
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(
                _both(_("Cannot read %(file)s: %(error)s"), {"file": path, "error": exc})
            ) from None
        header_seen = False
        for line_no, line in enumerate(text.splitlines(), start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cells = next(csv.reader([line]))
            if not header_seen:
                header_seen = True
                if [c.strip() for c in cells] != HEADER:
                    problems.append(
                        FileProblem(
                            path.name,
                            Problem(_("The header must be date,kind,name."), row=line_no),
                        )
                    )
                    break  # without the header no column can be read
                continue
            values, row_problems = _parse_row(cells, line_no)
            if row_problems:
                problems += [FileProblem(path.name, p) for p in row_problems]
                continue
            row = HolidayRow(file=path.name, line=line_no, **values)
            first = seen.get(row.date)
            if first is None:
                seen[row.date] = row
                rows.append(row)
            elif first.is_workday != row.is_workday:
                problems.append(
                    FileProblem(
                        path.name,
                        Problem(
                            _("The same date is on row %(first)s of %(file)s as the other kind."),
                            field="date",
                            row=line_no,
                            params={"first": first.line, "file": first.file},
                        ),
                    )
                )
    return rows, problems


def holidays_upsert(*, rows: Sequence[HolidayRow]) -> LoadCounts:
    """Add or change one ``Holiday`` per row, in one transaction; rows not in the files stay
    (a street's own extra day off is not the State Council's to remove)."""
    unchanged = 0
    if not rows:
        return LoadCounts(0, 0, 0)
    with transaction.atomic():
        # One range read, not a long IN list; two loads at once meet at the unique date and the
        # loser rolls back whole.
        span = (min(r.date for r in rows), max(r.date for r in rows))
        existing = {h.date: h for h in Holiday.objects.filter(date__range=span)}
        new: list[Holiday] = []
        edited: list[Holiday] = []
        for row in rows:
            holiday = existing.get(row.date)
            name_en = english_holiday_name(row.name)
            if holiday is None:
                new.append(
                    Holiday(
                        date=row.date, is_workday=row.is_workday, name=row.name, name_en=name_en
                    )
                )
            elif (holiday.is_workday, holiday.name, holiday.name_en) != (
                row.is_workday,
                row.name,
                name_en or holiday.name_en,
            ):
                holiday.is_workday, holiday.name = row.is_workday, row.name
                holiday.name_en = name_en or holiday.name_en
                edited.append(holiday)
            else:
                unchanged += 1
        Holiday.objects.bulk_create(new)
        Holiday.objects.bulk_update(edited, ["is_workday", "name", "name_en"])
        added, changed = len(new), len(edited)
    clock.forget_holidays()
    return LoadCounts(added, changed, unchanged)


def _in_both(render: Callable[[], str]) -> str:
    """Chinese, then English; once while the catalogue has no Chinese for it yet."""
    texts = []
    for lang in ("zh-hans", "en"):
        with translation.override(lang):
            texts.append(render())
    return texts[0] if texts[0] == texts[1] else f"{texts[0]} / {texts[1]}"


def _both(message: str | Promise, params: dict[str, Any]) -> str:
    both = bilingual(message, params)
    zh, en = both["message"], both["message_en"]
    return zh if zh == en else f"{zh} / {en}"


def _describe(fp: FileProblem) -> str:
    p = fp.problem

    def render() -> str:
        message = str(p.message) % (p.params or {})
        where = {"file": fp.file, "row": p.row, "column": p.field, "message": message}
        if p.field is None:
            return str(_("%(file)s row %(row)s: %(message)s")) % where
        return str(_("%(file)s row %(row)s, column %(column)s: %(message)s")) % where

    return _in_both(render)


class Command(BaseCommand):
    help = (
        "Load the official holiday calendar, all or nothing; without FILE, every shipped year. "
        "Rows are added or changed, never removed. 导入法定节假日安排。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "files", nargs="*", metavar="FILE", help="CSV with the columns date,kind,name"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        paths = [Path(f) for f in opts["files"]] or shipped_files()
        rows, problems = holidays_read(paths=paths)
        if problems:
            for fp in problems:
                self.stderr.write(_describe(fp))
            raise CommandError(
                _both(_("%(count)s problem(s); nothing was written."), {"count": len(problems)})
            )
        counts = holidays_upsert(rows=rows)
        self.stdout.write(
            _both(
                _("%(added)s added, %(changed)s changed, %(unchanged)s unchanged."),
                {"added": counts.added, "changed": counts.changed, "unchanged": counts.unchanged},
            )
        )
