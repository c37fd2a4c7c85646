"""/api/v1/cases: create (with Idempotency-Key), read, list with filters, transitions."""

from __future__ import annotations

from ninja import Router

from finegrid.accounts.api import API_AUTH

router = Router(tags=["cases"], auth=API_AUTH)
