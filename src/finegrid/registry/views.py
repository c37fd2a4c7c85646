"""Registry pages (household, person, roster, special populations, search, audit log)."""

from __future__ import annotations

urlpatterns: list = []
