"""/api/v1/workforce: one router; each part of the capability adds its own sub-router here."""

from __future__ import annotations

from ninja import Router

from finegrid.accounts.api import API_AUTH
from finegrid.workforce.api.codes import router as codes_router
from finegrid.workforce.api.dutylists import router as dutylists_router
from finegrid.workforce.api.leave import router as leave_router
from finegrid.workforce.api.onduty import router as onduty_router
from finegrid.workforce.api.party import router as party_router
from finegrid.workforce.api.patrols import router as patrols_router
from finegrid.workforce.api.stations import router as stations_router
from finegrid.workforce.api.workers import router as workers_router

router = Router(tags=["workforce"], auth=API_AUTH)

for part in (
    onduty_router,
    leave_router,
    dutylists_router,
    workers_router,
    codes_router,
    stations_router,
    patrols_router,
):
    router.add_router("", part)
router.add_router("/party", party_router)
