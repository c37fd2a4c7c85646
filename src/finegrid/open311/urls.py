"""Open311 GeoReport v2 under /open311/v2/."""

from __future__ import annotations

app_name = "open311"

urlpatterns: list = []
