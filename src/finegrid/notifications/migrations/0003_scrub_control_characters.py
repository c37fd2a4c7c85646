"""Clean text stored before input refused control characters (finegrid.core.text)."""

from django.db import migrations

from finegrid.core.scrub import scrub_stored_text


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0002_subject_and_english_title'),
    ]

    operations = [scrub_stored_text("notifications")]
