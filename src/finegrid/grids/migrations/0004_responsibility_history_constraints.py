"""The constraints of responsibilities with a history: at most one current holder of a
one-holder duty, an end after its start and with a reason.

Apart from 0003 so that PostgreSQL builds their indexes in a transaction of their own, after the
rows that 0003 updated.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('grids', '0003_responsibility_history_start'),
    ]

    operations = [
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
