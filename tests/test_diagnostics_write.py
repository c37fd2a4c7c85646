"""POST /api/v1/diagnostics/write: one durable write, the case-creation benchmark's baseline."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from finegrid.accounts.models import ApiToken, User
from finegrid.core.models import WriteProbe

URL = "/api/v1/diagnostics/write"


def bearer(user: User) -> Client:
    _token, key = ApiToken.issue(user=user, name="test")
    return Client(headers={"Authorization": f"Bearer {key}"})


def post(client: Client, body: Any) -> Any:
    return client.post(URL, body, content_type="application/json")


@pytest.fixture
def diagnostics_on(settings: Any) -> None:
    settings.DIAGNOSTICS = True


def test_it_writes_one_row_for_a_token_holder(diagnostics_on: None, worker: User) -> None:
    r = post(bearer(worker), {"note": "probe"})
    assert r.status_code == 201
    probe = WriteProbe.objects.get()
    assert r.json() == {"id": probe.pk}
    assert (probe.user, probe.note) == (worker, "probe")


def test_it_is_switched_off_unless_the_setting_is_on(worker: User) -> None:
    r = post(bearer(worker), {"note": "probe"})
    assert r.status_code == 404
    assert r.json()["code"] == "not_found" and "FINEGRID_DIAGNOSTICS" in r.json()["message_en"]
    assert not WriteProbe.objects.exists()


def test_it_refuses_an_anonymous_caller(diagnostics_on: None, db: object) -> None:
    r = post(Client(), {"note": "probe"})
    assert r.status_code == 401
    assert not WriteProbe.objects.exists()


@pytest.mark.parametrize("body", [{}, {"note": ""}, {"note": "x" * 201}])
def test_it_refuses_a_bad_body_naming_the_field(
    diagnostics_on: None, worker: User, body: dict[str, str]
) -> None:
    r = post(bearer(worker), body)
    assert r.status_code == 422
    assert r.json()["field"] == "note" and r.json()["message"]
    assert not WriteProbe.objects.exists()
