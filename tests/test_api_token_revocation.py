"""An API token is read once a second per process: a revoked token, a deactivated user or a
withdrawn role is refused at once by the process that made the change, and by every other
process within a second."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from finegrid.accounts.models import ApiToken, RoleAssignment, User
from tests.conftest import Net

URL = "/api/v1/grids/M1"
T = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen(time_machine: Any) -> None:
    time_machine.move_to(T, tick=False)


def bearer(user: User) -> tuple[ApiToken, Client]:
    token, key = ApiToken.issue(user=user, name="phone")
    return token, Client(headers={"Authorization": f"Bearer {key}"})


def behind_our_back(sql: str, *params: Any) -> None:
    """A change made by another server process: this one hears no signal of it."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_a_second_request_reads_nothing_to_know_who_sent_it(net: Net, worker: User) -> None:
    _token, client = bearer(worker)
    assert client.get(URL).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == 200
    tables = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "accounts_apitoken" not in tables and "accounts_roleassignment" not in tables


def test_a_deleted_token_is_refused_at_once(net: Net, worker: User) -> None:
    token, client = bearer(worker)
    assert client.get(URL).status_code == 200
    token.delete()
    r = client.get(URL)
    assert r.status_code == 401 and r.json()["code"] == "unauthorized"
    assert not ApiToken.objects.filter(user=worker).exists()


def test_a_token_revoked_by_another_process_is_refused_within_a_second(
    net: Net, worker: User, time_machine: Any
) -> None:
    token, client = bearer(worker)
    assert client.get(URL).status_code == 200
    behind_our_back("DELETE FROM accounts_apitoken WHERE id = %s", token.pk)
    time_machine.shift(dt.timedelta(milliseconds=999))
    assert client.get(URL).status_code == 200  # what this process read under a second ago
    time_machine.shift(dt.timedelta(milliseconds=1))
    assert client.get(URL).status_code == 401
    assert not ApiToken.objects.filter(pk=token.pk).exists()


def test_a_deactivated_user_is_refused_at_once(net: Net, worker: User) -> None:
    _token, client = bearer(worker)
    assert client.get(URL).status_code == 200
    worker.is_active = False
    worker.save(update_fields=["is_active"])
    assert client.get(URL).status_code == 401
    assert ApiToken.objects.filter(user=worker).exists()


def test_a_user_deactivated_by_another_process_is_refused_within_a_second(
    net: Net, worker: User, time_machine: Any
) -> None:
    _token, client = bearer(worker)
    assert client.get(URL).status_code == 200
    behind_our_back("UPDATE accounts_user SET is_active = %s WHERE id = %s", False, worker.pk)
    time_machine.shift(dt.timedelta(seconds=1))
    assert client.get(URL).status_code == 401


def test_a_withdrawn_role_no_longer_opens_its_grid(net: Net, worker: User) -> None:
    _token, client = bearer(worker)
    assert client.get(URL).status_code == 200
    RoleAssignment.objects.get(user=worker).delete()
    assert client.get(URL).status_code == 404
    assert not RoleAssignment.objects.filter(user=worker).exists()


def test_a_role_withdrawn_by_another_process_closes_its_grid_within_a_second(
    net: Net, worker: User, time_machine: Any
) -> None:
    _token, client = bearer(worker)
    assert client.get(URL).status_code == 200
    behind_our_back("DELETE FROM accounts_roleassignment WHERE user_id = %s", worker.pk)
    time_machine.shift(dt.timedelta(seconds=1))
    assert client.get(URL).status_code == 404


def test_a_clock_set_back_does_not_keep_a_revoked_token_alive(
    net: Net, worker: User, time_machine: Any
) -> None:
    token, client = bearer(worker)
    assert client.get(URL).status_code == 200
    behind_our_back("DELETE FROM accounts_apitoken WHERE id = %s", token.pk)
    time_machine.move_to(T - dt.timedelta(hours=1), tick=False)
    assert client.get(URL).status_code == 401
