"""Re-encrypt personal information under the current key and recompute the blind indexes.

    finegrid pii_rotate [--batch N] [--reindex]

After putting a new key first in ``FINEGRID_PII_KEYS`` (keeping the old ones behind it), this
rewrites every encrypted value under the new key; once it has run, the old keys may be removed.
Rows already under the current key are skipped, so an interrupted run is simply started again.
After changing ``FINEGRID_PII_INDEX_KEY``, run with ``--reindex``: every row is then rewritten,
because the blind index of a row cannot tell which key made it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction
from django.db.models import Q

from finegrid.core import pii
from finegrid.core.pii import Sealed


def targets() -> list[tuple[type[models.Model], list[Sealed]]]:
    return [(apps.get_model(label), columns) for label, columns in pii.SEALED.items()]


def stale(columns: list[Sealed], current: str) -> Q:
    """Rows holding a value sealed under another key than ``current``."""
    q = Q(pk__in=[])
    for c in columns:
        q |= Q(**{f"{c.enc}__gt": ""}) & ~Q(**{f"{c.enc}__startswith": f"{pii.PREFIX}:{current}:"})
    return q


def _decrypt(model: type[models.Model], pk: Any, column: str, token: str) -> str:
    # A key dropped from FINEGRID_PII_KEYS too soon (or a damaged value) stops the run with the
    # row named; the batch in hand rolls back, earlier batches stay done and are skipped next time.
    try:
        return pii.decrypt(token)
    except (KeyError, ValueError, IndexError, InvalidTag):
        raise CommandError(
            f"{model._meta.label} #{pk} {column}: 无法解密（密钥是否已从 FINEGRID_PII_KEYS 移除？）"
            f" / cannot decrypt (was its key removed from FINEGRID_PII_KEYS?)"
        ) from None


@dataclass
class Counts:
    rewritten: int = 0
    unchanged: int = 0


def rotate_model(
    model: type[models.Model], columns: list[Sealed], *, batch: int, reindex: bool
) -> Counts:
    current = pii.keys().current
    counts = Counts()
    total = model._default_manager.count()
    todo = (
        model._default_manager.all()
        if reindex
        else model._default_manager.filter(stale(columns, current))
    )
    fields = [c.enc for c in columns] + [c.index for c in columns if c.index]
    last = 0
    while True:
        with transaction.atomic():
            # Locked for the batch (PostgreSQL; SQLite writes one at a time anyway): an edit
            # made meanwhile would otherwise be overwritten by the value read here.
            rows = list(
                todo.select_for_update()
                .filter(pk__gt=last)
                .order_by("pk")
                .only("pk", *fields)[:batch]
            )
            if not rows:
                break
            for row in rows:
                for c in columns:
                    token = getattr(row, c.enc)
                    if not token:
                        continue
                    plain = _decrypt(model, row.pk, c.enc, token)
                    setattr(row, c.enc, pii.encrypt(plain))
                    if c.index_of is not None:
                        setattr(row, c.index, c.index_of(plain))
            model._default_manager.bulk_update(rows, fields, batch_size=500)
        counts.rewritten += len(rows)
        last = rows[-1].pk
    counts.unchanged = total - counts.rewritten
    return counts


class Command(BaseCommand):
    help = (
        "Re-encrypt personal information under the current key (the first of FINEGRID_PII_KEYS) "
        "and recompute blind indexes. 用当前密钥重新加密个人信息。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=1000, help="rows per transaction")
        parser.add_argument(
            "--reindex",
            action="store_true",
            help="rewrite every row, also those under the current key (after an index key change)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["batch"] < 1:
            raise CommandError("--batch 至少为 1 / --batch must be at least 1")
        pii.keys.cache_clear()  # read the keys as they are now, not as this process first saw them
        current = pii.keys().current
        self.stdout.write(f"当前密钥 / current key: {current}")
        for model, columns in targets():
            counts = rotate_model(model, columns, batch=opts["batch"], reindex=opts["reindex"])
            self.stdout.write(
                f"{model._meta.label}: 重新加密 {counts.rewritten} 行，未变 {counts.unchanged} 行"
                f" / rewritten {counts.rewritten}, unchanged {counts.unchanged}"
            )
