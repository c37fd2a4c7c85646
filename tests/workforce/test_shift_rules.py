"""The rules every roster shares: no person on two shifts at once, and all or nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from finegrid.core.errors import InvalidInput
from finegrid.workforce.models import Shift, ShiftKind
from finegrid.workforce.services_shifts import (
    ShiftSpec,
    shift_create,
    shift_update,
    shifts_create_many,
)


def _at(hours: float) -> dt.datetime:
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return start + dt.timedelta(days=1, hours=hours)


def _spec(user: Any, grid: Any, start: float, end: float) -> ShiftSpec:
    return ShiftSpec(user.pk, ShiftKind.STATION_DUTY, grid.pk, _at(start), _at(end))


def test_it_refuses_a_shift_that_overlaps_one_of_the_same_person(net: Any, gridhead: Any) -> None:
    shift_create(spec=_spec(gridhead, net.g1, 9, 12))
    with pytest.raises(InvalidInput) as err:
        shift_create(spec=_spec(gridhead, net.g1, 11, 14))
    assert err.value.problems[0].field == "starts_at"
    assert Shift.objects.count() == 1


def test_a_batch_with_one_bad_shift_writes_nothing_and_names_the_row(
    net: Any, gridhead: Any, official: Any
) -> None:
    specs = [
        _spec(gridhead, net.g1, 9, 12),
        _spec(official, net.g1, 9, 12),
        _spec(gridhead, net.g1, 13, 12),
    ]
    with pytest.raises(InvalidInput) as err:
        shifts_create_many(specs=specs)
    assert [(p.row, p.field) for p in err.value.problems] == [(3, "ends_at")]
    assert Shift.objects.count() == 0


def test_a_batch_that_overlaps_itself_is_refused(net: Any, gridhead: Any) -> None:
    with pytest.raises(InvalidInput) as err:
        shifts_create_many(specs=[_spec(gridhead, net.g1, 9, 12), _spec(gridhead, net.g1, 10, 11)])
    assert err.value.problems[0].row == 2
    assert Shift.objects.count() == 0


def test_moving_a_shift_ignores_itself_but_not_others(net: Any, gridhead: Any) -> None:
    first = shift_create(spec=_spec(gridhead, net.g1, 9, 12))
    shift_create(spec=_spec(gridhead, net.g1, 14, 17))
    moved = shift_update(shift=first, spec=_spec(gridhead, net.g1, 8, 11))
    assert (moved.starts_at, moved.ends_at) == (_at(8), _at(11))
    with pytest.raises(InvalidInput):
        shift_update(shift=first, spec=_spec(gridhead, net.g1, 13, 15))
    first.refresh_from_db()
    assert first.starts_at == _at(8)
    assert first.grid_path == net.g1.path
