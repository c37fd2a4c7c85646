"""A ledger row holding a control character is reported by row and column, and nothing written."""

from __future__ import annotations

from finegrid.registry import imports
from finegrid.registry.models import ImportStatus, Person
from tests.registry.helpers import home_in
from tests.registry.ledger import csv_bytes, good_rows, upload

ADDRESS = "锦丰新城1栋1单元101"


def test_a_control_character_in_a_cell_is_reported_by_row_and_column(net, official):
    home_in(net.m1, ADDRESS)
    rows = good_rows(5, ADDRESS)
    rows[1][0] = "居民\x07101"
    rows[3][4] = "其\x1b他"
    job = imports.import_start(actor=official, upload=upload(csv_bytes(rows), "台账.csv"))
    assert job.status == ImportStatus.REFUSED
    assert [(e["row"], e["column"], e["field"]) for e in job.errors] == [
        (3, "姓名", "name"),
        (5, "与户主关系", "relation"),
    ]
    assert job.errors[0]["message_en"] == (
        "name contains a control character (U+0007 at position 3) that cannot be stored; remove it."
    )
    assert "控制字符" in job.errors[0]["message"]
    assert Person.objects.count() == 0


def test_a_stray_line_break_at_the_end_of_a_cell_is_no_error(net, official):
    home_in(net.m1, ADDRESS)
    rows = good_rows(2, ADDRESS)
    rows[0][0] = "居民100\t"
    job = imports.import_start(actor=official, upload=upload(csv_bytes(rows), "台账.csv"))
    assert job.status == ImportStatus.DONE, job.errors
    assert Person.objects.filter(name="居民100").exists()
