"""Page forms of the workers and the party layer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from finegrid.core.forms import Form
from finegrid.workforce.models import OrganisationKind, Origin, WorkerStatus, WorkerType


def _blank(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", _("All")), *choices]


class WorkerFilterForm(Form):
    grid = forms.CharField(label=_("Grid code"), max_length=40, required=False)
    type = forms.ChoiceField(label=_("Type"), choices=_blank(WorkerType.choices), required=False)
    origin = forms.ChoiceField(label=_("Origin"), choices=_blank(Origin.choices), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=_blank(WorkerStatus.choices), required=False
    )


class WorkerForm(Form):
    username = forms.CharField(label=_("Username of the login"), max_length=150)
    type = forms.ChoiceField(label=_("Type"), choices=WorkerType.choices)
    origin = forms.ChoiceField(label=_("Origin"), choices=Origin.choices)
    grids = forms.CharField(
        label=_("Grids served"),
        max_length=400,
        help_text=_("Grid codes separated by commas; the first is the home grid."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    skills = forms.CharField(
        label=_("Skills"), max_length=400, required=False, help_text=_("Separated by commas.")
    )
    reason = forms.CharField(label=_("Note"), max_length=200, required=False)


class MoveForm(Form):
    to = forms.ChoiceField(label=_("New status"), choices=WorkerStatus.choices)
    reason = forms.CharField(label=_("Reason"), max_length=200)


class UnmaskForm(Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class OrganisationForm(Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    name = forms.CharField(label=_("Name"), max_length=100)
    household = forms.IntegerField(
        label=_("Household number"),
        required=False,
        help_text=_("Only for a party member's central household."),
    )


class MemberForm(Form):
    name = forms.CharField(label=_("Name"), max_length=64)
    work_unit = forms.CharField(label=_("Work unit"), max_length=100)
    username = forms.CharField(label=_("Login (optional)"), max_length=150, required=False)


def split_codes(text: str) -> list[str]:
    return [p.strip() for p in text.replace("，", ",").split(",") if p.strip()]
