"""Back-office editing, scoped like every other read: an official sees only their subtree."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from finegrid.accounts.jurisdiction import scope_for
from finegrid.grids.models import Building, Estate, Grid, GridBoundary, Household, Responsibility
from finegrid.grids.services import forget_grids


class ScopedAdmin(admin.ModelAdmin):
    path_field = "grid_path"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return scope_for(request.user).filter(super().get_queryset(request), self.path_field)


class ForgettingAdmin(ScopedAdmin):
    """Edits here bypass the services, so they tell the per-process caches themselves (in the
    admin's transaction, like the services)."""

    def forget(self) -> None:
        raise NotImplementedError

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        self.forget()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        self.forget()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        super().delete_queryset(request, queryset)
        self.forget()


@admin.register(Grid)
class GridAdmin(ForgettingAdmin):
    path_field = "path"
    list_display = ["code", "name", "level", "kind", "boundary_version"]
    list_filter = ["level", "kind"]
    search_fields = ["code", "name"]
    readonly_fields = ["path", "boundary", "boundary_version", "area_m2"]
    raw_id_fields = ["parent"]

    def forget(self) -> None:
        forget_grids()


@admin.register(GridBoundary)
class GridBoundaryAdmin(admin.ModelAdmin):
    list_display = ["grid", "version", "created_at", "drawn_by"]
    raw_id_fields = ["grid"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return scope_for(request.user).filter(super().get_queryset(request), "grid__path")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # history is never edited


@admin.register(Estate, Building, Household)
class PlaceAdmin(ScopedAdmin):
    list_display = ["name", "micro_grid"]
    search_fields = ["name"]
    raw_id_fields = ["micro_grid"]


@admin.register(Responsibility)
class ResponsibilityAdmin(ScopedAdmin):
    """Read-only: staffing is changed on the staffing pages, which keep the history and the
    audit trail (ending, never deleting)."""

    list_display = ["person", "duty", "grid", "estate", "building", "household", "started_at"]
    list_display += ["ended_at"]
    list_filter = ["duty"]
    raw_id_fields = ["person", "grid", "estate", "building", "household"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
