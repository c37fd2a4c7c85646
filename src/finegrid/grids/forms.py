"""Forms of the staffing page. They only parse; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from finegrid.core.forms import Form


class PersonField(forms.CharField):
    """A username, typed or picked from the jurisdiction's people (a datalist filled by htmx)."""

    def __init__(self, *, picker_url: str = "", **kwargs: Any) -> None:
        attrs = {
            "list": "staffing-people",
            "autocomplete": "off",
            "placeholder": _("Type a name, username or phone"),
            "hx-get": picker_url,
            "hx-trigger": "input changed delay:250ms",
            "hx-target": "#staffing-people",
            "hx-swap": "innerHTML",
            "hx-sync": "this:replace",
        }
        super().__init__(
            label=_("Person"),
            max_length=150,
            error_messages={"required": _("Choose a person.")},
            widget=forms.TextInput(attrs=attrs),
            **kwargs,
        )


def _reason() -> forms.CharField:
    return forms.CharField(
        label=_("Reason"),
        max_length=200,
        error_messages={
            "required": _("Give a reason for ending this duty."),
            "max_length": _("The reason may have at most 200 characters."),
        },
        widget=forms.TextInput(attrs={"placeholder": _("e.g. moved away, term ended")}),
    )


class AssignForm(Form):
    duty = forms.CharField(widget=forms.HiddenInput)
    # "" for the page's grid, "estate:3" / "building:12" for a place in it
    target = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, picker_url: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"] = PersonField(picker_url=picker_url)


class ReplaceForm(Form):
    def __init__(self, *args: Any, picker_url: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"] = PersonField(picker_url=picker_url)
        self.fields["reason"] = _reason()


class EndForm(Form):
    reason = _reason()
