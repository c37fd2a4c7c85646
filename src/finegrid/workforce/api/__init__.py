"""/api/v1/workforce: one router; each part of the capability adds its own sub-router here."""

from __future__ import annotations

from ninja import Router

from finegrid.accounts.api import API_AUTH

router = Router(tags=["workforce"], auth=API_AUTH)

from finegrid.workforce.api.patrols import router as patrols_router  # noqa: E402

router.add_router("", patrols_router)
