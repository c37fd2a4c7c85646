"""Existing responsibilities start when they were created. Where a database already holds two
current holders of a duty that now allows one (a grid with two grid heads), the newest stays and
the others are ended, with a reason saying so, so that 0004's constraint can be added."""

import django.utils.timezone
from django.db import migrations
from django.db.models import F

SINGLE = [
    "building_committee",
    "civility_head",
    "community_lead",
    "community_secretary",
    "estate_cadre",
    "grid_head",
    "household_worker",
    "party_branch",
    "party_service_head",
    "safety_head",
]
REASON = "建立任职记录时结束：此职责只由一人担任 / Ended when history began: one holder only"


def give_a_start(apps, schema_editor):  # type: ignore[no-untyped-def]
    Responsibility = apps.get_model("grids", "Responsibility")
    Responsibility.objects.update(started_at=F("created_at"))
    seen: set[tuple[str, int, str]] = set()
    now = django.utils.timezone.now()
    rows = Responsibility.objects.filter(duty__in=SINGLE).order_by("-created_at", "-id")
    for r in rows.only("id", "duty", "started_at", "grid_id", "estate_id", "building_id", "household_id"):
        target = next(
            (kind, pk)
            for kind, pk in (
                ("grid", r.grid_id),
                ("estate", r.estate_id),
                ("building", r.building_id),
                ("household", r.household_id),
            )
            if pk is not None
        )
        key = (*target, r.duty)
        if key in seen:
            Responsibility.objects.filter(pk=r.pk).update(
                ended_at=max(now, r.started_at), end_reason=REASON
            )
        seen.add(key)


class Migration(migrations.Migration):

    dependencies = [
        ('grids', '0002_responsibility_history'),
    ]

    operations = [
        migrations.RunPython(give_a_start, migrations.RunPython.noop),
    ]
