"""Load the official holiday calendar shipped in ``cases/data`` (国务院办公厅 放假安排).

The CSV is read here rather than through the ``holidays_load`` command, so that this migration
keeps working whatever becomes of that code. It names its files: a later year's calendar comes
with ``finegrid holidays_load`` (or a migration of its own), not by changing what this one did.
"""

import csv
import datetime as dt
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"
FILES = ("holidays-2025.csv", "holidays-2026.csv")
KINDS = {"off": False, "workday": True}


def load(apps, schema_editor):
    Holiday = apps.get_model("cases", "Holiday")
    for filename in FILES:
        text = (DATA / filename).read_text(encoding="utf-8")
        lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
        for row in csv.DictReader(lines):
            Holiday.objects.update_or_create(
                date=dt.date.fromisoformat(row["date"]),
                defaults={"is_workday": KINDS[row["kind"]], "name": row["name"]},
            )


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_satisfaction_length")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
