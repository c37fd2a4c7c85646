from __future__ import annotations

from ninja import Router

from finegrid.accounts.api import API_AUTH

router = Router(auth=API_AUTH)
