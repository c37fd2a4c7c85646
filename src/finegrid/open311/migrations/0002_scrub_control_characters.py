"""Clean text stored before input refused control characters (finegrid.core.text)."""

from django.db import migrations

from finegrid.core.scrub import scrub_stored_text


class Migration(migrations.Migration):

    dependencies = [
        ('open311', '0001_api_keys'),
    ]

    operations = [scrub_stored_text("open311")]
