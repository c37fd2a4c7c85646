"""Case pages: the worker app (phone), dispatcher and department queues (desktop), case page."""

from __future__ import annotations

urlpatterns: list = []
