"""The demo street gets 明湖's lists: three classes by level, 327 inspection and 155 enforcement
tasks devolved to the grid, and the three heads' lists."""

from __future__ import annotations

from collections import Counter

from django.apps import apps

from finegrid.cases import taxonomy
from finegrid.grids.models import Level
from finegrid.workforce.demo.dutylists import seed_duty_lists
from finegrid.workforce.models import DutyList, DutyTask
from tests.conftest import Net


def test_the_demo_street_has_the_lists_of_the_seeds(net: Net) -> None:
    taxonomy.load(apps, None)  # as a fresh database has it, whatever ran before in this process
    counts = seed_duty_lists()
    assert counts["duty_lists"] == 8
    per_list = Counter(DutyTask.objects.values_list("duty_list__kind", flat=True))
    assert per_list["inspection"] == 327 and per_list["enforcement"] == 155
    for kind in ("community", "grid", "micro", "party_service_head", "safety_head",
                 "civility_head"):  # fmt: skip
        assert per_list[kind] > 0
    assert set(DutyList.objects.values_list("grid__level", flat=True)) == {Level.STREET}
    # every enforcement task belongs to a department, every task names itself in both languages
    assert not DutyTask.objects.filter(duty_list__kind="enforcement", department=None).exists()
    assert not DutyTask.objects.filter(name_en="").exists()
    names = list(
        DutyTask.objects.filter(duty_list__kind="inspection").values_list("name", flat=True)
    )
    assert len(set(names)) == 327
    # seeding again gives the same lists, not twice as many
    seed_duty_lists()
    assert DutyTask.objects.count() == sum(per_list.values())
