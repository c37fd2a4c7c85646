from __future__ import annotations

import pytest
import shapely
from django.core.management import call_command
from django.core.management.base import CommandError
from shapely.geometry import shape

from finegrid.accounts.models import Role, RoleAssignment, User
from finegrid.demo.generator import SCALES, plan_tree
from finegrid.grids import geo
from finegrid.grids.models import Duty, Grid, Household, Kind, Level, Responsibility
from tests.conftest import client_for


def test_the_same_seed_draws_the_same_street() -> None:
    a, b, c = (
        plan_tree(SCALES["small"], 7),
        plan_tree(SCALES["small"], 7),
        plan_tree(SCALES["small"], 8),
    )
    assert [(s.code, s.name) for s, _ in a.specs] == [(s.code, s.name) for s, _ in b.specs]
    assert all(ga.equals(gb) for (_, ga), (_, gb) in zip(a.specs, b.specs, strict=True))
    assert not all(ga.equals(gc) for (_, ga), (_, gc) in zip(a.specs, c.specs, strict=True))


def test_the_street_plan_has_the_seeds_numbers() -> None:
    plan = plan_tree(SCALES["street"], 1)
    regular = [s for s, _ in plan.specs if s.kind == Kind.REGULAR]
    assert sum(s.level == Level.COMMUNITY for s in regular) == 15
    assert sum(s.level == Level.GRID for s in regular) == 140
    assert sum(s.level == Level.MICRO for s in regular) == 1506
    assert sum(s.kind == Kind.DEDICATED for s, _ in plan.specs) == 71


def test_generated_children_nest_in_their_parent_and_siblings_do_not_overlap() -> None:
    plan = plan_tree(SCALES["small"], 3)
    by_parent: dict[str, list[shapely.Geometry]] = {}
    for spec, g in plan.specs:
        assert g.is_valid and not g.is_empty
        if spec.parent_code:
            assert geo.lies_within(g, plan.geom[spec.parent_code])
            by_parent.setdefault(spec.parent_code, []).append(g)
    for siblings in by_parent.values():
        tree = shapely.STRtree(siblings)
        for i, g in enumerate(siblings):
            for j in tree.query(g):
                if j != i:
                    assert not geo.overlaps_beyond_tolerance(g, siblings[j])
        # and together they cover the parent (a tessellation, no holes)
    street = next(g for s, g in plan.specs if s.level == Level.STREET)
    micro_union = shapely.union_all(
        [
            g
            for s, g in plan.specs
            if s.level == Level.MICRO or (s.level == Level.GRID and s.kind == Kind.DEDICATED)
        ]
    )
    assert abs(micro_union.area - street.area) / street.area < 1e-6


def test_seed_small_stores_a_working_community(db: None) -> None:
    call_command("seed", scale="small", seed=1)
    assert Grid.objects.filter(level=Level.COMMUNITY).count() == 1
    assert Household.objects.count() == SCALES["small"].households
    assert (
        RoleAssignment.objects.filter(role=Role.MICRO_WORKER).count()
        == SCALES["small"].micro_workers
    )
    # every regular micro-grid has a named worker; every grid its three heads
    micro = Grid.objects.filter(level=Level.MICRO, kind=Kind.REGULAR)
    staffed = set(
        Responsibility.objects.filter(duty=Duty.MICRO_WORKER).values_list("grid_id", flat=True)
    )
    assert set(micro.values_list("id", flat=True)) <= staffed
    for duty in (Duty.PARTY_SERVICE_HEAD, Duty.SAFETY_HEAD, Duty.CIVILITY_HEAD, Duty.GRID_HEAD):
        assert (
            Responsibility.objects.filter(duty=duty).count()
            == Grid.objects.filter(level=Level.GRID, kind=Kind.REGULAR).count()
        )
    # every household lies inside the boundary of its micro-grid
    for home in Household.objects.select_related("micro_grid")[:200]:
        assert (
            shape(home.micro_grid.boundary).buffer(1e-5).contains(shapely.Point(home.lng, home.lat))
        )


def test_the_demo_accounts_see_what_their_role_allows(db: None) -> None:
    call_command("seed", scale="small", seed=1)
    leader, worker = User.objects.get(username="leader"), User.objects.get(username="worker")
    assert client_for(leader).get("/api/v1/grids").json()["count"] == Grid.objects.count()
    mine = client_for(worker).get("/api/v1/grids").json()
    assert mine["count"] == 1
    own = mine["items"][0]["code"]
    neighbour = Grid.objects.filter(level=Level.MICRO).exclude(code=own).first()
    assert neighbour is not None
    assert client_for(worker).get(f"/api/v1/grids/{neighbour.code}").status_code == 404
    assert worker.check_password("finegrid-demo")


def test_seeding_a_database_that_has_grids_is_refused(db: None) -> None:
    call_command("seed", scale="small", seed=1)
    count = Grid.objects.count()
    with pytest.raises(CommandError, match="already holds grids"):
        call_command("seed", scale="small", seed=2)
    assert Grid.objects.count() == count


def test_seed_small_gives_every_worker_a_profile_and_every_grid_its_party(db: None) -> None:
    from finegrid.workforce.models import (
        PartyLinkHousehold,
        PartyMember,
        PartyOrganisation,
        Worker,
        WorkerGrid,
        WorkerStatus,
        WorkerType,
    )

    call_command("seed", scale="small", seed=1)
    scale = SCALES["small"]
    regular_grids = Grid.objects.filter(level=Level.GRID, kind=Kind.REGULAR).count()
    assert Worker.objects.filter(type=WorkerType.GRID_WORKER).count() == regular_grids
    assert Worker.objects.filter(type=WorkerType.MICRO_WORKER).count() == scale.micro_workers
    assert Worker.objects.filter(type=WorkerType.GRID_HEAD).exists()
    assert not Worker.objects.exclude(status=WorkerStatus.ACTIVE).exists()
    assert Worker.objects.get(user__username="worker").origin == "volunteer"
    assert len(set(Worker.objects.values_list("origin", flat=True))) >= 6
    # the grids served are those of the duties
    served = set(WorkerGrid.objects.values_list("worker__user_id", "grid_id"))
    duties = set(
        Responsibility.objects.filter(
            duty__in=[Duty.MICRO_WORKER, Duty.GRID_WORKER, Duty.GRID_HEAD]
        ).values_list("person_id", "grid_id")
    )
    assert served == duties
    assert PartyOrganisation.objects.filter(kind="grid_organisation").count() == regular_grids
    assert PartyMember.objects.count() >= regular_grids * 4
    in_micros = Household.objects.filter(micro_grid__kind=Kind.REGULAR).count()
    assert PartyLinkHousehold.objects.count() == in_micros
