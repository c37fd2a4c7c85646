"""The worker services: a sealed profile, the lifecycle of the entry-and-exit guideline, the
grids served, and the full phone behind a reason."""

from __future__ import annotations

import pytest

from finegrid.accounts.models import User
from finegrid.core.errors import Forbidden, InvalidInput
from finegrid.core.models import AuditAction, AuditEvent
from finegrid.workforce import services_workers as services
from finegrid.workforce.models import Origin, Worker, WorkerEvent, WorkerGrid, WorkerStatus
from tests.conftest import Net
from tests.workforce.helpers_workers import profile


def test_it_seals_the_phone_and_shows_it_masked(net: Net, official: User, worker: User) -> None:
    w = profile(worker, net.m1, actor=official, active=False)
    w.refresh_from_db()
    assert w.status == WorkerStatus.APPLIED
    assert w.phone_masked == "139****5678"
    assert "13912345678" not in w.phone_enc and w.phone_enc.startswith("v1:")
    assert w.grid_path == net.m1.path
    assert list(WorkerGrid.objects.filter(worker=w).values_list("grid__code", flat=True)) == ["M1"]
    assert WorkerEvent.objects.get(worker=w).to_status == WorkerStatus.APPLIED


def test_it_walks_the_whole_lifecycle_with_a_reason_for_each_move(
    net: Net, official: User, worker: User
) -> None:
    w = profile(worker, net.m1, actor=official)
    services.worker_move(actor=official, worker=w, to=WorkerStatus.SUSPENDED, reason="违反纪律")
    services.worker_move(actor=official, worker=w, to=WorkerStatus.ACTIVE, reason="整改到位")
    w.refresh_from_db()
    assert w.status == WorkerStatus.ACTIVE
    moves = list(WorkerEvent.objects.filter(worker=w).values_list("from_status", "to_status"))
    assert moves == [
        ("", "applied"),
        ("applied", "vetted"),
        ("vetted", "trained"),
        ("trained", "active"),
        ("active", "suspended"),
        ("suspended", "active"),
    ]
    assert WorkerEvent.objects.filter(worker=w).last().reason == "整改到位"  # type: ignore[union-attr]


def test_an_illegal_move_names_the_field_in_both_languages_and_writes_nothing(
    net: Net, official: User, worker: User
) -> None:
    w = profile(worker, net.m1, actor=official, active=False)
    with pytest.raises(InvalidInput) as exc:
        services.worker_move(actor=official, worker=w, to=WorkerStatus.ACTIVE, reason="直接上岗")
    problem = exc.value.as_dict()["errors"][0]
    assert problem["field"] == "to"
    assert "申请" in problem["message"] and "启用" in problem["message"]
    assert problem["message_en"].startswith("A worker cannot move from")
    w.refresh_from_db()
    assert w.status == WorkerStatus.APPLIED
    assert WorkerEvent.objects.filter(worker=w).count() == 1


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_exit_without_a_reason_is_refused(
    net: Net, official: User, worker: User, reason: str
) -> None:
    w = profile(worker, net.m1, actor=official)
    with pytest.raises(InvalidInput) as exc:
        services.worker_move(actor=official, worker=w, to=WorkerStatus.EXITED, reason=reason)
    problem = exc.value.as_dict()["errors"][0]
    assert problem["field"] == "reason" and problem["message"] and problem["message_en"]
    assert problem["message"] != problem["message_en"]
    w.refresh_from_db()
    assert w.status == WorkerStatus.ACTIVE


def test_an_exited_worker_moves_no_more(net: Net, official: User, worker: User) -> None:
    w = profile(worker, net.m1, actor=official)
    services.worker_move(actor=official, worker=w, to=WorkerStatus.EXITED, reason="搬离")
    with pytest.raises(InvalidInput) as exc:
        services.worker_move(actor=official, worker=w, to=WorkerStatus.ACTIVE, reason="回来")
    assert exc.value.problems[0].field == "to"


def test_bad_profiles_name_each_field(net: Net, official: User, worker: User) -> None:
    data = services.WorkerData(type="boss", origin="moon", grids=[], phone="")
    with pytest.raises(InvalidInput) as exc:
        services.worker_create(actor=official, user=worker, data=data)
    assert {p.field for p in exc.value.problems} == {"type", "origin", "grids"}
    data = services.WorkerData(
        type="micro_worker", origin=Origin.VETERAN, grids=[net.m1], phone="12"
    )
    with pytest.raises(InvalidInput) as exc:
        services.worker_create(actor=official, user=worker, data=data)
    assert exc.value.problems[0].field == "phone"
    assert not Worker.objects.exists()


def test_a_second_profile_for_one_login_is_refused(net: Net, official: User, worker: User) -> None:
    profile(worker, net.m1, actor=official)
    with pytest.raises(InvalidInput) as exc:
        profile(worker, net.m1, actor=official)
    assert exc.value.problems[0].field == "user"
    assert Worker.objects.count() == 1


def test_a_grid_head_and_a_neighbour_may_not_manage(
    net: Net, official: User, gridhead: User, neighbour: User, worker: User
) -> None:
    w = profile(worker, net.m1, actor=official)
    for who in (gridhead, neighbour):
        with pytest.raises(Forbidden):
            services.worker_move(actor=who, worker=w, to=WorkerStatus.SUSPENDED, reason="试试")
    with pytest.raises(Forbidden):
        profile(neighbour, net.m2, actor=gridhead)


def test_it_adds_and_removes_grids_served_keeping_the_last(
    net: Net, official: User, worker: User
) -> None:
    w = profile(worker, net.m1, actor=official)
    services.worker_grid_add(actor=official, worker=w, grid=net.m2)
    with pytest.raises(InvalidInput):
        services.worker_grid_add(actor=official, worker=w, grid=net.m2)
    services.worker_grid_remove(actor=official, worker=w, grid=net.m1)
    w.refresh_from_db()
    assert w.grid_path == net.m2.path  # the home moved to the grid still served
    current = WorkerGrid.objects.filter(worker=w, ended_at__isnull=True)
    assert list(current.values_list("grid__code", flat=True)) == ["M2"]
    with pytest.raises(InvalidInput) as exc:
        services.worker_grid_remove(actor=official, worker=w, grid=net.m2)
    assert exc.value.problems[0].field == "grid"
    with pytest.raises(Forbidden):  # G2 lies in another community
        services.worker_grid_add(actor=official, worker=w, grid=net.g2)


def test_the_full_phone_needs_a_reason_that_the_audit_log_keeps(
    net: Net, official: User, gridhead: User, neighbour: User, worker: User
) -> None:
    w = profile(worker, net.m1, actor=official)
    with pytest.raises(InvalidInput):
        services.worker_unmask_phone(actor=gridhead, worker=w, reason="")
    assert services.worker_unmask_phone(actor=gridhead, worker=w, reason="联系排班") == (
        "13912345678"
    )
    row = AuditEvent.objects.get(action=AuditAction.UNMASK)
    assert row.reason == "联系排班" and row.actor_id == gridhead.pk
    with pytest.raises(Forbidden):
        services.worker_unmask_phone(actor=neighbour, worker=w, reason="好奇")
    assert AuditEvent.objects.filter(action=AuditAction.UNMASK).count() == 1
