"""Who presents an API token: read from the database at most once a second per process.

Every API request starts with this lookup (the token, its user, the user's role assignments), and
a phone reporting cases sends the same token again and again. Each process keeps what it read for
``TOKEN_TTL`` seconds, so a revoked token, a deactivated user or a withdrawn role is refused by
every process within a second, and by the process that made the change at once (the signals wired
in accounts/apps.py empty this cache). See docs/decisions/0004-serving-writes.md.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from finegrid.accounts.jurisdiction import assignments_of
from finegrid.accounts.models import ApiToken, User, token_digest
from finegrid.core.generations import own_copy

TOKEN_TTL = 1.0  # seconds; the rule: revoking a token takes effect within a second


@dataclass(frozen=True)
class _Entry:
    read_at: float
    user: User
    assignments: tuple[tuple[str, str], ...]


_entries: dict[str, _Entry] = {}
_epoch = 0  # moves whenever the cache is emptied: a read that began before is not kept
_lock = threading.Lock()


def token_user(key: str) -> User | None:
    """The active user holding API token ``key``, or None. Each call answers its own User
    object (requests may set attributes on theirs), with its role assignments already read."""
    digest = token_digest(key)
    now = time.time()
    entry = _entries.get(digest)
    # a clock set back must not make an entry live forever
    if entry is None or not 0 <= now - entry.read_at < TOKEN_TTL:
        entry = _read(digest, now)
        if entry is None:
            return None
    user = own_copy(entry.user)
    user.__dict__["_fg_assignments"] = list(entry.assignments)
    return user


def _read(digest: str, now: float) -> _Entry | None:
    epoch = _epoch
    found = ApiToken.objects.select_related("user").filter(digest=digest).first()
    if found is None or not found.user.is_active:
        # unknown tokens are not remembered: a stranger guessing keys must not fill memory
        _entries.pop(digest, None)
        return None
    user = found.user
    entry = _Entry(read_at=now, user=user, assignments=tuple(assignments_of(user)))
    user.__dict__.pop("_fg_assignments", None)
    with _lock:
        if epoch == _epoch:
            _entries[digest] = entry
    return entry


def tokens_changed(**_kwargs: Any) -> None:
    """A token, a user or a role assignment changed in this process: forget now, and again when
    the change commits, in case another thread read the old rows in between."""
    forget_tokens()
    transaction.on_commit(forget_tokens)


def forget_tokens() -> None:
    """Empty this process's cache."""
    global _epoch
    with _lock:
        _epoch += 1
        _entries.clear()
