"""Ledger import pages: upload, progress, row report; template downloads and exports."""

from __future__ import annotations

urlpatterns: list = []
