"""Clean text stored before input refused control characters (finegrid.core.text)."""

from django.db import migrations

from finegrid.core.scrub import scrub_stored_text


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0003_write_probe_and_cache_generation"),
    ]

    operations = [scrub_stored_text("core")]
