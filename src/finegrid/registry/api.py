"""/api/v1/registry/: households, people, care tags, rentals, businesses."""

from __future__ import annotations

from ninja import Router

from finegrid.accounts.api import API_AUTH

router = Router(tags=["registry"], auth=API_AUTH)
