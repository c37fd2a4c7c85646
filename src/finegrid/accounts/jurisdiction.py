"""Jurisdiction: which grid subtrees a user may see.

Every scoped read goes through :func:`scope_for` and :meth:`Scope.filter`; views never query
scoped models directly. A scope is a set of materialized-path prefixes, so "may this user see
that row" is a prefix test and "everything this user may see" is one indexed prefix query each.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from finegrid.accounts.models import JURISDICTION_ROLES, Role, RoleAssignment
from finegrid.core.paths import under

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Scope:
    prefixes: tuple[str, ...]
    everything: bool = False

    @property
    def empty(self) -> bool:
        return not self.everything and not self.prefixes

    def covers(self, path: str) -> bool:
        if self.everything:
            return True
        return any(path.startswith(p) for p in self.prefixes)

    def filter(
        self, qs: QuerySet[M], path_field: str = "path", *, indexed: bool = True
    ) -> QuerySet[M]:
        """``indexed=False`` when the query has a more selective condition (see paths.under)."""
        if self.everything:
            return qs
        if not self.prefixes:
            return qs.none()
        q = reduce(or_, (under(path_field, p, indexed=indexed) for p in self.prefixes))
        return qs.filter(q)


def _minimal(prefixes: set[str]) -> tuple[str, ...]:
    # Drop a prefix already covered by a shorter one, so queries carry no redundant ORs.
    kept: list[str] = []
    for p in sorted(prefixes, key=len):
        if not any(p.startswith(k) for k in kept):
            kept.append(p)
    return tuple(sorted(kept))


def assignments_of(user: Any) -> list[tuple[str, str]]:
    """(role, grid path) of every assignment, read once per user object (that is, per request):
    the several scopes a request asks for are all derived from it. A user that came with an API
    token has them already (accounts/tokens.py)."""
    cached: list[tuple[str, str]] | None = user.__dict__.get("_fg_assignments")
    if cached is None:
        cached = list(RoleAssignment.objects.filter(user=user).values_list("role", "grid_path"))
        user.__dict__["_fg_assignments"] = cached
    return cached


def scope_for(user: Any, roles: frozenset[str] | None = None) -> Scope:
    """The subtrees ``user`` may see, optionally counting only assignments of ``roles``."""
    if not getattr(user, "is_authenticated", False):
        return Scope(())
    if getattr(user, "is_superuser", False):
        return Scope((), everything=True)
    wanted = JURISDICTION_ROLES if roles is None else roles
    return Scope(_minimal({path for role, path in assignments_of(user) if role in wanted}))


def user_roles(user: Any) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return {role for role, _path in assignments_of(user)}


STAFF_ROLES = frozenset(JURISDICTION_ROLES - {Role.AUDITOR})


def is_resident(user: Any) -> bool:
    """A resident and nothing more: such a user has a home page instead of the staff screens.
    Someone who is both a resident and a worker keeps the staff screens (their home is linked
    from them), because their duties are what they come to do."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "is_superuser", False):
        return False
    roles = user_roles(user)
    return Role.RESIDENT in roles and not roles & JURISDICTION_ROLES
