"""Back-office editing of the calendar that the case clocks count working hours on.

The calendar is one for the whole deployment, so no grid scope applies: Django's model
permissions (``cases.view_holiday``, ``change_holiday``…) decide who may read and keep it.
``finegrid holidays_load`` writes the official years; here officials add a local day off or fix
a row. An edit counts for deadlines set after it; deadlines already set stay as they are.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from finegrid.cases import clock
from finegrid.cases.models import Holiday


class HolidayForm(forms.ModelForm):
    class Meta:
        model = Holiday
        fields = ["date", "is_workday", "name", "name_en"]
        help_texts = {
            "is_workday": _(
                "Ticked: a weekend day that is worked (a make-up working day). Unticked: a day off."
            )
        }


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    form = HolidayForm
    list_display = ["date", "weekday", "is_workday", "holiday"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"  # year, then month: the calendar is read a year at a time
    search_fields = ["name", "name_en"]
    ordering = ["date"]

    @admin.display(description=_("holiday name"), ordering="name")
    def holiday(self, obj: Holiday) -> str:
        return obj.label

    @admin.display(description=_("weekday"), ordering="date")
    def weekday(self, obj: Holiday) -> str:
        return formats.date_format(obj.date, "l")

    # The clocks cache the table per process; forget it once the edit is committed, so that a
    # clock read in between cannot cache the old rows again.
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        transaction.on_commit(clock.forget_holidays)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        transaction.on_commit(clock.forget_holidays)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        super().delete_queryset(request, queryset)
        transaction.on_commit(clock.forget_holidays)
