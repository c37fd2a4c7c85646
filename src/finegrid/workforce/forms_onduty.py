"""Page forms of on duty now, leave and the community duty roster."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from finegrid.core.forms import Form


class LeaveForm(Form):
    person = forms.CharField(
        label=_("Person (login name)"),
        max_length=150,
        required=False,
        help_text=_("Leave empty for yourself."),
    )
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)
    substitute = forms.CharField(label=_("Substitute (login name)"), max_length=150, required=False)


class RosterGenerateForm(Form):
    month = forms.CharField(
        label=_("Month"), max_length=7, widget=forms.TextInput(attrs={"type": "month"})
    )
    replace = forms.BooleanField(label=_("Replace the month's roster"), required=False)


class ReassignForm(Form):
    person = forms.CharField(label=_("Person (login name)"), max_length=150)
