from __future__ import annotations

from functools import partial
from typing import Any

from django.http import HttpRequest

from finegrid.accounts.jurisdiction import is_resident, user_roles
from finegrid.accounts.models import Role


def _lives_here(user: Any) -> bool:
    return Role.RESIDENT in user_roles(user)


def resident(request: HttpRequest) -> dict[str, object]:
    # callables: the header asks only when it draws the menu, and pages without one pay nothing
    user = getattr(request, "user", None)
    return {"fg_is_resident": partial(is_resident, user), "fg_has_home": partial(_lives_here, user)}
