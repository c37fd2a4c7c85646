"""Who may read and write the registry. One condition per line (coverage shows each)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from finegrid.accounts.jurisdiction import scope_for
from finegrid.accounts.models import Role
from finegrid.core.errors import Forbidden, NotFound

REGISTRY_READERS = frozenset(
    {
        Role.STREET_LEADER,
        Role.STREET_OFFICIAL,
        Role.COMMUNITY_OFFICIAL,
        Role.GRID_HEAD,
        Role.GRID_WORKER,
        Role.MICRO_WORKER,
        Role.SYSTEM_ADMIN,
    }
)
# Those who keep the ledgers (台账): everyone who reads it, as each keeps their own part.
REGISTRY_WRITERS = REGISTRY_READERS
AUDIT_READERS = frozenset({Role.AUDITOR, Role.SYSTEM_ADMIN})
EXPORTERS = frozenset(
    {
        Role.STREET_LEADER,
        Role.STREET_OFFICIAL,
        Role.COMMUNITY_OFFICIAL,
        Role.GRID_HEAD,
        Role.SYSTEM_ADMIN,
    }
)


def access_registry_write(user: Any, grid_path: str) -> None:
    scope = scope_for(user, roles=REGISTRY_WRITERS)
    if scope.empty:
        raise Forbidden(_("You may not change the population registry."))
    if not scope.covers(grid_path):
        # answered like a missing object, as everywhere: no probing of neighbours
        raise NotFound(_("No such household or person in your jurisdiction."))


def care_kinds_for(user: Any) -> set[str]:
    """The care-tag kinds ``user``'s duties need (the duty list, CARE_VISIBILITY)."""
    from finegrid.accounts.jurisdiction import user_roles
    from finegrid.registry.models import CARE_VISIBILITY, CareKind

    if getattr(user, "is_superuser", False):
        return set(CareKind.values)
    roles = user_roles(user)
    return {kind for kind, allowed in CARE_VISIBILITY.items() if roles & allowed}


def access_care_kind(user: Any, kind: str) -> None:
    if kind not in care_kinds_for(user):
        raise Forbidden(_("Your duties do not cover this kind of care tag."), field="kind")


def may_export(user: Any) -> bool:
    return not scope_for(user, roles=EXPORTERS).empty


def access_export(user: Any) -> None:
    if not may_export(user):
        raise Forbidden(_("You may not export the registry."))


def access_audit_log(user: Any) -> None:
    if getattr(user, "is_superuser", False):
        return
    if scope_for(user, roles=AUDIT_READERS).empty:
        raise Forbidden(_("Only auditors read the audit log."))
