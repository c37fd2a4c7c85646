"""Reads of the taxonomy: the lists the administrators keep, and one category or department.

The taxonomy is not scoped data (one for the whole deployment), but its pages are the
administrators': the management reads check ``access_taxonomy_manage`` first. Staff who only
report or whistle read the active lists through the case forms and ``category_list``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from finegrid.accounts.jurisdiction import STAFF_ROLES, scope_for
from finegrid.accounts.models import Role, User
from finegrid.cases.models import Category, Department
from finegrid.cases.permissions import access_taxonomy_manage
from finegrid.core.errors import Forbidden, NotFound


def category_list(*, user: Any, include_inactive: bool = False) -> QuerySet[Category]:
    """Every signed-in user may read the categories (a resident picks one to report); only the
    administrators see the deactivated ones."""
    if not getattr(user, "is_authenticated", False):
        raise Forbidden(_("Log in or send a valid API token."))
    if include_inactive:
        access_taxonomy_manage(user)
    qs = Category.objects.select_related("parent", "department").annotate(case_count=Count("cases"))
    return qs if include_inactive else qs.filter(active=True)


def category_get(*, user: Any, code: str, manage: bool = False) -> Category:
    if manage:
        access_taxonomy_manage(user)
    found = category_list(user=user, include_inactive=manage).filter(code=code).first()
    if found is None:
        raise NotFound(_("No such category."), field="code")
    return found


def department_list(*, user: Any, include_inactive: bool = False) -> QuerySet[Department]:
    """Staff read the departments they may whistle; the administrators every one, with staff."""
    if include_inactive:
        access_taxonomy_manage(user)
    elif scope_for(user, roles=STAFF_ROLES).empty and not getattr(user, "is_superuser", False):
        raise Forbidden(_("Your role may not read the departments."))
    qs = Department.objects.prefetch_related(
        Prefetch("staff", queryset=User.objects.order_by("display_name", "username"))
    ).annotate(whistle_count=Count("whistles", distinct=True))
    return qs if include_inactive else qs.filter(active=True)


def department_get(*, user: Any, code: str, manage: bool = False) -> Department:
    found = department_list(user=user, include_inactive=manage).filter(code=code).first()
    if found is None:
        raise NotFound(_("No such department."), field="code")
    return found


def staff_candidates(*, user: Any) -> list[User]:
    """Who may be put on a department's staff: holders of the department staff role."""
    access_taxonomy_manage(user)
    return list(
        User.objects.filter(assignments__role=Role.DEPARTMENT_STAFF, is_active=True)
        .distinct()
        .order_by("display_name", "username")
    )
