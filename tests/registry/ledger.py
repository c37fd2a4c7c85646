"""Ledger files for the import and export tests: rows in, .xlsx or .csv bytes out."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from tests.registry.helpers import make_id

HEADER = ["姓名", "身份证号", "手机号", "住址", "与户主关系", "党员"]


def xlsx(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(header or HEADER)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list[Any]], encoding: str = "utf-8", header: list[str] | None = None):
    lines = [",".join(str(c) for c in r) for r in [header or HEADER, *rows]]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def upload(content: bytes, name: str = "台账.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def good_rows(n: int, address: str, start: int = 100) -> list[list[Any]]:
    return [
        [f"居民{i}", make_id(seq=f"{i:03d}"), f"139{i:08d}", address, "其他", "否"]
        for i in range(start, start + n)
    ]


def read_xlsx(content: bytes) -> list[list[Any]]:
    wb = load_workbook(io.BytesIO(content), read_only=True)
    return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
