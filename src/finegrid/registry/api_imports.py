"""/api/v1/registry/imports: ledger imports (multipart ``file``) and their row reports."""

from __future__ import annotations

from ninja import Router

from finegrid.accounts.api import API_AUTH

router = Router(tags=["registry imports"], auth=API_AUTH)
