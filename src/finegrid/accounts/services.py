"""Writes to roles. Callers own the transaction (these run inside another service's)."""

from __future__ import annotations

from typing import Any

from finegrid.accounts.models import RoleAssignment, User


def role_grant(*, user: User, role: str, grid: Any) -> bool:
    """Give ``user`` ``role`` over ``grid`` unless they have it already; answers whether it was
    given."""
    _found, created = RoleAssignment.objects.get_or_create(user=user, role=role, grid=grid)
    user.__dict__.pop("_fg_assignments", None)  # the per-request jurisdiction cache
    return created


def role_revoke(*, user: User, role: str, grid: Any) -> bool:
    deleted, _rows = RoleAssignment.objects.filter(user=user, role=role, grid=grid).delete()
    user.__dict__.pop("_fg_assignments", None)
    return bool(deleted)
