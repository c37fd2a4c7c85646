"""Who may do what in the emergency call, and the refusal of a move that came too late."""

from __future__ import annotations

from finegrid.accounts.models import Role
from finegrid.core.errors import FinegridError

# who may enrol, change chains, and read or close any call in their jurisdiction
OFFICIALS = frozenset(
    {
        Role.GRID_HEAD,
        Role.GRID_WORKER,
        Role.COMMUNITY_OFFICIAL,
        Role.STREET_OFFICIAL,
        Role.STREET_LEADER,
        Role.SYSTEM_ADMIN,
    }
)
# those who may set a community's chain
CHAIN_KEEPERS = frozenset(
    {Role.COMMUNITY_OFFICIAL, Role.STREET_OFFICIAL, Role.STREET_LEADER, Role.SYSTEM_ADMIN}
)
# who may start the chain from a door nobody opens
KNOCKERS = frozenset({Role.MICRO_WORKER, *OFFICIALS})


class Conflict(FinegridError):
    status = 409
    code = "conflict"
