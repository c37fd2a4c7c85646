"""The taxonomy's services are told where an act came from by an Origin, never the request:
the audit row keeps the address, from the API and from a caller that has no request."""

from __future__ import annotations

from finegrid.accounts.models import User
from finegrid.cases import services_taxonomy as services
from finegrid.core.audit import Origin
from finegrid.core.models import AuditEvent
from tests.cases.taxonomy_helpers import NEW_CATEGORY
from tests.conftest import client_for


def test_a_service_call_keeps_the_origin_it_is_given(leader: User) -> None:
    spec = services.CategorySpec(name="噪声扰民", name_en="Noise nuisance")
    made = services.category_create(
        actor=leader, code="noise", spec=spec, origin=Origin(ip="203.0.113.7")
    )
    audit = AuditEvent.objects.get(target_type="category", target_id=str(made.pk))
    assert (audit.actor, audit.action, audit.ip) == (leader, "create", "203.0.113.7")


def test_the_api_hands_the_callers_address_on(leader: User) -> None:
    r = client_for(leader).post(
        "/api/v1/cases/categories",
        NEW_CATEGORY,
        content_type="application/json",
        REMOTE_ADDR="198.51.100.4",
    )
    assert r.status_code == 201, r.json()
    assert AuditEvent.objects.get(target_type="category").ip == "198.51.100.4"
