"""Registry pages (household, person, roster, special populations, search, audit log).

Thin views: parse, call a selector or service, render. Every read goes through a selector that
takes the user, so an object outside the user's jurisdiction answers 404 like a missing one. An
htmx request gets the partial, a normal request the full page that includes the same partial.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from finegrid.core.audit import target_type_label
from finegrid.core.errors import InvalidInput, NotFound
from finegrid.core.forms import Form
from finegrid.core.models import AuditAction
from finegrid.core.pages import is_htmx as _is_htmx
from finegrid.core.pages import service_page as scoped
from finegrid.grids import geo
from finegrid.grids.models import Grid, Level
from finegrid.grids.selectors import grid_get, grid_list
from finegrid.registry import panels, selectors, services
from finegrid.registry.models import (
    CareKind,
    DocumentType,
    Gender,
    Person,
    Relation,
    ResidenceStatus,
)
from finegrid.registry.permissions import may_export

PER_PAGE = 25
MAP_POINTS = 3000  # dots on the special-population map; beyond that the list still pages

DISABILITY_CATEGORIES = [
    ("visual", _("Visual")),
    ("hearing", _("Hearing")),
    ("speech", _("Speech")),
    ("physical", _("Physical")),
    ("intellectual", _("Intellectual")),
    ("mental", _("Mental")),
    ("multiple", _("Multiple")),
]
ATTRIBUTE_LABELS = {
    "category": _("Category"),
    "level": _("Level"),
    "certificate": _("Certificate number"),
    "since": _("Since"),
    "guardian": _("Guardian"),
    "parents_location": _("Where the parents work"),
    "note": _("Note"),
    "age": _("Age"),
}
TARGET_LABELS = {
    "person": _("Person"),
    "caretag": _("Care tag"),
    "rental": _("Rental"),
    "business": _("Business"),
    "household": _("Household"),
}


# --- helpers --------------------------------------------------------------------------------


def _reader(request: HttpRequest) -> None:
    if selectors.registry_scope(request.user).empty:
        raise PermissionDenied(str(_("You may not read the population registry.")))


def _render(
    request: HttpRequest, page: str, partial: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(request, partial if _is_htmx(request) else page, context, status=status)


def _paginate(request: HttpRequest, qs: Any, per_page: int = PER_PAGE) -> Any:
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def _label(name: str) -> Any:
    return capfirst(Person._meta.get_field(name).verbose_name)  # type: ignore[union-attr]


def _put_problems(
    form: forms.Form, exc: InvalidInput, rename: dict[str, str] | None = None
) -> None:
    """Show each problem beside its field; one the form has no field for goes on top."""
    for problem in exc.problems:
        name = (rename or {}).get(problem.field or "", problem.field)
        message = str(problem.message) % problem.params if problem.params else str(problem.message)
        form.add_error(name if name in form.fields else None, message)


def _grid_choices(user: Any) -> list[Grid]:
    """Grids to filter by: every level above micro, and the micro-grids when they are few."""
    grids = grid_list(user=user).exclude(level=Level.MICRO).only("code", "name", "level", "path")
    micro = grid_list(user=user, level=Level.MICRO).only("code", "name", "level", "path")
    few = list(micro[:61])
    return sorted([*grids, *(few if len(few) <= 60 else [])], key=lambda g: g.path)


def tag_views(tags: list[selectors.VisibleTag]) -> list[dict[str, Any]]:
    """Care tags as shown: label and their attributes in words."""
    categories = dict(DISABILITY_CATEGORIES)
    out = []
    for tag in tags:
        details = []
        for key, value in tag.attributes.items():
            if tag.kind == CareKind.DISABLED and key == "category":
                value = categories.get(value, value)
            details.append((ATTRIBUTE_LABELS.get(key, key), value))
        out.append(
            {
                "id": tag.id,
                "kind": tag.kind,
                "label": tag.label,
                "details": details,
                "started_on": tag.started_on,
                "derived": tag.derived,
            }
        )
    return out


# --- forms ----------------------------------------------------------------------------------

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonForm(Form):
    name = forms.CharField(label=_label("name"), max_length=64)
    document_type = forms.ChoiceField(
        label=_label("document_type"), choices=DocumentType.choices, initial=DocumentType.ID_CARD
    )
    id_number = forms.CharField(label=_label("id_number_masked"), max_length=32, required=False)
    phone = forms.CharField(label=_label("phone_masked"), max_length=20, required=False)
    gender = forms.ChoiceField(
        label=_label("gender"), choices=[("", "—"), *Gender.choices], required=False
    )
    birth_date = forms.DateField(label=_label("birth_date"), required=False, widget=DATE)
    residence_status = forms.ChoiceField(
        label=_label("residence_status"), choices=ResidenceStatus.choices
    )
    relation = forms.ChoiceField(label=_label("relation"), choices=Relation.choices)
    occupation = forms.CharField(label=_label("occupation"), max_length=64, required=False)
    is_party_member = forms.BooleanField(label=_label("is_party_member"), required=False)
    party_dual_registered = forms.BooleanField(
        label=_label("party_dual_registered"), required=False
    )
    party_organisation = forms.CharField(
        label=_label("party_organisation"), max_length=100, required=False
    )
    is_veteran = forms.BooleanField(label=_label("is_veteran"), required=False)
    notes = forms.CharField(
        label=_label("notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, person: Person | None = None, **kwargs: Any) -> None:
        self.person = person
        if person is not None:
            kwargs.setdefault("initial", {f: getattr(person, f) for f in services.PLAIN_FIELDS})
        super().__init__(*args, **kwargs)
        if person is not None:
            # the recorded values are never put in a form: a new one replaces them
            del self.fields["relation"]
            for name, masked in (
                ("id_number", person.id_number_masked),
                ("phone", person.phone_masked),
            ):
                if masked:
                    self.fields[name].help_text = _(
                        "Leave empty to keep the recorded one (%(masked)s)."
                    ) % {"masked": masked}

    def data_for_create(self, household_id: int) -> services.PersonData:
        c = self.cleaned_data
        return services.PersonData(
            name=c["name"],
            id_number=c["id_number"],
            document_type=c["document_type"],
            phone=c["phone"],
            gender=c["gender"],
            birth_date=c["birth_date"],
            residence_status=c["residence_status"],
            is_party_member=c["is_party_member"],
            party_dual_registered=c["party_dual_registered"],
            party_organisation=c["party_organisation"],
            is_veteran=c["is_veteran"],
            occupation=c["occupation"],
            notes=c["notes"],
            household_id=household_id,
            relation=c["relation"],
        )

    def changes(self) -> dict[str, Any]:
        assert self.person is not None
        c = self.cleaned_data
        out = {
            f: c[f]
            for f in services.PLAIN_FIELDS
            if f in c and c[f] != getattr(self.person, f) and not (f == "gender" and not c[f])
        }
        for name in ("id_number", "phone"):
            if c[name].strip():
                out[name] = c[name]
        if out.get("document_type") == DocumentType.NONE:
            out["id_number"] = ""
        return out


class MoveForm(Form):
    household = forms.IntegerField(required=False, widget=forms.HiddenInput)
    out_of_street = forms.BooleanField(label=_("Moved out of the street"), required=False)
    relation = forms.ChoiceField(
        label=_label("relation"), choices=Relation.choices, initial=Relation.OTHER
    )
    on = forms.DateField(label=_("Date"), widget=DATE, initial=dt.date.today)

    def clean(self) -> dict[str, Any]:
        c = super().clean() or {}
        if not c.get("household") and not c.get("out_of_street"):
            self.add_error("household", _("Pick the new household, or mark the move out."))
        return c


class DeathForm(Form):
    on = forms.DateField(label=_("Date of death"), widget=DATE)


class CareTagForm(Form):
    kind = forms.ChoiceField(label=_("Care tag"))
    started_on = forms.DateField(label=_("Since"), required=False, widget=DATE)
    category = forms.ChoiceField(
        label=_("Disability category"),
        choices=[("", "—"), *DISABILITY_CATEGORIES],
        required=False,
    )
    level = forms.ChoiceField(
        label=_("Disability level"),
        choices=[("", "—"), *[(str(n), str(n)) for n in range(1, 5)]],
        required=False,
    )
    certificate = forms.CharField(label=_("Certificate number"), max_length=40, required=False)
    guardian = forms.CharField(label=_("Guardian"), max_length=64, required=False)
    parents_location = forms.CharField(
        label=_("Where the parents work"), max_length=64, required=False
    )
    attention_category = forms.CharField(label=_("Category"), max_length=64, required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    # which fields each kind asks for (the rest of the form is hidden for it)
    KIND_FIELDS = {
        CareKind.DISABLED: ("category", "level"),
        CareKind.LOW_INCOME: ("certificate",),
        CareKind.LEFT_BEHIND_CHILD: ("guardian", "parents_location"),
        CareKind.KEY_ATTENTION: ("attention_category",),
    }

    def __init__(self, *args: Any, kinds: set[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            (k, label)
            for k, label in CareKind.choices
            if k in kinds and k in services.CARE_ATTRIBUTES
        ]
        for kind, names in self.KIND_FIELDS.items():
            for name in names:
                self.fields[name].widget.attrs["data-kind"] = kind

    def attributes(self) -> dict[str, Any]:
        c, kind = self.cleaned_data, self.cleaned_data["kind"]
        out: dict[str, Any] = {"note": c["note"]}
        for name in self.KIND_FIELDS.get(kind, ()):
            out["category" if name == "attention_category" else name] = c[name]
        return out


class AuditFilterForm(Form):
    action = forms.ChoiceField(
        label=_("Action"), choices=[("", _("All")), *AuditAction.choices], required=False
    )
    actor = forms.CharField(label=_("Who"), max_length=64, required=False)
    since = forms.DateField(label=_("From date"), required=False, widget=DATE)
    until = forms.DateField(label=_("To date"), required=False, widget=DATE)


# --- search ---------------------------------------------------------------------------------


@scoped
def person_search(request: HttpRequest) -> HttpResponse:
    _reader(request)
    q = request.GET.get("q", "").strip()
    grid = request.GET.get("grid", "").strip()
    people = selectors.person_list(user=request.user, q=q, grid=grid or None).select_related(
        "household__micro_grid"
    )
    context = {
        "q": q,
        "grid": grid,
        "page": _paginate(request, people),
        "grids": [] if _is_htmx(request) else _grid_choices(request.user),
        "can_export": may_export(request.user),
    }
    return _render(request, "registry/people.html", "registry/_people_results.html", context)


# --- person ---------------------------------------------------------------------------------


def _person_page(
    request: HttpRequest,
    person: Person,
    *,
    forms_: dict[str, forms.Form] | None = None,
    open_: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    kinds = selectors.visible_kinds(user)
    stays = selectors.person_stays(user=user, person=person)
    scope = selectors.registry_scope(user)
    given = forms_ or {}
    context = {
        "person": person,
        "tags": tag_views(selectors.care_tags_for(user=user, people=[person])[person.pk]),
        "stays": [(s, scope.covers(s.household.grid_path)) for s in stays],
        "edit_form": given.get("edit") or PersonForm(person=person),
        "move_form": given.get("move") or MoveForm(),
        "death_form": given.get("death") or DeathForm(initial={"on": timezone.localdate()}),
        "tag_form": given.get("tag") or CareTagForm(kinds=kinds),
        "open": open_,
        "can_tag": any(k in services.CARE_ATTRIBUTES for k in kinds),
        "gone": bool(person.deceased_on or not person.household_id),
    }
    return render(request, "registry/person.html", context, status=status)


@scoped
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _reader(request)
    return _person_page(request, selectors.person_get(user=request.user, pk=pk))


@scoped
@require_POST
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _reader(request)
    person = selectors.person_get(user=request.user, pk=pk)
    form = PersonForm(request.POST, person=person)
    if form.is_valid():
        try:
            services.person_update(
                actor=request.user, person=person, changes=form.changes(), request=request
            )
        except InvalidInput as exc:
            _put_problems(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("registry:person", pk=pk)
    person.refresh_from_db()
    return _person_page(request, person, forms_={"edit": form}, open_="edit", status=422)


@scoped
@require_POST
def person_move(request: HttpRequest, pk: int) -> HttpResponse:
    _reader(request)
    person = selectors.person_get(user=request.user, pk=pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        c = form.cleaned_data
        try:
            household = (
                None
                if c["out_of_street"]
                else selectors.household_get(user=request.user, pk=c["household"])
            )
            services.person_move(
                actor=request.user,
                person=person,
                household=household,
                relation=c["relation"],
                on=c["on"],
                request=request,
            )
        except NotFound:
            form.add_error("household", _("No such household in your jurisdiction."))
        except InvalidInput as exc:
            _put_problems(form, exc, {"household_id": "household"})
        else:
            messages.success(request, _("The move is recorded."))
            return redirect("registry:person", pk=pk)
    return _person_page(request, person, forms_={"move": form}, open_="move", status=422)


@scoped
def move_candidates(request: HttpRequest, pk: int) -> HttpResponse:
    """Households to move to, found by address within the user's jurisdiction."""
    _reader(request)
    person = selectors.person_get(user=request.user, pk=pk)
    hq = request.GET.get("hq", "").strip()
    homes = (
        selectors.household_list(user=request.user, q=hq).exclude(pk=person.household_id or 0)[:10]
        if hq
        else []
    )
    return render(request, "registry/_move_candidates.html", {"homes": homes, "hq": hq})


@scoped
@require_POST
def person_death(request: HttpRequest, pk: int) -> HttpResponse:
    _reader(request)
    person = selectors.person_get(user=request.user, pk=pk)
    form = DeathForm(request.POST)
    if form.is_valid():
        try:
            services.person_record_death(
                actor=request.user, person=person, on=form.cleaned_data["on"], request=request
            )
        except InvalidInput as exc:
            _put_problems(form, exc)
        else:
            messages.success(request, _("The death is recorded."))
            return redirect("registry:person", pk=pk)
    return _person_page(request, person, forms_={"death": form}, open_="death", status=422)


@scoped
@require_POST
def care_tag_add(request: HttpRequest, pk: int) -> HttpResponse:
    _reader(request)
    person = selectors.person_get(user=request.user, pk=pk)
    form = CareTagForm(request.POST, kinds=selectors.visible_kinds(request.user))
    if form.is_valid():
        kind = form.cleaned_data["kind"]
        try:
            services.care_tag_add(
                actor=request.user,
                person=person,
                kind=kind,
                attributes=form.attributes(),
                started_on=form.cleaned_data["started_on"],
                request=request,
            )
        except InvalidInput as exc:
            rename = {"category": "attention_category"} if kind == CareKind.KEY_ATTENTION else {}
            _put_problems(form, exc, rename)
        else:
            messages.success(request, _("The care tag is added."))
            return redirect("registry:person", pk=pk)
    return _person_page(request, person, forms_={"tag": form}, open_="tag", status=422)


@scoped
@require_POST
def care_tag_end(request: HttpRequest, pk: int, tag_id: int) -> HttpResponse:
    _reader(request)
    person = selectors.person_get(user=request.user, pk=pk)
    tag = selectors.care_tag_get(user=request.user, pk=tag_id)  # in scope, of a visible kind
    if tag.person_id != person.pk or tag.ended_on is not None:
        raise Http404
    services.care_tag_end(actor=request.user, tag=tag, request=request)
    messages.success(request, _("The care tag is ended."))
    return redirect("registry:person", pk=pk)


class UnmaskForm(Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


@scoped
@require_http_methods(["GET", "POST"])
def person_unmask(request: HttpRequest, pk: int, field: str) -> HttpResponse:
    """The full ID number or phone, after a reason; the service writes the audit row."""
    _reader(request)
    if field not in ("id_number", "phone"):
        raise Http404
    person = selectors.person_get(user=request.user, pk=pk)
    form = UnmaskForm(request.POST or None)
    value = ""
    if request.method == "POST" and form.is_valid():
        try:
            value = services.person_unmask(
                actor=request.user,
                person=person,
                field_name=field,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except InvalidInput as exc:
            _put_problems(form, exc)
    context = {"person": person, "field": field, "form": form, "value": value}
    response = _render(request, "registry/unmask.html", "registry/_unmask.html", context)
    response["Cache-Control"] = "no-store"  # a full value must not linger in any cache
    return response


# --- household ------------------------------------------------------------------------------


def _household_page(
    request: HttpRequest,
    pk: int,
    form: PersonForm | None = None,
    status: int = 200,
    alike: dict[str, Any] | None = None,
) -> HttpResponse:
    user = request.user
    family = selectors.household_family(user=user, pk=pk)
    household = family["household"]
    context = {
        **family,
        "members": [(p, tag_views(family["tags"][p.pk])) for p in family["members"]],
        "past": [m for m in family["history"] if m.moved_out],
        "form": form or PersonForm(initial={"relation": Relation.OTHER}),
        "open": form is not None,
        "micro_grid": household.micro_grid,
        "living_alone_check": selectors.living_alone_to_check(user=user)
        .filter(pk=household.pk)
        .exists(),
        "panels": panels.household_panels(user=user, household=household),
        **(alike or {}),
    }
    return render(request, "registry/household.html", context, status=status)


@scoped
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _reader(request)
    return _household_page(request, pk)


@scoped
@require_POST
def household_add_person(request: HttpRequest, pk: int) -> HttpResponse:
    _reader(request)
    household = selectors.household_get(user=request.user, pk=pk)
    form = PersonForm(request.POST)
    if form.is_valid():
        try:
            person = services.person_create(
                actor=request.user,
                data=form.data_for_create(household.pk),
                request=request,
                confirm_duplicate=request.POST.get("confirm_duplicate") == "1",
            )
        except services.PossibleDuplicate as exc:
            return _household_page(request, pk, form=form, status=409, alike={"alike": exc.people})
        except services.AlreadyRegistered as exc:
            _put_problems(form, exc)
            return _household_page(request, pk, form=form, status=422, alike={"holder": exc.holder})
        except InvalidInput as exc:
            _put_problems(form, exc)
        else:
            messages.success(request, _("The person is registered."))
            return redirect("registry:person", pk=person.pk)
    return _household_page(request, pk, form=form, status=422)


# --- roster, special populations, businesses, rentals --------------------------------------


@scoped
def roster(request: HttpRequest, code: str) -> HttpResponse:
    _reader(request)
    rows = selectors.roster(user=request.user, grid=code)
    grid = grid_get(user=request.user, code=code)
    homes = [
        {"household": r["household"], "members": [(p, tag_views(t)) for p, t in r["members"]]}
        for r in rows
    ]
    context = {
        "grid": grid,
        "homes": homes,
        "people_count": sum(len(r["members"]) for r in rows),
        "today": timezone.localdate(),
        "can_export": may_export(request.user),
    }
    return render(request, "registry/roster.html", context)


def _points(people: QuerySet[Person], crs: str) -> list[dict[str, Any]]:
    """One dot per household of ``people``: its own position, else its building's."""
    rows = people.values(
        "household_id",
        "household__address",
        "household__lat",
        "household__lng",
        "household__building__lat",
        "household__building__lng",
    ).order_by()
    points: dict[int, dict[str, Any]] = {}
    for r in rows[: MAP_POINTS * 3]:
        lat = (
            r["household__lat"]
            if r["household__lat"] is not None
            else r["household__building__lat"]
        )
        lng = (
            r["household__lng"]
            if r["household__lng"] is not None
            else r["household__building__lng"]
        )
        if lat is None or lng is None or r["household_id"] in points:
            continue
        if crs == "gcj02":
            lng, lat = geo.wgs84_to_gcj02(lng, lat)
        points[r["household_id"]] = {
            "lat": round(lat, 6),
            "lng": round(lng, 6),
            "address": r["household__address"],
            "url": reverse("registry:household", args=[r["household_id"]]),
        }
        if len(points) >= MAP_POINTS:
            break
    return list(points.values())


@scoped
def special_population(request: HttpRequest) -> HttpResponse:
    _reader(request)
    user = request.user
    kinds = [k for k in CareKind.values if k in selectors.visible_kinds(user)]
    if not kinds:
        raise PermissionDenied(str(_("Your duties need no special-population list.")))
    kind = request.GET.get("kind", "")
    kind = kind if kind in kinds else kinds[0]
    grid = request.GET.get("grid", "").strip()
    people = selectors.special_population(user=user, kind=kind, grid=grid or None).select_related(
        "household__micro_grid"
    )
    page = _paginate(request, people)
    checks: set[int] = set()
    if kind == CareKind.LIVING_ALONE:
        shown = [p.household_id for p in page]
        checks = set(
            selectors.living_alone_to_check(user=user)
            .filter(pk__in=shown)
            .values_list("pk", flat=True)
        )
    context = {
        "kinds": [(k, CareKind(k).label) for k in kinds],
        "kind": kind,
        "kind_label": CareKind(kind).label,
        "grid": grid,
        "grids": _grid_choices(user),
        "page": page,
        "checks": checks,
        "points": _points(people, settings.TILE_CRS),
        "map_config": {"tile_url": settings.TILE_URL},
    }
    return render(request, "registry/special.html", context)


# --- audit log ------------------------------------------------------------------------------


@scoped
@require_http_methods(["GET"])
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.audit_log(
        user=request.user,
        action=filters.get("action") or "",
        actor=filters.get("actor") or "",
        since=filters.get("since"),
        until=filters.get("until"),
    )
    page = _paginate(request, events, 50)
    for event in page:
        event.kind_label = TARGET_LABELS.get(event.target_type) or target_type_label(
            event.target_type
        )
    context = {"form": form, "page": page}
    return _render(request, "registry/audit.html", "registry/_audit_rows.html", context)


urlpatterns = [
    path("people/", person_search, name="people"),
    path("people/<int:pk>/", person_detail, name="person"),
    path("people/<int:pk>/edit/", person_edit, name="person_edit"),
    path("people/<int:pk>/move/", person_move, name="person_move"),
    path("people/<int:pk>/move/households/", move_candidates, name="move_candidates"),
    path("people/<int:pk>/death/", person_death, name="person_death"),
    path("people/<int:pk>/tags/", care_tag_add, name="care_tag_add"),
    path("people/<int:pk>/tags/<int:tag_id>/end/", care_tag_end, name="care_tag_end"),
    path("people/<int:pk>/unmask/<str:field>/", person_unmask, name="person_unmask"),
    path("households/<int:pk>/", household_detail, name="household"),
    path("households/<int:pk>/people/", household_add_person, name="household_add_person"),
    path("grids/<str:code>/roster/", roster, name="roster"),
    path("special/", special_population, name="special"),
    path("audit/", audit_log, name="audit"),
]
