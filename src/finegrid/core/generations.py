"""Per-process caches of data that rarely changes and is read on every request, kept honest by a
stored generation.

A change to the data bumps its generation in the change's own transaction
(:func:`generation_bump`). Each process reads the generation at most once every ``check_every``
seconds and starts afresh when it moved, so other processes see a change within that time; the
process that made the change forgets at once, and again when the change commits (another thread
may have read the old rows in between). A value read while the cache was being emptied is not
kept: it may come from before the change.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.db.models.base import ModelState

from finegrid.core.models import CacheGeneration

V = TypeVar("V")
M = TypeVar("M", bound=Model)


def own_copy(obj: M) -> M:
    """A copy of a cached model instance for one request, which may set attributes on it.
    Related objects are not carried over. (copy.copy goes through the pickling protocol: about
    ten times slower, on every request.)"""
    new = obj.__class__.__new__(obj.__class__)
    new.__dict__.update(obj.__dict__)
    state = ModelState()
    state.db, state.adding = obj._state.db, obj._state.adding
    new._state = state
    return new


def generation_bump(name: str) -> None:
    """Move generation ``name`` on, in the caller's transaction, and forget it in this process."""
    with transaction.atomic():
        if not CacheGeneration.objects.filter(name=name).update(value=F("value") + 1):
            try:
                with transaction.atomic():
                    CacheGeneration.objects.create(name=name, value=1)
            except IntegrityError:  # a parallel first bump made the row
                CacheGeneration.objects.filter(name=name).update(value=F("value") + 1)
    for cache in _caches.get(name, []):
        cache.forget()
        transaction.on_commit(cache.forget)


def _stored(name: str) -> int:
    found = CacheGeneration.objects.filter(name=name).values_list("value", flat=True).first()
    return found or 0


class GenerationCache(Generic[V]):
    """Values by key, each loaded once per generation. Past ``max_entries`` it starts afresh,
    which bounds its memory at city scale (126,449 micro-grids)."""

    def __init__(self, name: str, check_every: float = 1.0, max_entries: int = 20_000) -> None:
        self.name = name
        self.check_every = check_every
        self.max_entries = max_entries
        self._values: dict[Hashable, V] = {}
        self._generation: int | None = None
        self._checked_at = 0.0
        self._epoch = 0
        self._lock = threading.Lock()
        _caches.setdefault(name, []).append(self)

    def get(self, key: Hashable, load: Callable[[], V]) -> V:
        self._check()
        epoch = self._epoch
        try:
            return self._values[key]
        except KeyError:
            pass
        value = load()
        with self._lock:
            if epoch == self._epoch:
                if len(self._values) >= self.max_entries:
                    self._values.clear()
                self._values[key] = value
        return value

    def forget(self) -> None:
        with self._lock:
            self._epoch += 1
            self._values.clear()
            self._generation = None  # read the stored one again before trusting anything

    def _check(self) -> None:
        now = time.time()
        # wall-clock time so that tests can move it; a clock set back checks at once
        if self._generation is not None and 0 <= now - self._checked_at < self.check_every:
            return
        generation = _stored(self.name)
        with self._lock:
            if generation != self._generation:
                self._epoch += 1
                self._values.clear()
                self._generation = generation
            self._checked_at = now


_caches: dict[str, list[GenerationCache[Any]]] = {}


def forget_generation_caches() -> None:
    """Empty every such cache of this process (tests: each has its own database)."""
    for caches in _caches.values():
        for cache in caches:
            cache.forget()
