"""The community duty officer's roster: a month rotating among officials, 错时延时 included."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from finegrid.accounts.models import Role, User
from finegrid.core.errors import Forbidden, InvalidInput
from finegrid.workforce.models import Shift, ShiftKind
from finegrid.workforce.onduty import Reason, on_duty
from finegrid.workforce.services_leave import leave_create
from finegrid.workforce.services_roster import community_roster_generate, roster_shift_reassign
from tests.conftest import client_for

from .helpers_onduty import HOLIDAY, MONDAY, SATURDAY, at, make_holiday, names, person, staff

MARCH = dt.date(2027, 3, 1)


@pytest.fixture(autouse=True)
def _february(time_machine: Any) -> None:
    time_machine.move_to(at(dt.date(2027, 2, 20), "10:00"), tick=False)


@pytest.fixture
def second(net: Any) -> User:
    return person("official2", "钟秀英", Role.COMMUNITY_OFFICIAL, net.c1)


def test_a_month_rotates_among_the_officials_round_the_clock_outside_working_hours(
    net: Any, worker: User, gridhead: User, official: User, second: User, time_machine: Any
) -> None:
    staff(net, worker, gridhead)
    make_holiday()
    roster = community_roster_generate(actor=official, community=net.c1, month=MARCH)
    duty = Shift.objects.filter(kind=ShiftKind.COMMUNITY_DUTY, grid=net.c1).order_by("starts_at")
    assert duty.count() == 31 and roster.gaps == []
    people = list(duty.values_list("person__username", flat=True))
    assert people[:4] == ["official", "official2", "official", "official2"]
    # a working day: from the end of working hours to the next morning
    monday = duty.get(starts_at=at(MONDAY, "17:30"))
    assert monday.ends_at == at(MONDAY + dt.timedelta(days=1), "09:00")
    # the holiday and the weekend: round the clock from the morning
    assert duty.filter(starts_at=at(HOLIDAY, "09:00")).exists()
    assert duty.filter(starts_at=at(SATURDAY, "09:00")).exists()
    # 错时延时: the grid head has extended evenings and rest-day mornings on their grid
    extended = Shift.objects.filter(kind=ShiftKind.EXTENDED, person=gridhead, grid=net.g1)
    assert extended.filter(starts_at=at(MONDAY, "17:30")).exists()
    assert extended.filter(starts_at=at(HOLIDAY, "09:00")).exists()

    # and on duty now reads it
    time_machine.move_to(at(SATURDAY, "20:00"), tick=False)
    result = on_duty(grid=net.m1)
    assert [e.reason for e in result.entries] == [Reason.MICRO_WORKER, Reason.COMMUNITY_DUTY]
    time_machine.move_to(at(MONDAY, "18:00"), tick=False)
    assert names(on_duty(grid=net.m1))[:2] == ["蔡如欣", "张志强"]


def test_an_official_on_leave_is_passed_over(net: Any, official: User, second: User) -> None:
    leave_create(
        actor=official,
        person=official,
        starts_at=at(MARCH, "00:00"),
        ends_at=at(dt.date(2027, 3, 31), "00:00"),
        reason="产假",
    )
    community_roster_generate(actor=official, community=net.c1, month=MARCH)
    duty = Shift.objects.filter(kind=ShiftKind.COMMUNITY_DUTY, grid=net.c1)
    assert set(duty.values_list("person__username", flat=True)) == {"official2", "official"}
    assert duty.filter(person=official).count() == 1  # only the last night, after the leave


def test_a_second_generation_of_the_same_month_is_refused_unless_replaced(
    net: Any, official: User
) -> None:
    community_roster_generate(actor=official, community=net.c1, month=MARCH)
    with pytest.raises(InvalidInput) as err:
        community_roster_generate(actor=official, community=net.c1, month=MARCH)
    assert err.value.problems[0].field == "month"
    community_roster_generate(actor=official, community=net.c1, month=MARCH, replace=True)
    assert Shift.objects.filter(kind=ShiftKind.COMMUNITY_DUTY).count() == 31


def test_a_community_without_officials_is_refused(net: Any, leader: User) -> None:
    with pytest.raises(InvalidInput) as err:
        community_roster_generate(actor=leader, community=net.c2, month=MARCH)
    assert err.value.problems[0].field == "grid"
    assert Shift.objects.count() == 0


def test_a_grid_head_may_not_set_the_roster(net: Any, official: User, gridhead: User) -> None:
    with pytest.raises(Forbidden):
        community_roster_generate(actor=gridhead, community=net.c1, month=MARCH)
    assert Shift.objects.count() == 0


def test_reassigning_a_shift_follows_the_shared_rules(
    net: Any, official: User, second: User
) -> None:
    community_roster_generate(actor=official, community=net.c1, month=MARCH)
    first = Shift.objects.filter(kind=ShiftKind.COMMUNITY_DUTY).order_by("starts_at")[0]
    nxt = Shift.objects.filter(kind=ShiftKind.COMMUNITY_DUTY).order_by("starts_at")[1]
    other = second if first.person_id == official.pk else official
    moved = roster_shift_reassign(actor=official, shift=first, person=other)
    assert moved.person_id == other.pk
    # the second shift's holder cannot take a shift that overlaps theirs — none does here, but
    # the shift's own holder can't be doubled: moving the second onto the same person works too
    roster_shift_reassign(actor=official, shift=nxt, person=other)
    assert Shift.objects.filter(person=other, kind=ShiftKind.COMMUNITY_DUTY).count() >= 2


def test_the_roster_page_generates_and_shows_the_month(
    net: Any, official: User, second: User
) -> None:
    client = client_for(official)
    response = client.post("/workforce/duty/C1/", {"month": "2027-03"})
    assert response.status_code == 302
    page = client.get("/workforce/duty/C1/?month=2027-03")
    assert page.status_code == 200
    text = page.content.decode()
    assert "锦丰社区" in text and "钟秀英" in text and 'id="roster"' in text
    assert Shift.objects.filter(kind=ShiftKind.COMMUNITY_DUTY).count() == 31


def test_the_roster_page_reassigns_a_shift(net: Any, official: User, second: User) -> None:
    community_roster_generate(actor=official, community=net.c1, month=MARCH)
    shift = Shift.objects.filter(kind=ShiftKind.COMMUNITY_DUTY, person=official).first()
    assert shift is not None
    response = client_for(official).post(
        f"/workforce/duty/C1/shifts/{shift.pk}/", {"person": "official2"}
    )
    assert response.status_code == 302
    shift.refresh_from_db()
    assert shift.person_id == second.pk


def test_the_neighbouring_grid_is_refused_the_roster_page(
    net: Any, official: User, neighbour: User
) -> None:
    other = person("c2off", "高堆官员", Role.COMMUNITY_OFFICIAL, net.c2)
    community_roster_generate(actor=official, community=net.c1, month=MARCH)
    assert client_for(other).get("/workforce/duty/C1/?month=2027-03").status_code == 403
    response = client_for(other).post("/workforce/duty/C1/", {"month": "2027-04"})
    assert response.status_code == 403
    assert (
        client_for(neighbour).post("/workforce/duty/C1/", {"month": "2027-04"}).status_code == 403
    )
    assert not Shift.objects.filter(starts_at__gte=at(dt.date(2027, 4, 1), "00:00")).exists()
