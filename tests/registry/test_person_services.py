from __future__ import annotations

import datetime as dt

import pytest

from finegrid.accounts.models import User
from finegrid.core import pii
from finegrid.core.errors import InvalidInput, NotFound
from finegrid.core.models import AuditEvent
from finegrid.registry import selectors, services
from finegrid.registry.models import EndReason, Membership, Person
from tests.conftest import Net
from tests.registry.helpers import home_in, make_id, register


def test_a_registered_person_is_stored_encrypted_indexed_and_masked(worker: User, net: Net) -> None:
    home = home_in(net.m1)
    number = make_id()
    person = register(worker, home, id_number=number, phone="138 1234 5678", relation="head")
    row = Person.objects.get(pk=person.pk)
    assert number not in row.id_number_enc and "13812345678" not in row.phone_enc
    assert pii.decrypt(row.id_number_enc) == number
    assert row.id_number_masked == number[:3] + "*" * 11 + number[-4:]
    assert row.phone_masked == "138****5678"
    assert row.birth_date == dt.date(1990, 3, 7) and row.gender == "male"
    assert (row.name_pinyin, row.name_initials) == ("zhangsan", "zs")
    assert row.grid_path == net.m1.path
    assert Membership.objects.get(person=row).moved_out is None
    event = AuditEvent.objects.get(action="create", target_id=str(row.pk))
    assert "id_number" in event.fields and event.actor == worker


def test_an_old_fifteen_digit_number_is_converted(worker: User, net: Net) -> None:
    person = register(worker, home_in(net.m1), id_number="510114900307803")
    assert pii.decrypt(person.id_number_enc) == make_id(born="19900307")


@pytest.mark.parametrize(
    ("id_number", "words"),
    [
        (make_id()[:-1] + ("0" if make_id()[-1] != "0" else "1"), "check digit"),
        ("51011419900230" + "8031", "not a real date"),
        (make_id(region="999999"), "region code"),
        ("51011419900307", "18 characters"),
    ],
)
def test_a_bad_id_number_is_refused_naming_the_field(
    worker: User, net: Net, id_number: str, words: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        register(worker, home_in(net.m1), id_number=id_number)
    problem = caught.value.as_dict()["errors"][0]
    assert problem["field"] == "id_number" and words in problem["message_en"]
    assert Person.objects.count() == 0 and AuditEvent.objects.count() == 0


def test_the_same_id_number_cannot_be_registered_twice(worker: User, net: Net) -> None:
    home = home_in(net.m1)
    register(worker, home, id_number=make_id())
    with pytest.raises(InvalidInput) as caught:
        register(worker, home, name="李四", id_number=make_id())
    assert caught.value.problems[0].field == "id_number"
    assert Person.objects.count() == 1


def test_a_child_without_a_document_is_allowed_and_marked(worker: User, net: Net) -> None:
    child = register(
        worker, home_in(net.m1), name="小明", birth_date=dt.date(2022, 5, 1), relation="child"
    )
    assert child.document_type == "none" and child.id_number_masked == ""


def test_a_worker_cannot_register_into_the_neighbouring_grid(worker: User, net: Net) -> None:
    with pytest.raises(NotFound):
        register(worker, home_in(net.m2))
    assert Person.objects.count() == 0


def test_a_department_cannot_write_the_registry(dept: User, net: Net) -> None:
    from finegrid.core.errors import Forbidden

    with pytest.raises(Forbidden):
        register(dept, home_in(net.m1))


def test_changing_the_phone_reseals_it_and_audits_only_field_names(worker: User, net: Net) -> None:
    person = register(worker, home_in(net.m1), id_number=make_id(), phone="13812345678")
    services.person_update(
        actor=worker, person=person, changes={"phone": "13987654321", "occupation": "外卖骑手"}
    )
    row = Person.objects.get(pk=person.pk)
    assert pii.decrypt(row.phone_enc) == "13987654321" and row.phone_masked == "139****4321"
    assert row.occupation == "外卖骑手"
    event = AuditEvent.objects.filter(action="update").get()
    assert event.fields == ["occupation", "phone"]
    assert "13987654321" not in str(event.fields) + event.target_label


def test_moving_keeps_the_history(worker: User, gridhead: User, net: Net) -> None:
    first, second = home_in(net.m1), home_in(net.m2, "锦丰新城2栋")
    person = register(worker, first)
    services.person_move(
        actor=gridhead, person=person, household=second, relation="tenant", on=dt.date.today()
    )
    stays = list(
        Membership.objects.filter(person=person)
        .order_by("id")
        .values_list("household_id", "end_reason")
    )
    assert stays == [(first.pk, EndReason.MOVED), (second.pk, "")]
    person.refresh_from_db()
    assert person.grid_path == net.m2.path
    # the worker of M1 no longer sees them; the grid head of G1 still does
    assert list(selectors.person_list(user=worker)) == []
    assert [p.pk for p in selectors.person_list(user=gridhead)] == [person.pk]


def test_a_death_closes_the_stay_and_the_tags(worker: User, net: Net) -> None:
    person = register(worker, home_in(net.m1))
    services.care_tag_add(actor=worker, person=person, kind="living_alone")
    services.person_record_death(actor=worker, person=person, on=dt.date.today())
    person.refresh_from_db()
    assert person.deceased_on == dt.date.today() and person.household is None
    assert Membership.objects.get(person=person).end_reason == EndReason.DIED
    assert person.care_tags.get().ended_on == dt.date.today()
    with pytest.raises(InvalidInput):
        services.person_move(actor=worker, person=person, household=home_in(net.m1, "别处"))


def test_unmasking_needs_a_reason_and_is_audited(worker: User, neighbour: User, net: Net) -> None:
    person = register(worker, home_in(net.m1), phone="13812345678")
    with pytest.raises(InvalidInput) as caught:
        services.person_unmask(actor=worker, person=person, field_name="phone", reason=" ")
    assert caught.value.problems[0].field == "reason"
    assert not AuditEvent.objects.filter(action="unmask").exists()
    assert (
        services.person_unmask(
            actor=worker, person=person, field_name="phone", reason="上门走访核实"
        )
        == "13812345678"
    )
    event = AuditEvent.objects.get(action="unmask")
    assert (event.actor, event.fields, event.reason) == (worker, ["phone"], "上门走访核实")
    with pytest.raises(NotFound):
        services.person_unmask(actor=neighbour, person=person, field_name="phone", reason="好奇")
    assert AuditEvent.objects.filter(action="unmask").count() == 1


def test_audit_events_cannot_be_changed_or_deleted(worker: User, net: Net) -> None:
    register(worker, home_in(net.m1))
    event = AuditEvent.objects.get()
    event.reason = "篡改"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    assert AuditEvent.objects.get().reason == ""
