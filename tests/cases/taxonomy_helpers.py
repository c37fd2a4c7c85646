"""A second street beside the shared net, and the JSON calls of the taxonomy tests."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from finegrid.accounts.models import Role, RoleAssignment, User
from finegrid.grids import services as grid_services
from finegrid.grids.models import Grid, Level
from tests.conftest import PASSWORD, box

NEW_CATEGORY = {
    "code": "noise",
    "name": "噪声扰民",
    "name_en": "Noise nuisance",
    "parent": "sanitation",
    "department": "environment",
    "default_track": "coordinate",
    "accept_minutes": 90,
    "resolve_minutes_now": 240,
    "resolve_minutes_coordinate": 960,
    "resolve_minutes_follow_up": 2400,
}


def neighbour_street() -> Grid:
    return grid_services.grid_create(
        code="S2", name="太平街道", level=Level.STREET, boundary=box(104.1, 30.0, 104.14, 30.02)
    )


def street_leader_of(grid: Grid, username: str = "leader2") -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, display_name="赵平")
    RoleAssignment.objects.create(user=user, role=Role.STREET_LEADER, grid=grid)
    return user


def send(client: Client, method: str, url: str, body: Any = None) -> Any:
    return getattr(client, method)(
        url, json.dumps(body) if body is not None else None, content_type="application/json"
    )
