"""Writes of the core app that are not another app's: the diagnostic write probe."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from finegrid.core.models import WriteProbe


@transaction.atomic
def write_probe_create(*, user: Any, note: str) -> WriteProbe:
    """One row in one durable transaction (SQLite synchronous=FULL, PostgreSQL
    synchronous_commit on): what any confirmed write costs at the least."""
    return WriteProbe.objects.create(user=user, note=note)
