"""POST /api/v1/registry/imports and GET imports/{id}: the job is its creator's alone."""

from __future__ import annotations

from django_tasks_db.models import DBTaskResult

from finegrid.core.models import AuditAction, AuditEvent
from finegrid.registry import imports, tasks
from finegrid.registry.models import ImportJob, ImportStatus, Person
from tests.conftest import client_for
from tests.registry.helpers import home_in
from tests.registry.ledger import good_rows, read_xlsx, upload, xlsx

URL = "/api/v1/registry/imports"
ADDRESS = "锦丰新城1栋1单元101"


def test_a_small_file_is_imported_at_once(net, official):
    home_in(net.m1, ADDRESS)
    client = client_for(official)
    response = client.post(URL, {"file": upload(xlsx(good_rows(3, ADDRESS)))})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["created"], body["percent"]) == ("done", 3, 100)
    assert client.get(f"{URL}/{body['id']}").json()["created"] == 3
    assert Person.objects.count() == 3


def test_a_file_that_is_not_a_spreadsheet_is_422(net, official):
    response = client_for(official).post(URL, {"file": upload(b"%PDF-1.7\x00", "a.xlsx")})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "file"
    assert not ImportJob.objects.exists()


def test_someone_elses_import_is_not_found(net, official, gridhead):
    home_in(net.m1, ADDRESS)
    job = imports.import_start(actor=official, upload=upload(xlsx(good_rows(1, ADDRESS))))
    assert client_for(gridhead).get(f"{URL}/{job.pk}").status_code == 404
    assert client_for(gridhead).get(f"/registry/imports/{job.pk}/").status_code == 404
    assert client_for(official).get(f"/registry/imports/{job.pk}/progress/").status_code == 200


def test_a_neighbouring_grid_is_refused(net, worker):
    theirs = home_in(net.m2, "锦丰新城9栋909")
    response = client_for(worker).post(
        URL, {"file": upload(xlsx(good_rows(1, ""))), "household_id": theirs.pk}
    )
    assert response.status_code == 404
    assert not ImportJob.objects.exists()


def test_a_department_may_not_import(net, dept):
    response = client_for(dept).post(URL, {"file": upload(xlsx(good_rows(1, ADDRESS)))})
    assert response.status_code == 403
    assert not ImportJob.objects.exists()


def test_a_large_file_runs_in_the_background_and_can_be_polled(net, official, monkeypatch):
    home_in(net.m1, ADDRESS)
    monkeypatch.setattr(imports, "INLINE_ROWS", 0)
    client = client_for(official)
    response = client.post(URL, {"file": upload(xlsx(good_rows(5, ADDRESS)))})
    assert response.status_code == 202
    job_id = response.json()["id"]
    assert client.get(f"{URL}/{job_id}").json()["status"] == "pending"
    page = client.get(f"/registry/imports/{job_id}/progress/").content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert DBTaskResult.objects.count() == 1  # queued for the worker
    assert Person.objects.count() == 0
    tasks.run_import.call(job_id)  # what the worker does
    assert ImportJob.objects.get().status == ImportStatus.DONE
    assert client.get(f"{URL}/{job_id}").json()["created"] == 5
    assert Person.objects.count() == 5


def test_an_import_run_later_is_audited_with_the_uploaders_address(net, official, monkeypatch):
    home_in(net.m1, ADDRESS)
    monkeypatch.setattr(imports, "INLINE_ROWS", 0)
    response = client_for(official).post(
        URL, {"file": upload(xlsx(good_rows(2, ADDRESS)))}, REMOTE_ADDR="10.20.30.40"
    )
    assert response.status_code == 202
    tasks.run_import.call(response.json()["id"])  # the worker, with no request of its own
    event = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert (event.actor, event.ip) == (official, "10.20.30.40")
    assert Person.objects.count() == 2


def test_the_template_has_chinese_headers_and_english_keys(net, official):
    for url in (f"{URL}/template.xlsx", "/registry/imports/template.xlsx"):
        response = client_for(official).get(url)
        assert response.status_code == 200
        rows = read_xlsx(b"".join(response.streaming_content))
        assert rows[0][:2] == ["姓名", "身份证号"]
        assert rows[1][:2] == ["name", "id_number"]
