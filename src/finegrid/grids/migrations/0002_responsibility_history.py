"""Responsibilities get a start and an end instead of being deleted.

Existing rows start when they were created. Where a database already holds two current holders
of a duty that now allows one (a grid with two grid heads), the newest stays and the others are
ended, with a reason saying so, before the constraint is added.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
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
        ('grids', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='responsibility',
            name='responsibility_unique_grid',
        ),
        migrations.AddField(
            model_name='responsibility',
            name='assigned_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='assigned by'),
        ),
        migrations.AddField(
            model_name='responsibility',
            name='end_reason',
            field=models.CharField(blank=True, max_length=200, verbose_name='reason for ending'),
        ),
        migrations.AddField(
            model_name='responsibility',
            name='ended_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='ended'),
        ),
        migrations.AddField(
            model_name='responsibility',
            name='ended_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='ended by'),
        ),
        migrations.AddField(
            model_name='responsibility',
            name='started_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='started'),
        ),
        migrations.AlterField(
            model_name='responsibility',
            name='person',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='responsibilities', to=settings.AUTH_USER_MODEL, verbose_name='person'),
        ),
        migrations.RunPython(give_a_start, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='responsibility',
            constraint=models.UniqueConstraint(condition=models.Q(('ended_at__isnull', True), ('grid__isnull', False)), fields=('person', 'duty', 'grid'), name='responsibility_unique_grid'),
        ),
        migrations.AddConstraint(
            model_name='responsibility',
            constraint=models.UniqueConstraint(condition=models.Q(('ended_at__isnull', True), ('grid__isnull', False), ('duty__in', ['building_committee', 'civility_head', 'community_lead', 'community_secretary', 'estate_cadre', 'grid_head', 'household_worker', 'party_branch', 'party_service_head', 'safety_head'])), fields=('grid', 'duty'), name='responsibility_one_holder_grid'),
        ),
        migrations.AddConstraint(
            model_name='responsibility',
            constraint=models.UniqueConstraint(condition=models.Q(('ended_at__isnull', True), ('estate__isnull', False), ('duty__in', ['building_committee', 'civility_head', 'community_lead', 'community_secretary', 'estate_cadre', 'grid_head', 'household_worker', 'party_branch', 'party_service_head', 'safety_head'])), fields=('estate', 'duty'), name='responsibility_one_holder_estate'),
        ),
        migrations.AddConstraint(
            model_name='responsibility',
            constraint=models.UniqueConstraint(condition=models.Q(('building__isnull', False), ('ended_at__isnull', True), ('duty__in', ['building_committee', 'civility_head', 'community_lead', 'community_secretary', 'estate_cadre', 'grid_head', 'household_worker', 'party_branch', 'party_service_head', 'safety_head'])), fields=('building', 'duty'), name='responsibility_one_holder_building'),
        ),
        migrations.AddConstraint(
            model_name='responsibility',
            constraint=models.UniqueConstraint(condition=models.Q(('ended_at__isnull', True), ('household__isnull', False), ('duty__in', ['building_committee', 'civility_head', 'community_lead', 'community_secretary', 'estate_cadre', 'grid_head', 'household_worker', 'party_branch', 'party_service_head', 'safety_head'])), fields=('household', 'duty'), name='responsibility_one_holder_household'),
        ),
        migrations.AddConstraint(
            model_name='responsibility',
            constraint=models.CheckConstraint(condition=models.Q(('ended_at__isnull', True), ('ended_at__gte', models.F('started_at')), _connector='OR'), name='responsibility_ends_after_start'),
        ),
        migrations.AddConstraint(
            model_name='responsibility',
            constraint=models.CheckConstraint(condition=models.Q(('ended_at__isnull', True), models.Q(('end_reason', ''), _negated=True), _connector='OR'), name='responsibility_end_has_reason'),
        ),
    ]
