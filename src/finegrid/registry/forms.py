"""Page forms for rentals and businesses.

They parse what a browser sends (dates, numbers, a choice among the household's members) and
leave every rule to the services (`rental_create`, `business_create`): a rule broken there comes
back as an InvalidInput problem and is shown beside the field it names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import Model
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from finegrid.core.forms import Form
from finegrid.registry.models import Business, BusinessType, InspectionStatus, Person, Rental

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _label(model: type[Model], name: str) -> Any:
    return capfirst(model._meta.get_field(name).verbose_name)  # type: ignore[union-attr]


class RentalForm(Form):
    """A rental of one household; landlord and tenants are chosen among its members."""

    landlord = forms.TypedChoiceField(
        label=_("Landlord"), coerce=int, empty_value=None, required=False
    )
    tenants = forms.TypedMultipleChoiceField(
        label=_("Tenants"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    registered = forms.BooleanField(label=_label(Rental, "registered"), required=False)
    lease_start = forms.DateField(label=_label(Rental, "lease_start"), required=False, widget=DATE)
    lease_end = forms.DateField(label=_label(Rental, "lease_end"), required=False, widget=DATE)

    def __init__(self, *args: Any, members: Iterable[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = {p.pk: p for p in members}
        people = [(pk, p.name) for pk, p in self.members.items()]
        self.fields["landlord"].choices = [("", "—"), *people]  # type: ignore[attr-defined]
        self.fields["tenants"].choices = people  # type: ignore[attr-defined]

    def chosen_landlord(self) -> Person | None:
        pk = self.cleaned_data["landlord"]
        return None if pk is None else self.members[pk]

    def chosen_tenants(self) -> list[Person]:
        return [self.members[pk] for pk in self.cleaned_data["tenants"]]


class BusinessForm(Form):
    """A business, placed by the code of its micro-grid or by its coordinates."""

    name = forms.CharField(label=_label(Business, "name"), max_length=100, required=False)
    business_type = forms.ChoiceField(
        label=_label(Business, "business_type"),
        choices=[("", "—"), *BusinessType.choices],
        required=False,
    )
    address = forms.CharField(label=_label(Business, "address"), max_length=200)
    micro_grid = forms.CharField(
        label=_("Micro-grid"),
        max_length=32,
        required=False,
        help_text=_(
            "The code of the micro-grid or dedicated grid; leave it empty to place the "
            "business by its coordinates."
        ),
        widget=forms.TextInput(attrs={"list": "business-grids", "autocomplete": "off"}),
    )
    lat = forms.FloatField(label=_label(Business, "lat"), required=False)
    lng = forms.FloatField(label=_label(Business, "lng"), required=False)
    licence_number = forms.CharField(
        label=_label(Business, "licence_number"), max_length=32, required=False
    )
    contact_name = forms.CharField(
        label=_label(Business, "contact_name"), max_length=64, required=False
    )
    contact_phone = forms.CharField(
        label=_label(Business, "contact_phone_masked"), max_length=20, required=False
    )
    inspection_status = forms.ChoiceField(
        label=_label(Business, "inspection_status"),
        choices=InspectionStatus.choices,
        initial=InspectionStatus.PENDING,
    )
    inspected_on = forms.DateField(
        label=_label(Business, "inspected_on"), required=False, widget=DATE
    )

    def values(self) -> dict[str, Any]:
        """Keyword arguments for ``business_create``, less the grid (the view resolves it)."""
        c = self.cleaned_data
        return {
            name: c[name]
            for name in (
                "name",
                "business_type",
                "address",
                "lat",
                "lng",
                "licence_number",
                "contact_name",
                "contact_phone",
                "inspection_status",
                "inspected_on",
            )
        }


class RentalEndForm(Form):
    """The day the tenants left; ``rental_end`` checks it against the lease and today."""

    ended_on = forms.DateField(label=_label(Rental, "ended_on"), widget=DATE, initial=dt.date.today)


class BusinessCloseForm(Form):
    """The day the business closed; ``business_close`` checks it against today."""

    closed_on = forms.DateField(
        label=_label(Business, "closed_on"), widget=DATE, initial=dt.date.today
    )
