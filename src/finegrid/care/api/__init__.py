"""/api/v1/care: one router; each part of the capability adds its own sub-router here.

- ``calls``: emergency calls — press, read, acknowledge, on the way, arrive, close.
- ``devices``: enrolments, devices (keys, revoking, heartbeats) and the escalation chains.
- ``figures``: time to acknowledge and arrive, outcomes, per community and month.
- ``daily``: daily care — contact plans, contacts and visits, who has gone quiet.
- ``meals``: meal subscriptions, rounds and deliveries.
"""

from __future__ import annotations

from ninja import Router

from finegrid.care.api.calls import router as calls_router
from finegrid.care.api.daily import router as daily_router
from finegrid.care.api.devices import router as devices_router
from finegrid.care.api.figures import router as figures_router
from finegrid.care.api.meals import router as meals_router

router = Router(tags=["care"])

for part in (calls_router, devices_router, figures_router, daily_router, meals_router):
    router.add_router("", part)
