"""Care (关爱): the emergency call, and the daily care and meal rounds around it.

- ``calls``: enrolment, devices, family contacts, the escalation chain, calls, their trace,
  the people alerted, the outbox and refused attempts.
- ``devicechecks``: a device gone quiet or running flat, for the micro-grid worker to check.
- ``daily``: daily care — contact plans per care-tag kind, contacts, and the watch per person.
- ``meals``: meal subscriptions, rounds, deliveries and the welfare check of a door not opened.
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
from finegrid.care.models.daily import (
    CareContact,
    ContactKind,
    ContactPlan,
    ContactWatch,
    WatchStage,
)
from finegrid.care.models.devicechecks import CheckEnd, CheckReason, DeviceCheck
from finegrid.care.models.meals import (
    DeliveryStatus,
    Diet,
    MealDelivery,
    MealRound,
    MealSubscription,
    Payer,
    WelfareCheck,
    WelfareStatus,
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
    "CheckEnd",
    "CheckReason",
    "DeviceCheck",
    "CareContact",
    "ContactKind",
    "ContactPlan",
    "ContactWatch",
    "WatchStage",
    "DeliveryStatus",
    "Diet",
    "MealDelivery",
    "MealRound",
    "MealSubscription",
    "Payer",
    "WelfareCheck",
    "WelfareStatus",
]
