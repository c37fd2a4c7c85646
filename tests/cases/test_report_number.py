"""A new case's number, the day and its id, is written by the one INSERT that makes the case, and
follows the id even past ids that were given once and are gone."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from finegrid.accounts.models import User
from finegrid.cases import clock
from finegrid.cases.models import Case
from tests.cases.helpers import MONDAY_10, report, staff_net
from tests.conftest import Net


@pytest.fixture(autouse=True)
def _frozen(time_machine: Any) -> None:
    time_machine.move_to(MONDAY_10, tick=False)


def expected(case: Case) -> str:
    return f"{case.reported_at.astimezone(clock.LOCAL):%Y%m%d}{case.pk:06d}"


def skip_ids(n: int) -> None:
    """Ids taken by rows since gone (a deleted case; on PostgreSQL also a rolled-back one)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "UPDATE sqlite_sequence SET seq = seq + %s WHERE name = %s", [n, "cases_case"]
            )
        else:
            for _ in range(n):
                cursor.execute("SELECT nextval(pg_get_serial_sequence('cases_case', 'id'))")


def test_the_number_is_the_day_and_the_id_written_without_an_update(
    net: Net, worker: User, gridhead: User
) -> None:
    staff_net(net, worker, gridhead)
    first = report(worker)
    with CaptureQueriesContext(connection) as ctx:
        second = report(worker)
    assert not [q for q in ctx.captured_queries if q["sql"].startswith("UPDATE")]
    for case in (first, second):
        stored = Case.objects.get(pk=case.pk)
        assert case.number == stored.number == expected(stored)
        assert stored.number.startswith(f"{MONDAY_10.astimezone(clock.LOCAL):%Y%m%d}")
    assert second.pk == first.pk + 1


def test_the_number_follows_the_id_past_ids_given_before(
    net: Net, worker: User, gridhead: User
) -> None:
    staff_net(net, worker, gridhead)
    first = report(worker)
    skip_ids(5)
    later = report(worker)
    stored = Case.objects.get(pk=later.pk)
    assert stored.pk == first.pk + 6
    assert later.number == stored.number == expected(stored)
