from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from finegrid.accounts.models import ApiToken, RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    raw_id_fields = ["grid"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("finegrid", {"fields": ("display_name", "phone")}),
    )
    list_display = ["username", "display_name", "phone", "is_staff"]
    search_fields = ["username", "display_name", "phone"]
    inlines = [RoleAssignmentInline]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "created_at", "last_used_at"]
    readonly_fields = ["digest"]
