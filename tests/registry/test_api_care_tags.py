"""Care tags through the API: each caller sees and sets only the kinds their duties need."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.test import Client

from finegrid.accounts.models import User
from finegrid.core.models import AuditEvent
from finegrid.registry import services
from finegrid.registry.models import CareTag
from tests.conftest import Net, client_for
from tests.registry.helpers import home_in, register


def post(c: Client, url: str, body: dict[str, Any]) -> Any:
    return c.post(url, json.dumps(body), content_type="application/json")


def test_a_worker_adds_a_tag_and_reads_it_back(worker: User, net: Net) -> None:
    person = register(worker, home_in(net.m1))
    r = post(
        client_for(worker),
        f"/api/v1/registry/people/{person.pk}/care-tags",
        {"kind": "disabled", "attributes": {"category": "visual", "level": "2"}},
    )
    assert r.status_code == 201, r.content
    assert r.json()["attributes"] == {"category": "visual", "level": 2}
    tag = CareTag.objects.get(person=person)
    assert "visual" not in tag.payload_enc
    listed = client_for(worker).get(f"/api/v1/registry/people/{person.pk}/care-tags").json()
    assert [t["kind"] for t in listed] == ["disabled"]


def test_a_micro_grid_worker_does_not_see_low_income_tags(
    worker: User, gridhead: User, net: Net
) -> None:
    person = register(gridhead, home_in(net.m1), birth_date=dt.date(1930, 1, 1))
    services.care_tag_add(actor=gridhead, person=person, kind="low_income")
    services.care_tag_add(actor=gridhead, person=person, kind="living_alone")
    url = f"/api/v1/registry/people/{person.pk}/care-tags"
    mine = {t["kind"] for t in client_for(worker).get(url).json()}
    assert mine == {"living_alone", "aged_80"}
    theirs = {t["kind"] for t in client_for(gridhead).get(url).json()}
    assert theirs == {"living_alone", "aged_80", "low_income"}


def test_a_worker_may_not_set_a_kind_they_may_not_see(worker: User, net: Net) -> None:
    person = register(worker, home_in(net.m1))
    r = post(
        client_for(worker),
        f"/api/v1/registry/people/{person.pk}/care-tags",
        {"kind": "key_attention"},
    )
    assert r.status_code == 403 and r.json()["field"] == "kind"
    assert not CareTag.objects.exists()


def test_an_unknown_attribute_is_422_naming_it(worker: User, net: Net) -> None:
    person = register(worker, home_in(net.m1))
    r = post(
        client_for(worker),
        f"/api/v1/registry/people/{person.pk}/care-tags",
        {"kind": "living_alone", "attributes": {"shoe_size": 42}},
    )
    assert r.status_code == 422 and r.json()["field"] == "shoe_size"
    assert not CareTag.objects.exists()


def test_ending_a_tag_keeps_it_with_its_date(worker: User, net: Net) -> None:
    person = register(worker, home_in(net.m1))
    tag = services.care_tag_add(actor=worker, person=person, kind="living_alone")
    r = post(client_for(worker), f"/api/v1/registry/care-tags/{tag.pk}/end", {"on": "2025-01-02"})
    assert r.status_code == 200 and r.json()["kind"] == "living_alone"
    assert CareTag.objects.get(pk=tag.pk).ended_on == dt.date(2025, 1, 2)
    assert AuditEvent.objects.filter(action="update", target_type="caretag").count() == 1
    assert client_for(worker).get(f"/api/v1/registry/people/{person.pk}/care-tags").json() == []


def test_the_neighbouring_grid_is_refused(worker: User, neighbour: User, net: Net) -> None:
    person = register(neighbour, home_in(net.m2))
    tag = services.care_tag_add(actor=neighbour, person=person, kind="living_alone")
    c = client_for(worker)
    assert c.get(f"/api/v1/registry/people/{person.pk}/care-tags").status_code == 404
    r = post(c, f"/api/v1/registry/people/{person.pk}/care-tags", {"kind": "disabled"})
    assert r.status_code == 404
    assert post(c, f"/api/v1/registry/care-tags/{tag.pk}/end", {}).status_code == 404
    assert CareTag.objects.get(pk=tag.pk).ended_on is None


def test_a_tag_of_an_unseen_kind_cannot_be_ended(worker: User, gridhead: User, net: Net) -> None:
    person = register(gridhead, home_in(net.m1))
    tag = services.care_tag_add(actor=gridhead, person=person, kind="low_income")
    r = post(client_for(worker), f"/api/v1/registry/care-tags/{tag.pk}/end", {})
    assert r.status_code == 404
    assert CareTag.objects.get(pk=tag.pk).ended_on is None


def test_roles_without_registry_access_are_refused(dept: User, leader: User, net: Net) -> None:
    person = register(leader, home_in(net.m1))
    r = client_for(dept).get(f"/api/v1/registry/people/{person.pk}/care-tags")
    assert r.status_code == 403
