"""/api/v1/participation and /api/v1/points: one router each; every part of the capability adds
its own sub-router to one of them here."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["participation"])
points_router = Router(tags=["points"])
