"""Ledgers for the duty-list tests, written with openpyxl as a street office's Excel would."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

HEADER = ["清单 list", "编号 number", "任务名称 task", "英文名称 task in English", "责任主体 owner",
          "事件类别 case categories"]  # fmt: skip

GOOD_ROWS: list[list[Any]] = [
    ["微网格职责任务清单", "WG-01", "入户走访", "Visit households", "微网格", "民生诉求"],
    ["巡查任务清单", "XC-001", "巡查楼道堆放杂物", "Inspect clutter in stairwells", "一般网格",
     "sanitation"],
    ["处罚任务清单", "CF-001", "查处占道经营", "Penalise street vending", "chengguan",
     "城管、city_management"],
    ["平安网格长清单", "PA-01", "燃气安全隐患排查", "Gas safety check", "grid", "gas"],
]  # fmt: skip


def ledger(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header or HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(data: bytes, name: str = "duties.xlsx") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        name, data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def import_for(grid: Any, rows: list[list[Any]] | None = None) -> None:
    """Import a ledger as the system would for the street (no user: the demo's way in)."""
    from finegrid.workforce.ledger_dutylists import read_ledger
    from finegrid.workforce.services_dutylists import duty_lists_replace

    duty_lists_replace(grid=grid, rows=read_ledger(ledger(rows or GOOD_ROWS)))
