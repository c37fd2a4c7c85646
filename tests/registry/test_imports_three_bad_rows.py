"""The story of the issue: a ledger with three bad rows is refused whole, each bad row explained
by row and column; fixed, it is imported."""

from __future__ import annotations

from finegrid.core.models import AuditEvent
from finegrid.registry import imports
from finegrid.registry.models import ImportJob, ImportStatus, Membership, Person
from tests.conftest import client_for
from tests.registry.helpers import home_in, make_id
from tests.registry.ledger import good_rows, upload, xlsx

ADDRESS = "锦丰新城1栋1单元101"


def _bad_ledger() -> list[list[object]]:
    rows = good_rows(10, ADDRESS)
    rows[2][1] = rows[2][1][:17] + ("0" if rows[2][1][17] != "0" else "1")  # wrong check digit
    rows[5][1] = make_id(born="19900231")  # 31 February
    rows[8][1] = make_id(region="999999")  # no such region
    return rows


def test_three_bad_rows_are_reported_and_nothing_is_written(net, official):
    home_in(net.m1, ADDRESS)
    job = imports.import_start(actor=official, upload=upload(xlsx(_bad_ledger())))
    assert job.status == ImportStatus.REFUSED
    assert job.error_count == 3
    assert [(e["row"], e["column"], e["field"]) for e in job.errors] == [
        (4, "身份证号", "id_number"),
        (7, "身份证号", "id_number"),
        (10, "身份证号", "id_number"),
    ]
    assert all(e["message"] for e in job.errors)  # the zh-hans text, beside the English
    assert "check digit" in job.errors[0]["message_en"]
    assert "birth date" in job.errors[1]["message_en"]
    assert "region code" in job.errors[2]["message_en"]
    assert Person.objects.count() == 0
    assert not AuditEvent.objects.filter(action="import").exists()


def test_fixed_ledger_is_imported_and_audited_once(net, official):
    home = home_in(net.m1, ADDRESS)
    imports.import_start(actor=official, upload=upload(xlsx(_bad_ledger())))
    job = imports.import_start(actor=official, upload=upload(xlsx(good_rows(10, ADDRESS))))
    assert job.status == ImportStatus.DONE
    assert (job.created_count, job.updated_count, job.error_count) == (10, 0, 0)
    assert Person.objects.filter(household=home, grid_path=net.m1.path).count() == 10
    assert Membership.objects.filter(household=home, moved_out__isnull=True).count() == 10
    person = Person.objects.get(name="居民100")
    assert person.id_number_masked.startswith("510") and "*" in person.id_number_masked
    assert person.phone_masked == "139****0100"
    events = AuditEvent.objects.filter(action="import")
    assert events.count() == 1
    assert events.get().target_id == str(job.pk)


def test_good_rows_mode_writes_the_good_and_reports_the_bad(net, official):
    home_in(net.m1, ADDRESS)
    job = imports.import_start(actor=official, upload=upload(xlsx(_bad_ledger())), mode="good")
    assert job.status == ImportStatus.DONE
    assert (job.created_count, job.error_count) == (7, 3)
    assert Person.objects.count() == 7


def test_the_page_shows_the_report(net, official):
    home_in(net.m1, ADDRESS)
    client = client_for(official)
    response = client.post(
        "/registry/imports/", {"file": upload(xlsx(_bad_ledger())), "mode": "all"}
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/registry/imports/{job.pk}/"
    page = client.get(f"/registry/imports/{job.pk}/").content.decode()
    assert "身份证号" in page and "<td>7</td>" in page
    # finished: no more polling (the header's inbox badge polls on every page; this is the job's)
    assert f"/registry/imports/{job.pk}/progress/" not in page
    assert Person.objects.count() == 0
