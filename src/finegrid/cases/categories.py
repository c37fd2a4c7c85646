"""The active categories, cached per process because every report reads one.

Honest invalidation across processes: every change of the taxonomy (``services_taxonomy``) moves
``TaxonomyState.generation`` in its own transaction. A process re-reads that one-row generation
at most every ``CHECK_EVERY`` seconds and reloads the table when it moved, so an edit made on one
server is seen by every other within about a second; the process that made it forgets its copy
as soon as the change commits.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F

from finegrid.cases.models import Category, TaxonomyState

CHECK_EVERY = 1.0  # seconds between generation reads on the hot path


@dataclass(frozen=True)
class _Table:
    generation: int | None = None
    checked_at: float = float("-inf")
    by_code: dict[str, Category] = field(default_factory=dict)


_table = _Table()


def taxonomy_generation() -> int:
    found = TaxonomyState.objects.filter(pk=1).values_list("generation", flat=True).first()
    return found or 0


def taxonomy_bump() -> None:
    """Called inside the transaction of a taxonomy change, so the generation moves exactly when
    the change commits."""
    if TaxonomyState.objects.filter(pk=1).update(generation=F("generation") + 1):
        return
    try:
        with transaction.atomic():
            TaxonomyState.objects.create(pk=1, generation=1)
    except IntegrityError:  # two first edits at once: the other made the row, move it on
        TaxonomyState.objects.filter(pk=1).update(generation=F("generation") + 1)


def active_category(code: str) -> Category | None:
    global _table
    now = time.monotonic()
    table = _table
    if now - table.checked_at >= CHECK_EVERY:
        # The generation is read before the rows: a change committing in between makes the next
        # check reload again, never keeps stale rows under a new generation.
        generation = taxonomy_generation()
        if generation != table.generation:
            rows = Category.objects.filter(active=True).select_related("department")
            table = _Table(generation, now, {c.code: c for c in rows})
        else:
            table = _Table(generation, now, table.by_code)
        _table = table
    return table.by_code.get(code)


def forget_categories(**_kwargs: Any) -> None:
    global _table
    _table = _Table()
