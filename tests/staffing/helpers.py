from __future__ import annotations

from finegrid.accounts.models import Role, RoleAssignment, User
from finegrid.grids.models import Grid
from tests.conftest import PASSWORD


def person(username: str, name: str, grid: Grid, role: str = Role.RESIDENT) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, display_name=name, phone="13900000000"
    )
    RoleAssignment.objects.create(user=user, role=role, grid=grid)
    return user
