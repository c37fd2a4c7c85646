"""The care app's WebSocket URLs, mounted by config/asgi.py."""

from __future__ import annotations

from django.urls import path

from finegrid.care.consumers import AlertConsumer

websocket_urlpatterns = [
    path("ws/alerts/", AlertConsumer.as_asgi(), name="care-alerts"),
]
