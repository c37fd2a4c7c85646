"""Care (关爱): the emergency call, and the daily care and meal rounds around it.

- ``calls``: enrolment, devices, family contacts, the escalation chain, calls, their trace,
  the people alerted, the outbox and refused attempts.
"""

from finegrid.care.models.calls import (
    OPEN_STATUSES,
    WAITING_STATUSES,
    CallEvent,
    CallRecipient,
    CallSource,
    CallStatus,
    ChainRole,
    ChainStep,
    Channel,
    Device,
    DeviceKind,
    EmergencyCall,
    Enrolment,
    EventKind,
    FamilyContact,
    Outbound,
    OutboundKind,
    OutboundStatus,
    Outcome,
    Refusal,
    RefusalKind,
)

__all__ = [
    "OPEN_STATUSES",
    "WAITING_STATUSES",
    "CallEvent",
    "CallRecipient",
    "CallSource",
    "CallStatus",
    "ChainRole",
    "ChainStep",
    "Channel",
    "Device",
    "DeviceKind",
    "EmergencyCall",
    "Enrolment",
    "EventKind",
    "FamilyContact",
    "Outbound",
    "OutboundKind",
    "OutboundStatus",
    "Outcome",
    "Refusal",
    "RefusalKind",
]
