"""The people export: the user's jurisdiction only, masked as on screen, audited, and refused
to roles that do not keep ledgers."""

from __future__ import annotations

from finegrid.core.models import AuditEvent
from tests.conftest import client_for, sent_home
from tests.registry.helpers import home_in, make_id, register
from tests.registry.ledger import read_xlsx

ID = make_id()


def _people(net, leader):
    register(leader, home_in(net.m1, "锦丰1号"), name="张三", id_number=ID, phone="13812345678")
    register(leader, home_in(net.m3, "高堆1号"), name="李四")


def _rows(response):
    assert response.status_code == 200, response.content
    return read_xlsx(b"".join(response.streaming_content))


def test_the_export_is_masked_and_audited(net, leader, official):
    _people(net, leader)
    for url in ("/registry/people/export.xlsx", "/api/v1/registry/people/export.xlsx"):
        rows = _rows(client_for(official).get(url))
        assert [r[0] for r in rows[2:]] == ["张三"]  # 李四 lives in C2
        text = repr(rows)
        assert ID not in text and "13812345678" not in text
        assert rows[2][1] == ID[:3] + "*" * 11 + ID[-4:]
        assert rows[2][3] == "138****5678"
    events = AuditEvent.objects.filter(action="export", actor=official)
    assert events.count() == 2
    assert events.first().target_label.endswith("× 1")


def test_the_export_follows_the_grid_asked_for(net, leader):
    _people(net, leader)
    rows = _rows(client_for(leader).get("/registry/people/export.xlsx?grid=C2"))
    assert [r[0] for r in rows[2:]] == ["李四"]


def test_a_neighbouring_grid_is_refused(net, leader, gridhead):
    _people(net, leader)
    assert client_for(gridhead).get("/registry/people/export.xlsx?grid=C2").status_code == 404
    assert not AuditEvent.objects.filter(action="export").exists()


def test_departments_residents_and_workers_may_not_export(net, leader, dept, resident, worker):
    _people(net, leader)
    for user in (dept, resident, worker):
        page = client_for(user).get("/registry/people/export.xlsx")
        assert page.status_code == 403 if user is not resident else sent_home(page)
        assert client_for(user).get("/api/v1/registry/people/export.xlsx").status_code == 403
    assert not AuditEvent.objects.filter(action="export").exists()


def test_a_stored_control_character_does_not_break_the_export(net, leader, official):
    from finegrid.registry.models import Person

    person = register(leader, home_in(net.m1, "锦丰1号"), name="张三")
    # as a record written before input was checked holds it
    Person.objects.filter(pk=person.pk).update(name="张\x07三", notes="独居\x1b\n每周走访")
    rows = _rows(client_for(official).get("/registry/people/export.xlsx"))
    assert rows[2][0] == "张三"
    assert rows[2][13] == "独居\n每周走访"
    assert AuditEvent.objects.filter(action="export", actor=official).count() == 1
