"""Clean text stored before input refused control characters (finegrid.core.text)."""

from django.db import migrations

from finegrid.core.scrub import scrub_stored_text


class Migration(migrations.Migration):

    dependencies = [
        ("grids", "0004_responsibility_history_constraints"),
    ]

    operations = [scrub_stored_text("grids")]
