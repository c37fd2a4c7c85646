from __future__ import annotations

import pytest

from finegrid.accounts.models import User
from finegrid.cases import services
from finegrid.cases.models import Case, CaseEvent
from finegrid.core.errors import InvalidInput
from finegrid.grids.services import household_create
from tests.cases.helpers import MONDAY_10
from tests.conftest import Net


def _report(**kw: object) -> services.CaseReport:
    base: dict[str, object] = {
        "category": "sanitation",
        "description": "垃圾未清运",
        "source": "patrol",
        "lat": 30.01,
        "lng": 104.005,
    }
    return services.CaseReport(**{**base, **kw})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"lat": 31.5}, "lat"),  # outside every grid
        ({"lat": None, "lng": None}, "lat"),  # no location
        ({"category": "nonsense"}, "category"),
        ({"description": " "}, "description"),
        ({"source": "pigeon"}, "source"),
        ({"reporter_phone": "12345"}, "reporter_phone"),
    ],
)
def test_bad_reports_name_the_field_and_write_nothing(
    net: Net, worker: User, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        services.case_report(actor=worker, report=_report(**changes))
    assert field in {p.field for p in caught.value.problems}
    assert Case.objects.count() == 0 and CaseEvent.objects.count() == 0


def test_a_case_can_be_placed_by_household(net: Net, worker: User) -> None:
    home = household_create(address="锦丰新城C区5栋", lat=30.005, lng=104.015)
    case, _ = services.case_report(
        actor=worker, report=_report(lat=None, lng=None, household_id=home.pk)
    )
    assert case.micro_grid == net.m2 and case.address == "锦丰新城C区5栋"


def test_an_anonymous_resident_reports_with_a_masked_phone(net: Net) -> None:
    case, _ = services.case_report(
        actor=None,
        report=_report(source="resident", reporter_name="王女士", reporter_phone="13812345678"),
    )
    assert case.reporter is None and case.reporter_phone_masked == "138****5678"
    assert "13812345678" not in case.reporter_phone_enc


def test_the_same_idempotency_key_and_body_answers_the_first_case(net: Net, worker: User) -> None:
    first, created = services.case_report(
        actor=worker, report=_report(), idempotency_key="k-1", now=MONDAY_10
    )
    again, created_again = services.case_report(
        actor=worker, report=_report(), idempotency_key="k-1", now=MONDAY_10
    )
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk and Case.objects.count() == 1


def test_the_same_key_with_another_body_is_refused(net: Net, worker: User) -> None:
    services.case_report(actor=worker, report=_report(), idempotency_key="k-1")
    with pytest.raises(services.IdempotencyMismatch) as caught:
        services.case_report(
            actor=worker, report=_report(description="另一件事"), idempotency_key="k-1"
        )
    assert caught.value.status == 422 and caught.value.problems[0].field == "Idempotency-Key"
    assert Case.objects.count() == 1


def test_keys_are_per_caller(net: Net, worker: User, neighbour: User) -> None:
    services.case_report(actor=worker, report=_report(), idempotency_key="k-1")
    services.case_report(actor=neighbour, report=_report(lng=104.015), idempotency_key="k-1")
    assert Case.objects.count() == 2
