"""An exited worker loses their grid roles in the same transaction as the move: their duties
end (kept as history), their worker roles go, the grids they served end — or nothing happens."""

from __future__ import annotations

from typing import Any

import pytest

from finegrid.accounts.jurisdiction import scope_for
from finegrid.accounts.models import Role, RoleAssignment, User
from finegrid.grids import services as grid_services
from finegrid.grids.models import Duty, Responsibility
from finegrid.workforce import services_workers as services
from finegrid.workforce.models import WorkerEvent, WorkerGrid, WorkerStatus
from tests.conftest import Net
from tests.workforce.helpers_workers import profile


def _staffed(net: Net, leader: User, worker: User) -> Any:
    grid_services.responsibility_assign(person=worker, duty=Duty.MICRO_WORKER, grid=net.m1)
    grid_services.responsibility_assign(person=worker, duty=Duty.SAFETY_HEAD, grid=net.g1)
    return profile(worker, net.m1, actor=leader, more=[net.m2])


def test_exit_ends_duties_roles_and_grids_at_once(net: Net, leader: User, worker: User) -> None:
    w = _staffed(net, leader, worker)
    assert RoleAssignment.objects.filter(user=worker, role=Role.MICRO_WORKER).exists()
    services.worker_move(actor=leader, worker=w, to=WorkerStatus.EXITED, reason="迁出辖区")
    assert not Responsibility.objects.current().filter(person=worker).exists()
    ended = Responsibility.objects.filter(person=worker)
    assert ended.count() == 2 and {r.end_reason for r in ended} == {"迁出辖区"}
    assert not RoleAssignment.objects.filter(user=worker).exists()
    assert scope_for(User.objects.get(pk=worker.pk)).empty
    assert not WorkerGrid.objects.filter(worker=w, ended_at__isnull=True).exists()
    assert WorkerGrid.objects.filter(worker=w).count() == 2  # history kept
    w.refresh_from_db()
    assert w.status == WorkerStatus.EXITED


def test_a_committee_post_is_not_a_worker_role_and_stays(
    net: Net, leader: User, official: User
) -> None:
    grid_services.responsibility_assign(person=official, duty=Duty.GRID_HEAD, grid=net.g1)
    grid_services.responsibility_assign(person=official, duty=Duty.COMMUNITY_SECRETARY, grid=net.c1)
    from finegrid.workforce.models import WorkerType

    w = profile(official, net.g1, actor=leader, type=WorkerType.GRID_HEAD)
    services.worker_move(actor=leader, worker=w, to=WorkerStatus.EXITED, reason="不再兼任网格长")
    held = Responsibility.objects.current().filter(person=official)
    assert list(held.values_list("duty", flat=True)) == [Duty.COMMUNITY_SECRETARY]
    roles = set(RoleAssignment.objects.filter(user=official).values_list("role", flat=True))
    assert roles == {Role.COMMUNITY_OFFICIAL}


def test_a_failure_while_dropping_roles_leaves_the_worker_as_they_were(
    net: Net, leader: User, worker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = _staffed(net, leader, worker)
    real = services.responsibility_end
    calls = {"n": 0}

    def flaky(**kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("database went away")
        return real(**kwargs)

    monkeypatch.setattr(services, "responsibility_end", flaky)
    with pytest.raises(RuntimeError):
        services.worker_move(actor=leader, worker=w, to=WorkerStatus.EXITED, reason="迁出辖区")
    w.refresh_from_db()
    assert w.status == WorkerStatus.ACTIVE
    assert Responsibility.objects.current().filter(person=worker).count() == 2
    assert RoleAssignment.objects.filter(user=worker, role=Role.MICRO_WORKER).exists()
    assert WorkerGrid.objects.filter(worker=w, ended_at__isnull=True).count() == 2
    assert not WorkerEvent.objects.filter(worker=w, to_status=WorkerStatus.EXITED).exists()


def test_suspension_keeps_the_roles(net: Net, leader: User, worker: User) -> None:
    w = _staffed(net, leader, worker)
    services.worker_move(actor=leader, worker=w, to=WorkerStatus.SUSPENDED, reason="停岗培训")
    assert Responsibility.objects.current().filter(person=worker).count() == 2
    assert RoleAssignment.objects.filter(user=worker, role=Role.MICRO_WORKER).exists()
