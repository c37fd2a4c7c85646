from __future__ import annotations

from functools import partial

from django.http import HttpRequest

from finegrid.accounts.jurisdiction import is_resident


def resident(request: HttpRequest) -> dict[str, object]:
    # a callable: the header asks only when it draws the menu, and pages without one pay nothing
    return {"fg_is_resident": partial(is_resident, getattr(request, "user", None))}
