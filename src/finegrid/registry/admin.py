"""Back-office views of the registry: scoped like every read, masked, and never showing the
encrypted columns. Edits go through the pages and API, whose services validate and audit."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from finegrid.accounts.jurisdiction import scope_for
from finegrid.core.audit import target_type_label
from finegrid.core.models import AuditEvent
from finegrid.registry.models import Business, ImportJob, Person, Rental
from finegrid.registry.permissions import AUDIT_READERS
from finegrid.registry.selectors import registry_scope


class ReadOnlyScopedAdmin(admin.ModelAdmin):
    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return registry_scope(request.user).filter(super().get_queryset(request), "grid_path")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Person)
class PersonAdmin(ReadOnlyScopedAdmin):
    list_display = ["name", "id_number_masked", "phone_masked", "residence_status", "household"]
    list_filter = ["residence_status", "is_party_member", "is_veteran"]
    search_fields = ["name", "name_initials"]
    fields = [
        "name",
        "gender",
        "birth_date",
        "document_type",
        "id_number_masked",
        "phone_masked",
        "residence_status",
        "is_party_member",
        "party_dual_registered",
        "is_veteran",
        "occupation",
        "household",
        "relation",
        "deceased_on",
    ]


@admin.register(Rental)
class RentalAdmin(ReadOnlyScopedAdmin):
    list_display = ["household", "landlord", "registered", "lease_start", "lease_end"]


@admin.register(Business)
class BusinessAdmin(ReadOnlyScopedAdmin):
    list_display = [
        "name",
        "business_type",
        "contact_phone_masked",
        "inspection_status",
        "inspected_on",
    ]
    list_filter = ["business_type", "inspection_status"]
    exclude = ["contact_phone_enc"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = [
        "filename",
        "created_by",
        "status",
        "processed_rows",
        "total_rows",
        "created_at",
    ]
    readonly_fields = [f.name for f in ImportJob._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class TargetTypeFilter(admin.SimpleListFilter):
    """The kinds of object in the log, by their names rather than the stored model names."""

    title = _("object type")
    parameter_name = "target_type"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        kinds = model_admin.get_queryset(request).order_by().values_list("target_type", flat=True)
        return [(kind, target_type_label(kind)) for kind in sorted(set(kinds.distinct()))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(target_type=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Auditors read the log; nobody edits it."""

    list_display = ["at", "actor", "action", "kind", "target", "reason", "ip"]
    list_filter = ["action", TargetTypeFilter]
    search_fields = ["target_label", "reason", "actor__username"]
    date_hierarchy = "at"

    @admin.display(description=_("object type"), ordering="target_type")
    def kind(self, obj: AuditEvent) -> str:
        return target_type_label(obj.target_type)

    @admin.display(description=_("object"), ordering="target_label")
    def target(self, obj: AuditEvent) -> str:
        # the object as it was named when the act was recorded, in the words of that moment:
        # a record is never rewritten, so it is not translated either
        return format_html('<span translate="no">{}</span>', obj.target_label)

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
