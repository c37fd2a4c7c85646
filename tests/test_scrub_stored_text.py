"""The data migration cleans text stored before input refused control characters."""

from __future__ import annotations

import importlib
import importlib.resources

from django.apps import apps
from django.db import migrations

from finegrid.accounts.models import User
from finegrid.cases.models import Case, CaseEvent
from finegrid.core.scrub import scrub_app
from finegrid.grids.models import Grid
from finegrid.registry.models import Person
from tests.cases.helpers import report
from tests.conftest import Net
from tests.registry.helpers import home_in, register

APPS = ["accounts", "cases", "core", "grids", "notifications", "open311", "registry"]


def test_every_app_cleans_its_text_and_leaves_clean_rows_alone(
    net: Net, leader: User, worker: User
) -> None:
    person = register(leader, home_in(net.m1), name="张三", notes="干净")
    clean = register(
        leader, home_in(net.m1, "锦丰新城1栋1单元102"), name="李四", notes="行一\n行二"
    )
    case = report(worker)
    Person.objects.filter(pk=person.pk).update(name="张\x07三\n", notes="独居\x1b\r\n每周\t走访")
    Case.objects.filter(pk=case.pk).update(description="垃圾\x01\x7f未清运", address="1栋\u2028")
    CaseEvent.objects.filter(case=case).update(note="受理\x9b")
    Grid.objects.filter(pk=net.m1.pk).update(name="锦丰\x081-1微网格")
    User.objects.filter(pk=worker.pk).update(display_name="蔡\x1f如欣")
    before = Person.objects.get(pk=clean.pk).updated_at

    changed = sum(scrub_app(apps, label) for label in APPS)

    assert changed == 5
    person.refresh_from_db()
    assert (person.name, person.notes) == ("张三", "独居\n每周\t走访")
    case.refresh_from_db()
    assert (case.description, case.address) == ("垃圾未清运", "1栋")
    assert CaseEvent.objects.get(case=case).note == "受理"
    assert Grid.objects.get(pk=net.m1.pk).name == "锦丰1-1微网格"
    assert User.objects.get(pk=worker.pk).display_name == "蔡如欣"
    assert Person.objects.get(pk=clean.pk).updated_at == before
    assert sum(scrub_app(apps, label) for label in APPS) == 0


def test_each_app_has_the_migration_and_it_can_be_reversed() -> None:
    for label in APPS:
        config = apps.get_app_config(label)
        folder = importlib.resources.files(f"{config.name}.migrations")
        names = [p.name for p in folder.iterdir() if "scrub_control_characters" in p.name]
        assert len(names) == 1, label
        module = importlib.import_module(f"{config.name}.migrations.{names[0][:-3]}")
        (operation,) = module.Migration.operations
        assert isinstance(operation, migrations.RunPython) and operation.reversible
