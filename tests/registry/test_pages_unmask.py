"""Showing an ID number or phone in full: a reason, an audit row, and nothing otherwise."""

from __future__ import annotations

from typing import Any

import pytest

from finegrid.core.models import AuditAction, AuditEvent
from finegrid.registry.models import Person
from tests.conftest import client_for
from tests.registry.helpers import home_in, make_id, register

HX = {"HX-Request": "true"}


@pytest.fixture
def zhang(net: Any, leader: Any) -> Person:
    return register(leader, home_in(net.m1), "张三", id_number=make_id(), phone="13912345678")


def url(person: Person, field: str) -> str:
    return f"/registry/people/{person.pk}/unmask/{field}/"


def test_it_asks_for_a_reason_first(worker: Any, zhang: Person) -> None:
    response = client_for(worker).get(url(zhang, "phone"), headers=HX)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="reason"' in body and "13912345678" not in body
    assert not AuditEvent.objects.filter(action=AuditAction.UNMASK).exists()


def test_without_a_reason_nothing_is_shown_or_recorded(worker: Any, zhang: Person) -> None:
    response = client_for(worker).post(url(zhang, "phone"), {"reason": ""}, headers=HX)
    body = response.content.decode()
    assert "fg-field-error" in body and "13912345678" not in body
    assert not AuditEvent.objects.filter(action=AuditAction.UNMASK).exists()


def test_with_a_reason_it_shows_the_full_phone_and_records_it(worker: Any, zhang: Person) -> None:
    response = client_for(worker).post(url(zhang, "phone"), {"reason": "上门走访联系"}, headers=HX)
    assert "13912345678" in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(action=AuditAction.UNMASK)
    assert event.actor == worker and event.fields == ["phone"]
    assert event.reason == "上门走访联系" and event.target_id == str(zhang.pk)


def test_it_shows_the_full_id_number_on_a_page_without_htmx(worker: Any, zhang: Person) -> None:
    response = client_for(worker).post(url(zhang, "id_number"), {"reason": "核对身份"})
    body = response.content.decode()
    assert "<html" in body and make_id() in body
    assert AuditEvent.objects.filter(action=AuditAction.UNMASK, fields=["id_number"]).exists()


def test_a_neighbouring_grid_is_refused(neighbour: Any, zhang: Person) -> None:
    response = client_for(neighbour).post(url(zhang, "phone"), {"reason": "好奇"}, headers=HX)
    assert response.status_code == 404
    assert "13912345678" not in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.UNMASK).exists()


def test_only_id_number_and_phone_can_be_shown(worker: Any, zhang: Person) -> None:
    assert client_for(worker).post(url(zhang, "notes"), {"reason": "x y"}).status_code == 404
