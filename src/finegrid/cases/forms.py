"""Forms of the case pages. They parse and label; the services decide what is allowed."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from finegrid.cases.models import Category, Colour, Department, Source, Status, Track, Urgency
from finegrid.cases.selectors import assignable_groups
from finegrid.core.errors import InvalidInput
from finegrid.core.forms import Form

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NOTE = forms.Textarea(attrs={"rows": 2})

# What a worker in the field may name as the source of a report from the worker app.
FIELD_SOURCES = [
    (Source.PATROL, Source.PATROL.label),
    (Source.MICRO_WORKER, Source.MICRO_WORKER.label),
    (Source.RIDER, Source.RIDER.label),
    (Source.RESIDENT, Source.RESIDENT.label),
    (Source.HOTLINE, Source.HOTLINE.label),
]

SATISFACTION_CHOICES = [
    ("satisfied", _("Satisfied")),
    ("basically_satisfied", _("Basically satisfied")),
    ("dissatisfied", _("Dissatisfied")),
]


def put_problems(form: forms.Form, exc: InvalidInput, rename: dict[str, str] | None = None) -> None:
    """Show each problem beside its field; one the form has no field for goes on top."""
    for problem in exc.problems:
        name = (rename or {}).get(problem.field or "", problem.field)
        text = str(problem.message)
        message = text % problem.params if problem.params else text
        form.add_error(name if name in form.fields else None, message)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


def photos_field() -> forms.FileField:
    # The view reads every file of the list and stores each through cases.photos.
    return forms.FileField(
        label=_("Photos"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )


def category_choices() -> list[tuple[str, str]]:
    return [(c.code, c.label) for c in Category.objects.filter(active=True)]


class ReportForm(Form):
    category = forms.ChoiceField(label=_("Category"))
    description = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lng = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    household = forms.TypedChoiceField(
        label=_("Or pick a household"), required=False, coerce=int, empty_value=None
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    source = forms.ChoiceField(label=_("Source"), choices=FIELD_SOURCES)
    reporter_name = forms.CharField(label=_("Reporter's name"), max_length=64, required=False)
    reporter_phone = forms.CharField(label=_("Reporter's phone"), max_length=20, required=False)
    photos = photos_field()
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=80)
    quick = forms.BooleanField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        households: list[Any] | None = None,
        quick: bool = False,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("idempotency_key", str(uuid.uuid4()))
        super().__init__(*args, **kwargs)
        if quick:
            # A rider on the move takes one picture: the phone opens its back camera at once.
            self.fields["photos"] = forms.FileField(
                label=_("Photo (optional)"),
                required=False,
                widget=forms.FileInput(attrs={"accept": "image/*", "capture": "environment"}),
            )
        self.fields["category"].choices = category_choices()  # type: ignore[attr-defined]
        self.fields["household"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *[(h.pk, h.address) for h in households or []],
        ]
        if not households:
            del self.fields["household"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("quick") and not (data.get("description") or "").strip():
            code = data.get("category")
            name = dict(self.fields["category"].choices).get(code, code)  # type: ignore[attr-defined]
            data["description"] = str(_("Quick report: %(category)s") % {"category": name})
        return data


class ResidentReportForm(ReportForm):
    """A resident's report: what, where (a point on the map or their own home) and photos. The
    fields staff fill in for others (source, urgency, on whose behalf) are not there: the server
    sets them (the source is "resident", the reporter is the login)."""

    STAFF_FIELDS = ("source", "urgency", "reporter_name", "reporter_phone")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.STAFF_FIELDS:
            del self.fields[name]
        if "household" in self.fields:
            self.fields["household"].label = _("Or: at my home")


class AcceptForm(Form):
    track = forms.ChoiceField(label=_("Track"), choices=Track.choices)
    note = forms.CharField(label=_("Note"), widget=NOTE, required=False)


def assignee_choices(assignables: list[Any]) -> list[tuple[str, list[tuple[int, str]]]]:
    """<optgroup> per grid and role, in the selector's order (grid from the top, role, name)."""
    return [
        (f"{g.grid.name} · {g.role_label}", [(u.pk, str(u)) for u in g.people])
        for g in assignable_groups(assignables)
    ]


class HandlerForm(Form):
    assignee = forms.TypedChoiceField(label=_("Handler"), coerce=int)
    note = forms.CharField(label=_("Note"), widget=NOTE, required=False)

    def __init__(self, *args: Any, assignables: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.handlers = {a.user.pk: a.user for a in assignables}
        self.fields["assignee"].choices = assignee_choices(assignables)  # type: ignore[attr-defined]


class EscalateForm(Form):
    to = forms.ChoiceField(
        widget=forms.HiddenInput,
        choices=[("community", _("community")), ("street", _("street"))],
    )
    reason = forms.CharField(label=_("Reason"), widget=NOTE, required=False)


class WhistleForm(Form):
    # Only departments still whistled are offered; the category's usual one comes first.
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.filter(active=True), empty_label=None
    )
    note = forms.CharField(label=_("Note"), widget=NOTE, required=False)


class WithdrawWhistleForm(Form):
    department = forms.ModelChoiceField(
        queryset=Department.objects.all(), widget=forms.HiddenInput, empty_label=None
    )
    reason = forms.CharField(label=_("Reason"), widget=NOTE, required=False)


class NoteForm(Form):
    note = forms.CharField(label=_("Note"), widget=NOTE, required=False)


class PhotoNoteForm(Form):
    note = forms.CharField(label=_("Note"), widget=NOTE, required=False)
    photos = photos_field()


class ReasonForm(Form):
    reason = forms.CharField(label=_("Reason"), widget=NOTE, required=False)


class MergeForm(Form):
    into = forms.CharField(label=_("Merge into case number"), max_length=20)


class SuperviseForm(Form):
    supervisor = forms.TypedChoiceField(label=_("Supervisor"), coerce=int)

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {u.pk: u for u in people}
        self.fields["supervisor"].choices = [(u.pk, str(u)) for u in people]  # type: ignore[attr-defined]


class DepartmentActForm(Form):
    department = forms.TypedChoiceField(widget=forms.HiddenInput, coerce=int)
    note = forms.CharField(label=_("Note"), widget=NOTE, required=False)
    photos = photos_field()

    def __init__(
        self,
        *args: Any,
        departments: list[Department],
        with_photos: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.departments = {d.pk: d for d in departments}
        if not with_photos:
            del self.fields["photos"]
        self.fields["department"].choices = [(d.pk, d.label) for d in departments]  # type: ignore[attr-defined]


class FeedbackForm(Form):
    satisfaction = forms.ChoiceField(
        label=_("How satisfied are you?"),
        choices=SATISFACTION_CHOICES,
        widget=forms.RadioSelect(
            attrs={"data-required-message": _("Choose how satisfied you are.")}
        ),
        error_messages={"required": _("Choose how satisfied you are.")},
    )
    comment = forms.CharField(label=_("Comment"), widget=NOTE, required=False)


class QueueFilterForm(Form):
    grid = forms.CharField(label=_("Grid code"), required=False, max_length=40)
    category = forms.ChoiceField(label=_("Category"), required=False)
    track = forms.ChoiceField(label=_("Track"), choices=[("", "—"), *Track.choices], required=False)
    source = forms.ChoiceField(
        label=_("Source"), choices=[("", "—"), *Source.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", "—"), ("open", _("All open")), *Status.choices],
        required=False,
    )
    colour = forms.ChoiceField(
        label=_("Colour"), choices=[("", "—"), *Colour.choices], required=False
    )
    since = forms.DateField(label=_("From"), required=False, widget=DATE)
    until = forms.DateField(label=_("To"), required=False, widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "—"), *category_choices()]  # type: ignore[attr-defined]


class BulkReassignForm(Form):
    cases = forms.TypedMultipleChoiceField(label=_("Cases"), coerce=int)
    assignee = forms.TypedChoiceField(label=_("New handler"), coerce=int)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(
        self, *args: Any, case_ids: list[int], assignables: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.handlers = {a.user.pk: a.user for a in assignables}
        self.fields["cases"].choices = [(pk, pk) for pk in case_ids]  # type: ignore[attr-defined]
        self.fields["assignee"].choices = assignee_choices(assignables)  # type: ignore[attr-defined]
