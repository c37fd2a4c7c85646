"""Clean text stored before input refused control characters (finegrid.core.text)."""

from django.db import migrations

from finegrid.core.scrub import scrub_stored_text


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0006_person_login_account"),
    ]

    operations = [scrub_stored_text("registry")]
