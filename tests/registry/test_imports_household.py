"""An import places its rows in the importer's jurisdiction only."""

from __future__ import annotations

import pytest

from finegrid.core.errors import NotFound
from finegrid.registry import imports
from finegrid.registry.models import ImportStatus, Person
from tests.registry.helpers import home_in
from tests.registry.ledger import good_rows, upload, xlsx


def _no_address(rows):
    return [[r[0], r[1], r[2], "", r[4], r[5]] for r in rows]


def test_household_id_places_every_row_in_that_household(net, worker):
    home = home_in(net.m1, "锦丰新城2栋101")
    content = xlsx(_no_address(good_rows(3, "")))
    job = imports.import_start(actor=worker, upload=upload(content), household_id=home.pk)
    assert job.status == ImportStatus.DONE, job.errors
    assert Person.objects.filter(household=home).count() == 3


def test_a_worker_cannot_import_into_a_neighbours_household(net, worker):
    theirs = home_in(net.m2, "锦丰新城9栋909")
    with pytest.raises(NotFound):
        imports.import_start(
            actor=worker, upload=upload(xlsx(_no_address(good_rows(1, "")))), household_id=theirs.pk
        )
    assert Person.objects.count() == 0


def test_a_neighbours_address_is_a_row_error(net, worker):
    home_in(net.m2, "锦丰新城9栋909")
    job = imports.import_start(actor=worker, upload=upload(xlsx(good_rows(1, "锦丰新城9栋909"))))
    assert job.status == ImportStatus.REFUSED
    assert [(e["row"], e["field"]) for e in job.errors] == [(2, "address")]
    assert Person.objects.count() == 0
