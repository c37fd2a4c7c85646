"""Files that cannot be imported are refused whole, with a message saying why; and the formats
a community's ledger really comes in (GB18030 CSV, English headers) are read."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from finegrid.core.errors import InvalidInput
from finegrid.registry import imports
from finegrid.registry.models import ImportJob, ImportStatus, Person
from tests.registry.helpers import home_in, make_id, register
from tests.registry.ledger import HEADER, csv_bytes, good_rows, upload, xlsx

ADDRESS = "锦丰新城1栋1单元101"


def _refused(user, content: bytes, name: str = "台账.xlsx", **kw) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        imports.import_start(actor=user, upload=upload(content, name), **kw)
    assert not ImportJob.objects.exists()
    assert Person.objects.count() == 0
    return caught.value


def test_it_refuses_an_empty_file(net, official):
    exc = _refused(official, b"")
    assert "empty" in exc.as_dict()["message_en"]


def test_it_refuses_a_file_that_is_not_a_spreadsheet(net, official):
    exc = _refused(official, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.xlsx")
    assert "not a spreadsheet" in exc.as_dict()["message_en"]


def test_it_refuses_a_missing_column_and_names_it(net, official):
    header = ["姓名", "电话号码", "住址"]  # 身份证号 renamed away
    exc = _refused(official, xlsx([["张三", "13800001111", ADDRESS]], header=header))
    errors = exc.as_dict()["errors"]
    assert [e["field"] for e in errors] == ["id_number"]
    assert "身份证号" in errors[0]["message_en"] and "id_number" in errors[0]["message_en"]


def test_it_refuses_a_million_rows_from_the_sheet_dimension(net, official):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.cell(row=1_000_001, column=1, value="张三")
    out = io.BytesIO()
    wb.save(out)
    exc = _refused(official, out.getvalue())
    assert "200,000" in exc.as_dict()["message_en"]


def test_it_refuses_too_many_rows_while_streaming(net, official, monkeypatch):
    home_in(net.m1, ADDRESS)
    monkeypatch.setattr(imports, "MAX_ROWS", 5)
    job = imports.import_start(
        actor=official, upload=upload(csv_bytes(good_rows(8, ADDRESS)), "a.csv")
    )
    assert job.status == ImportStatus.REFUSED
    assert "more than" in job.errors[0]["message_en"]
    assert Person.objects.count() == 0


def test_it_reads_a_gb18030_csv_with_english_headers(net, official):
    home_in(net.m1, ADDRESS)
    header = ["name", "id_number", "phone", "address", "relation", "is_party_member"]
    rows = [["王小明", make_id(), "13912345678", ADDRESS, "户主", "是"]]
    content = csv_bytes(rows, encoding="gb18030", header=header)
    job = imports.import_start(actor=official, upload=upload(content, "台账.csv"))
    assert job.status == ImportStatus.DONE, job.errors
    person = Person.objects.get()
    assert (person.name, person.relation, person.is_party_member) == ("王小明", "head", True)


def test_it_reports_a_duplicate_id_on_the_second_row_naming_the_first(net, official):
    home_in(net.m1, ADDRESS)
    rows = good_rows(3, ADDRESS)
    rows[2][1] = rows[0][1]
    job = imports.import_start(actor=official, upload=upload(xlsx(rows)))
    assert job.status == ImportStatus.REFUSED
    assert [(e["row"], e["field"]) for e in job.errors] == [(4, "id_number")]
    assert "row 2" in job.errors[0]["message_en"]
    assert Person.objects.count() == 0


def test_an_existing_id_number_is_updated_and_reported_so(net, official):
    home = home_in(net.m1, ADDRESS)
    known = register(official, home, name="张三", id_number=make_id(seq="100"))
    rows = good_rows(2, ADDRESS)  # the first has seq 100: the same person
    job = imports.import_start(actor=official, upload=upload(xlsx(rows)))
    assert (job.status, job.created_count, job.updated_count) == (ImportStatus.DONE, 1, 1)
    known.refresh_from_db()
    assert known.name == "居民100"
    assert known.phone_masked == "139****0100"
    assert Person.objects.count() == 2
    # the new phone is found by its last four digits, as read off the masked screen
    from finegrid.registry.selectors import person_list

    assert [p.pk for p in person_list(user=official, q="0100")] == [known.pk]


def test_an_unknown_address_is_a_row_error_naming_the_column(net, official):
    home_in(net.m1, ADDRESS)
    rows = good_rows(2, ADDRESS)
    rows[1][3] = "不存在的地址"
    job = imports.import_start(actor=official, upload=upload(xlsx(rows)))
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "住址")]
    assert Person.objects.count() == 0
