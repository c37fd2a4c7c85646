"""Responsibilities get a start and an end instead of being deleted (the columns; 0003 fills
them, 0004 adds the constraints). Three steps, each in its own transaction: PostgreSQL refuses to
build an index in the transaction that updated rows under deferred foreign keys."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

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
    ]
