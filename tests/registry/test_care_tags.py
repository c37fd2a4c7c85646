from __future__ import annotations

import datetime as dt

import pytest

from finegrid.accounts.models import Role, RoleAssignment, User
from finegrid.core.errors import InvalidInput
from finegrid.registry import selectors, services
from finegrid.registry.models import CareTag
from tests.conftest import Net
from tests.registry.helpers import home_in, make_id, register


def test_a_care_tag_is_stored_encrypted(worker: User, net: Net) -> None:
    person = register(worker, home_in(net.m1))
    services.care_tag_add(
        actor=worker,
        person=person,
        kind="disabled",
        attributes={"category": "visual", "level": "2"},
    )
    tag = CareTag.objects.get()
    assert "disabled" not in tag.payload_enc and "visual" not in tag.payload_enc
    assert tag.attributes() == {"kind": "disabled", "category": "visual", "level": 2}


def test_a_disability_needs_category_and_level(worker: User, net: Net) -> None:
    person = register(worker, home_in(net.m1))
    with pytest.raises(InvalidInput) as caught:
        services.care_tag_add(
            actor=worker,
            person=person,
            kind="disabled",
            attributes={"category": "visual", "level": 7},
        )
    assert caught.value.problems[0].field == "level"
    with pytest.raises(InvalidInput):
        services.care_tag_add(actor=worker, person=person, kind="aged_80")  # derived, never tagged
    assert CareTag.objects.count() == 0


def test_each_role_sees_the_tags_its_duty_needs(
    worker: User, official: User, dept: User, net: Net
) -> None:
    person = register(worker, home_in(net.m1))
    services.care_tag_add(actor=official, person=person, kind="living_alone")
    services.care_tag_add(
        actor=official, person=person, kind="key_attention", attributes={"category": "社区矫正"}
    )
    kinds = {
        u.username: [t.kind for t in selectors.care_tags_for(user=u, people=[person])[person.pk]]
        for u in (worker, official, dept)
    }
    assert kinds == {
        "worker": ["living_alone"],
        "official": ["living_alone", "key_attention"],
        "dept": [],
    }


def test_aged_80_is_derived_from_the_birth_date(worker: User, net: Net) -> None:
    today = dt.date(2026, 11, 22)
    old = register(
        worker, home_in(net.m1), name="陈奶奶", id_number=make_id(born="19461122", seq="802")
    )
    young = register(
        worker, home_in(net.m1, "2栋"), name="陈小妹", id_number=make_id(born="19461123", seq="802")
    )
    tags = selectors.care_tags_for(user=worker, people=[old, young], today=today)
    assert [(t.kind, t.attributes) for t in tags[old.pk]] == [("aged_80", {"age": 80})]
    assert tags[young.pk] == []
    assert list(selectors.special_population(user=worker, kind="aged_80", today=today)) == [old]


def test_the_special_population_list_is_scoped_and_by_kind(
    worker: User, neighbour: User, leader: User, net: Net
) -> None:
    alone = register(worker, home_in(net.m1), name="独居甲")
    services.care_tag_add(actor=worker, person=alone, kind="living_alone")
    other = register(neighbour, home_in(net.m2, "2栋"), name="独居乙")
    services.care_tag_add(actor=neighbour, person=other, kind="living_alone")
    assert list(selectors.special_population(user=worker, kind="living_alone")) == [alone]
    assert set(selectors.special_population(user=leader, kind="living_alone")) == {alone, other}
    assert list(selectors.special_population(user=worker, kind="low_income")) == []


def test_a_micro_grid_worker_does_not_see_low_income_tags(worker: User, net: Net) -> None:
    person = register(worker, home_in(net.m1))
    head = User.objects.create_user(username="h2", password="x" * 12)
    RoleAssignment.objects.create(user=head, role=Role.GRID_HEAD, grid=net.g1)
    services.care_tag_add(
        actor=head, person=person, kind="low_income", attributes={"certificate": "DB-001"}
    )
    assert selectors.care_tags_for(user=worker, people=[person])[person.pk] == []
    assert [t.kind for t in selectors.care_tags_for(user=head, people=[person])[person.pk]] == [
        "low_income"
    ]


def test_a_worker_cannot_record_a_tag_their_duties_do_not_cover(worker: User, net: Net) -> None:
    from finegrid.core.errors import Forbidden

    person = register(worker, home_in(net.m1))
    with pytest.raises(Forbidden) as caught:
        services.care_tag_add(
            actor=worker, person=person, kind="key_attention", attributes={"category": "社区矫正"}
        )
    assert caught.value.field == "kind"
    assert CareTag.objects.count() == 0
