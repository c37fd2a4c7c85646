"""Cleaning text stored before input was checked (see core.text): used by one data migration
per app, so each app's historical models are cleaned with that app's own migration."""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any

from django.db import migrations, models

from finegrid.core import text


def _text_fields(model: Any) -> list[Any]:
    # Choices are checked against their list, and a unique value (a code, a username) is left
    # as it is: cleaning two of them alike would stop the migration on the unique constraint.
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField) and not f.choices and not f.unique
    ]


def scrub_app(apps: Any, app_label: str) -> int:
    """Rows changed. Only rows holding a refused character are read: the database finds them
    (a regex both SQLite and PostgreSQL understand), so a clean table costs one scan."""
    changed = 0
    for model in apps.get_app_config(app_label).get_models():
        fields = _text_fields(model)
        if not fields:
            continue
        pattern = {
            f.name: text.STORED_PATTERN_LONG
            if isinstance(f, models.TextField)
            else text.STORED_PATTERN_LINE
            for f in fields
        }
        found = reduce(or_, (models.Q(**{f"{n}__regex": p}) for n, p in pattern.items()))
        names = list(pattern)
        for row in model._base_manager.filter(found).values("pk", *names).iterator():
            updates = {
                n: text.scrub(
                    row[n], multiline=isinstance(model._meta.get_field(n), models.TextField)
                )
                for n in names
                if row[n]
            }
            updates = {n: v for n, v in updates.items() if v != row[n]}
            if updates:
                model._base_manager.filter(pk=row["pk"]).update(**updates)
                changed += 1
    return changed


def scrub_stored_text(app_label: str) -> migrations.RunPython:
    """The migration step; going back leaves the text clean (the characters carried nothing)."""

    def forward(apps: Any, schema_editor: Any) -> None:
        scrub_app(apps, app_label)

    return migrations.RunPython(forward, migrations.RunPython.noop, elidable=True)
