"""Back office for workers and the party layer, scoped like every other read.

The lifecycle is read-only here: a move goes through the worker's page, which asks for the
reason, keeps the event and, on an exit, ends the duties and roles in the same transaction.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from finegrid.grids.admin import ScopedAdmin
from finegrid.workforce.models import (
    PartyLink,
    PartyLinkHousehold,
    PartyMember,
    PartyOrganisation,
    Worker,
    WorkerEvent,
    WorkerGrid,
)


class GridPathAdmin(ScopedAdmin):
    """``grid_path`` is not a form field: it follows the grid chosen."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.grid_path = obj.grid.path
        super().save_model(request, obj, form, change)


class WorkerGridInline(admin.TabularInline):
    model = WorkerGrid
    extra = 0
    raw_id_fields = ["grid"]
    readonly_fields = ["grid", "started_at", "ended_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class WorkerEventInline(admin.TabularInline):
    model = WorkerEvent
    extra = 0
    readonly_fields = ["at", "from_status", "to_status", "reason", "actor"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Worker)
class WorkerAdmin(ScopedAdmin):
    list_display = ["user", "type", "origin", "status", "phone_masked", "status_changed_at"]
    list_filter = ["type", "origin", "status"]
    search_fields = ["user__username", "user__display_name"]
    raw_id_fields = ["user"]
    readonly_fields = ["status", "status_changed_at", "phone_masked"]
    exclude = ["calendar_secret"]
    inlines = [WorkerGridInline, WorkerEventInline]


@admin.register(PartyOrganisation)
class PartyOrganisationAdmin(GridPathAdmin):
    list_display = ["name", "kind", "grid", "parent"]
    list_filter = ["kind"]
    search_fields = ["name"]
    raw_id_fields = ["grid", "parent", "household"]


@admin.register(PartyMember)
class PartyMemberAdmin(GridPathAdmin):
    list_display = ["name", "work_unit", "grid", "organisation", "registered_on"]
    search_fields = ["name", "work_unit"]
    raw_id_fields = ["grid", "organisation", "user"]


class PartyLinkHouseholdInline(admin.TabularInline):
    model = PartyLinkHousehold
    extra = 0
    raw_id_fields = ["household"]


@admin.register(PartyLink)
class PartyLinkAdmin(GridPathAdmin):
    list_display = ["member", "worker", "grid"]
    raw_id_fields = ["member", "worker", "grid"]
    inlines = [PartyLinkHouseholdInline]
