"""/api/v1/workforce: one router; each part of the capability adds its own sub-router here."""

from __future__ import annotations

from ninja import Router

from finegrid.accounts.api import API_AUTH

router = Router(tags=["workforce"], auth=API_AUTH)

from finegrid.workforce.api.onduty import router as onduty_router  # noqa: E402

router.add_router("", onduty_router)

from finegrid.workforce.api.leave import router as leave_router  # noqa: E402

router.add_router("", leave_router)
from finegrid.workforce.api.dutylists import router as dutylists_router  # noqa: E402

router.add_router("", dutylists_router)
from finegrid.workforce.api.party import router as party_router  # noqa: E402
from finegrid.workforce.api.workers import router as workers_router  # noqa: E402

router.add_router("", workers_router)
router.add_router("/party", party_router)
from finegrid.workforce.api.codes import router as codes_router  # noqa: E402

router.add_router("", codes_router)
from finegrid.workforce.api.stations import router as stations_router  # noqa: E402

router.add_router("", stations_router)
from finegrid.workforce.api.patrols import router as patrols_router  # noqa: E402

router.add_router("", patrols_router)
