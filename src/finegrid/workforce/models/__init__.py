"""The people of the net (队伍): one module per part, re-exported here for Django.

- ``workers``: the worker profile, its lifecycle (进入退出导则) and the grids served.
- ``codes``: QR codes on places, patrol points and check-ins (一码报到).
- ``party``: grid party organisations, registered party members (双报到), 1+1+N links.
- ``duty``: stations (微网之家), shifts and leave — what "on duty now" reads.
- ``dutylists``: the duty lists (一清单) — which tasks each grid level or department owns.
- ``stations``: a station's services, visiting services, rooms and bookings.
- ``patrols``: patrol plans, rounds, findings, household visits and the coverage rollups.
"""

from finegrid.workforce.models.codes import Checkin, Code, CodeKind, PatrolPoint
from finegrid.workforce.models.duty import Leave, Shift, ShiftKind, Station
from finegrid.workforce.models.dutylists import DutyList, DutyTask, ListKind
from finegrid.workforce.models.party import (
    OrganisationKind,
    PartyLink,
    PartyLinkHousehold,
    PartyMember,
    PartyOrganisation,
)
from finegrid.workforce.models.patrols import (
    Cadence,
    CoverageRollup,
    CoverageTally,
    Finding,
    HouseholdState,
    HouseholdVisit,
    PatrolPlan,
    PatrolRound,
    PatrolTarget,
    PeriodKind,
    PlanKind,
    PointState,
    RoundStop,
    VisitOutcome,
    WorkerDay,
)
from finegrid.workforce.models.stations import Booking, Room, StationService, VisitingService
from finegrid.workforce.models.workers import (
    Origin,
    Worker,
    WorkerEvent,
    WorkerGrid,
    WorkerStatus,
    WorkerType,
)

__all__ = [
    "Booking",
    "Room",
    "StationService",
    "VisitingService",
    "Cadence",
    "CoverageRollup",
    "CoverageTally",
    "Finding",
    "HouseholdState",
    "HouseholdVisit",
    "PatrolPlan",
    "PatrolRound",
    "PatrolTarget",
    "PeriodKind",
    "PlanKind",
    "PointState",
    "RoundStop",
    "VisitOutcome",
    "WorkerDay",
    "Checkin",
    "Code",
    "CodeKind",
    "PatrolPoint",
    "DutyList",
    "DutyTask",
    "Leave",
    "ListKind",
    "OrganisationKind",
    "PartyLink",
    "PartyLinkHousehold",
    "PartyMember",
    "PartyOrganisation",
    "Origin",
    "Shift",
    "ShiftKind",
    "Station",
    "Worker",
    "WorkerEvent",
    "WorkerGrid",
    "WorkerStatus",
    "WorkerType",
]
