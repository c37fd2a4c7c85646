"""Subtree filters on materialized paths (``/S/C1/G1/``)."""

from __future__ import annotations

from django.db import connection
from django.db.models import CharField, F, Func, Q
from django.db.models.lookups import GreaterThanOrEqual, LessThan


class _Unindexed(Func):
    # SQLite's documented way to keep the planner off a column's index: a unary "+".
    template = "+%(expressions)s"
    output_field = CharField()


def under(field: str, prefix: str, *, indexed: bool = True) -> Q:
    """Rows whose ``field`` starts with ``prefix``, as a query that can use the column's index.

    SQLite's LIKE ignores case, so it cannot use an ordinary index for ``LIKE 'p%'``; a range
    does (paths are ASCII, and the byte after the prefix's last character bounds it). PostgreSQL
    keeps LIKE, which its pattern-ops index serves whatever the database's collation.

    ``indexed=False`` is for queries that carry a more selective condition (a search): SQLite
    would otherwise walk the whole subtree through the path index to honour the ORDER BY.
    """
    if connection.vendor != "sqlite" or not prefix:
        return Q(**{f"{field}__startswith": prefix})
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    if indexed:
        return Q(**{f"{field}__gte": prefix, f"{field}__lt": upper})
    column = _Unindexed(F(field))
    return Q(GreaterThanOrEqual(column, prefix)) & Q(LessThan(column, upper))
