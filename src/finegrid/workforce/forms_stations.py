"""Page forms of service stations. Opening hours are typed one line per stretch, weekdays
1 (Monday) to 7 (Sunday): ``1-5 09:00-17:00``, ``2,5 14:00-17:00``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from finegrid.core.forms import Form
from finegrid.workforce.models import StationService


def parse_hours(text: str) -> list[dict[str, Any]]:
    """``1-5 09:00-17:00`` lines into the station's hours; a bad line raises ValidationError
    naming it."""
    out: list[dict[str, Any]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        try:
            days_part, times_part = line.split()
            start, end = (dt.time.fromisoformat(t) for t in times_part.split("-"))
            days: set[int] = set()
            for piece in days_part.split(","):
                if "-" in piece:
                    lo, hi = (int(x) for x in piece.split("-"))
                    days.update(range(lo, hi + 1))
                else:
                    days.add(int(piece))
            if not days or min(days) < 1 or max(days) > 7:
                raise ValueError
        except ValueError:
            raise forms.ValidationError(
                _("Line %(line)s: write weekdays 1–7 and times, like 1-5 09:00-17:00."),
                params={"line": number},
            ) from None
        for day in sorted(days):
            out.append({"weekday": day - 1, "start": f"{start:%H:%M}", "end": f"{end:%H:%M}"})
    return out


def format_hours(hours: list[dict[str, Any]]) -> str:
    """The inverse of ``parse_hours``, one line per stretch with its weekdays joined."""
    by_time: dict[tuple[str, str], list[int]] = {}
    for h in hours:
        by_time.setdefault((h["start"], h["end"]), []).append(h["weekday"] + 1)
    lines = []
    for (start, end), days in by_time.items():
        days.sort()
        if days == list(range(days[0], days[-1] + 1)) and len(days) > 2:
            label = f"{days[0]}-{days[-1]}"
        else:
            label = ",".join(str(d) for d in days)
        lines.append(f"{label} {start}-{end}")
    return "\n".join(lines)


class StationForm(Form):
    grid = forms.CharField(label=_("Grid served (code)"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=100)
    name_en = forms.CharField(label=_("English name"), max_length=100, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lng = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    hours = forms.CharField(
        label=_("Opening hours"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("One line per stretch, weekdays 1 (Monday) to 7 (Sunday): 1-5 09:00-17:00"),
    )
    services = forms.MultipleChoiceField(
        label=_("Services"),
        choices=StationService.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean_hours(self) -> list[dict[str, Any]]:
        return parse_hours(self.cleaned_data.get("hours") or "")


class ShiftForm(Form):
    person = forms.TypedChoiceField(label=_("On duty"), coerce=int)
    day = forms.DateField(
        label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start = forms.TimeField(
        label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end = forms.TimeField(
        label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = people  # type: ignore[attr-defined]


class RosterForm(Form):
    month = forms.CharField(
        label=_("Month"), max_length=7, widget=forms.TextInput(attrs={"type": "month"})
    )


class BookingForm(Form):
    room = forms.TypedChoiceField(label=_("Room"), coerce=int)
    title = forms.CharField(label=_("Purpose"), max_length=100)
    day = forms.DateField(
        label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start = forms.TimeField(
        label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end = forms.TimeField(
        label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    def __init__(self, *args: Any, rooms: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].choices = rooms  # type: ignore[attr-defined]
