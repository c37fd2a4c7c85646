"""The audit log: auditors read every unmasking; nobody else reads it."""

from __future__ import annotations

from typing import Any

import pytest

from finegrid.accounts.models import Role, RoleAssignment, User
from finegrid.core.models import AuditEvent
from tests.conftest import client_for
from tests.registry.helpers import home_in, make_id, register

URL = "/registry/audit/"


@pytest.fixture
def auditor(net: Any) -> User:
    user = User.objects.create_user(username="auditor", password="x", display_name="审计员")
    RoleAssignment.objects.create(user=user, role=Role.AUDITOR, grid=net.street)
    return user


@pytest.fixture
def unmasked(net: Any, leader: Any, worker: Any) -> None:
    person = register(leader, home_in(net.m1), "张三", id_number=make_id())
    client_for(worker).post(
        f"/registry/people/{person.pk}/unmask/id_number/", {"reason": "核对低保申请"}
    )


def test_the_auditor_sees_the_unmasking_with_who_and_why(auditor: Any, unmasked: None) -> None:
    response = client_for(auditor).get(URL)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-action="unmask"' in body and "核对低保申请" in body and "蔡如欣" in body
    assert make_id() not in body


def test_the_auditor_filters_by_action(auditor: Any, unmasked: None) -> None:
    body = client_for(auditor).get(URL, {"action": "create"}).content.decode()
    assert 'data-action="create"' in body and 'data-action="unmask"' not in body
    body = client_for(auditor).get(URL, {"actor": "worker"}).content.decode()
    assert 'data-action="unmask"' in body and 'data-action="create"' not in body


def test_others_are_refused(worker: Any, official: Any, unmasked: None) -> None:
    assert client_for(worker).get(URL).status_code == 403
    assert client_for(official).get(URL).status_code == 403


def test_the_log_is_read_only(auditor: Any, unmasked: None) -> None:
    before = AuditEvent.objects.count()
    assert client_for(auditor).post(URL, {"action": "unmask"}).status_code in (200, 405)
    assert AuditEvent.objects.count() == before


def test_the_menu_offers_the_log_to_auditors_only(auditor: Any, worker: Any) -> None:
    assert URL in client_for(auditor).get("/map/").content.decode()
    assert URL not in client_for(worker).get("/map/").content.decode()
