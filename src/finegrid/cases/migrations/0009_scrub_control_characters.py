"""Clean text stored before input refused control characters (finegrid.core.text)."""

from django.db import migrations

from finegrid.core.scrub import scrub_stored_text


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0008_nearby_index_with_longitude"),
    ]

    operations = [scrub_stored_text("cases")]
