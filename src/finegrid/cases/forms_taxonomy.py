"""Forms of the taxonomy pages. They parse and label; ``services_taxonomy`` decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from finegrid.cases.models import Category, Department, Track
from finegrid.cases.services_taxonomy import CATEGORY_CLOCKS, CategorySpec, DepartmentSpec
from finegrid.core.forms import Form

MINUTES = forms.NumberInput(attrs={"min": 1, "step": 1, "inputmode": "numeric"})


def _minutes(label: Any, help_text: Any = "") -> forms.IntegerField:
    return forms.IntegerField(label=label, widget=MINUTES, help_text=help_text)


class CategoryForm(Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("Lowercase letters, digits and _; it never changes (clients use it)."),
    )
    # The service checks the names with everything else, so one answer names every problem.
    name = forms.CharField(label=_("Name (Chinese)"), max_length=64, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=64, required=False)
    description = forms.CharField(label=_("Description (Chinese)"), max_length=200, required=False)
    description_en = forms.CharField(
        label=_("Description (English)"), max_length=200, required=False
    )
    parent = forms.ChoiceField(label=_("Parent category"), required=False)
    department = forms.ChoiceField(
        label=_("Usual department"),
        required=False,
        help_text=_("Offered first when a case of this category is whistled."),
    )
    default_track = forms.ChoiceField(label=_("Default track"), choices=Track.choices)
    safety_critical = forms.BooleanField(
        label=_("Safety-critical (clocks run in calendar minutes)"), required=False
    )
    accept_minutes = _minutes(_("Accept within (minutes)"))
    resolve_minutes_now = _minutes(_("Resolve within, settle now (minutes)"))
    resolve_minutes_coordinate = _minutes(_("Resolve within, coordinate (minutes)"))
    resolve_minutes_follow_up = _minutes(_("Resolve within, follow up (minutes)"))
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, category: Category | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if category is not None:
            del self.fields["code"]  # the code of a category stays what it was made with
        parents = Category.objects.filter(active=True)
        if category is not None:
            parents = parents.exclude(pk=category.pk)
        self.fields["parent"].choices = [("", "—"), *[(c.code, c.label) for c in parents]]  # type: ignore[attr-defined]
        self.fields["department"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *[(d.code, d.label) for d in Department.objects.filter(active=True)],
        ]

    def spec(self) -> CategorySpec:
        d = self.cleaned_data
        return CategorySpec(
            name=d["name"],
            name_en=d["name_en"],
            description=d["description"],
            description_en=d["description_en"],
            parent=d["parent"],
            department=d["department"],
            default_track=d["default_track"],
            safety_critical=d["safety_critical"],
            active=d["active"],
            **{clock: d[clock] for clock in CATEGORY_CLOCKS},
        )


class DepartmentForm(Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("Lowercase letters, digits and _; it never changes (clients use it)."),
    )
    # The service checks the names with everything else, so one answer names every problem.
    name = forms.CharField(label=_("Name (Chinese)"), max_length=64, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=64, required=False)
    phone = forms.CharField(label=_("Duty phone"), max_length=20, required=False)
    report_in_minutes = _minutes(
        _("Report in within (minutes)"), _("Calendar minutes after the whistle.")
    )
    resolve_minutes = _minutes(_("Resolve within (working minutes)"))
    staff = forms.TypedMultipleChoiceField(
        label=_("Staff"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("People who hold the department staff role."),
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(
        self,
        *args: Any,
        department: Department | None = None,
        candidates: list[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if department is not None:
            del self.fields["code"]
        people = {u.pk: u for u in candidates}
        if department is not None:
            people.update({u.pk: u for u in department.staff.all()})
        self.fields["staff"].choices = [(pk, str(u)) for pk, u in people.items()]  # type: ignore[attr-defined]

    def spec(self) -> DepartmentSpec:
        d = self.cleaned_data
        return DepartmentSpec(
            name=d["name"],
            name_en=d["name_en"],
            phone=d["phone"],
            report_in_minutes=d["report_in_minutes"],
            resolve_minutes=d["resolve_minutes"],
            staff=list(d["staff"]),
            active=d["active"],
        )
