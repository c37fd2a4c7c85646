"""The demo login ``resident`` has a home: a household in 锦丰1-1微网格 and its worker."""

from __future__ import annotations

from django.core.management import call_command

from finegrid.accounts.models import User
from finegrid.cases.models import Case, Source
from finegrid.registry.models import Person
from tests.conftest import client_for


def test_the_demo_resident_lives_in_the_first_micro_grid(db: None) -> None:
    call_command("seed", scale="small", seed=1)
    resident = User.objects.get(username="resident")
    person = Person.objects.select_related("household__micro_grid").get(user=resident)
    assert person.name == "胡民贵" and person.household is not None
    assert person.household.micro_grid.name == "锦丰1-1微网格"
    page = client_for(resident).get("/home/").content.decode()
    assert person.household.address in page
    assert "蔡如欣" in page  # the demo worker of that micro-grid
    # what the demo resident reported lies around their home, as the source says
    theirs = Case.objects.filter(reporter=resident)
    assert theirs.exists()
    assert set(theirs.values_list("micro_grid", flat=True)) == {person.household.micro_grid_id}
    assert set(theirs.values_list("source", flat=True)) == {Source.RESIDENT}
