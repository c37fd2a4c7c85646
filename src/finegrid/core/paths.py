"""Subtree filters on materialized paths (``/S/C1/G1/``)."""

from __future__ import annotations

from django.db import connection
from django.db.models import Q


def under(field: str, prefix: str) -> Q:
    """Rows whose ``field`` starts with ``prefix``, as a query that uses the column's index.

    SQLite's LIKE ignores case, so it cannot use an ordinary index for ``LIKE 'p%'``; a range
    does (paths are ASCII, and the byte after the prefix's last character bounds it). PostgreSQL
    keeps LIKE, which its pattern-ops index serves whatever the database's collation.
    """
    if connection.vendor == "sqlite" and prefix:
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        return Q(**{f"{field}__gte": prefix, f"{field}__lt": upper})
    return Q(**{f"{field}__startswith": prefix})
