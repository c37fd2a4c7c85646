from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from finegrid.accounts.jurisdiction import scope_for
from finegrid.core.models import AuditEvent
from finegrid.registry.permissions import AUDIT_READERS


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Auditors read the log; nobody edits it."""

    list_display = ["at", "actor", "action", "target_type", "target_label", "reason", "ip"]
    list_filter = ["action", "target_type"]
    search_fields = ["target_label", "reason", "actor__username"]
    date_hierarchy = "at"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        if request.user.is_superuser:  # type: ignore[union-attr]
            return qs
        return scope_for(request.user, roles=AUDIT_READERS).filter(qs, "grid_path")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(
            request.user.is_superuser or not scope_for(request.user, roles=AUDIT_READERS).empty
        )  # type: ignore[union-attr]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
