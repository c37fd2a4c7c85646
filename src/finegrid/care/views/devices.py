"""Pages of enrolment: the list with the devices to check, enrolling a person with a care tag
(the keys shown once), one enrolment with its devices, and a community's escalation chain."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from finegrid.care import selectors_devices as selectors
from finegrid.care import services_devices, services_enrolment
from finegrid.care.models import ChainRole, DeviceKind
from finegrid.care.roles import Conflict
from finegrid.core.errors import FinegridError, Forbidden, InvalidInput, NotFound
from finegrid.core.forms import Form
from finegrid.core.pages import service_page

PER_PAGE = 50
DEVICE_ROWS = 3
CONTACT_ROWS = 3
KEYED_KINDS = [(k, label) for k, label in DeviceKind.choices]


class FilterForm(Form):
    grid = forms.CharField(label=_("Grid code"), max_length=32, required=False)
    q = forms.CharField(label=_("Name or phone"), max_length=64, required=False)
    state = forms.ChoiceField(
        label=_("Enrolments"),
        required=False,
        choices=[("open", _("Current")), ("ended", _("Ended")), ("all", _("All"))],
    )


class EnrolForm(Form):
    """A person's devices and family, a few rows each; empty rows are left out."""

    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        blank: list[tuple[str, Any]] = [("", "—")]
        for n in range(1, DEVICE_ROWS + 1):
            self.fields[f"device_{n}_kind"] = forms.ChoiceField(
                label=_("Device"), choices=blank + KEYED_KINDS, required=False
            )
            self.fields[f"device_{n}_label"] = forms.CharField(
                label=_("Label"), max_length=80, required=False
            )
        for n in range(1, CONTACT_ROWS + 1):
            self.fields[f"contact_{n}_name"] = forms.CharField(
                label=_("Family contact"), max_length=64, required=False
            )
            self.fields[f"contact_{n}_phone"] = forms.CharField(
                label=_("Phone"), max_length=20, required=False
            )
            self.fields[f"contact_{n}_relation"] = forms.CharField(
                label=_("Relation"), max_length=32, required=False
            )
        self.initial.setdefault("device_1_kind", DeviceKind.BUTTON)

    def device_rows(self) -> list[tuple[int, services_enrolment.DeviceSpec]]:
        d = self.cleaned_data
        return [
            (
                n,
                services_enrolment.DeviceSpec(
                    d[f"device_{n}_kind"], d[f"device_{n}_label"].strip()
                ),
            )
            for n in range(1, DEVICE_ROWS + 1)
            if d.get(f"device_{n}_kind")
        ]

    def contact_rows(self) -> list[tuple[int, services_enrolment.ContactSpec]]:
        d = self.cleaned_data
        out = []
        for n in range(1, CONTACT_ROWS + 1):
            name, phone = d[f"contact_{n}_name"].strip(), d[f"contact_{n}_phone"].strip()
            if name or phone:
                out.append(
                    (
                        n,
                        services_enrolment.ContactSpec(
                            name, phone, d[f"contact_{n}_relation"].strip()
                        ),
                    )
                )
        return out

    def rows(self, prefix: str) -> list[list[forms.BoundField]]:
        count = DEVICE_ROWS if prefix == "device" else CONTACT_ROWS
        parts = ("kind", "label") if prefix == "device" else ("name", "phone", "relation")
        return [[self[f"{prefix}_{n}_{p}"] for p in parts] for n in range(1, count + 1)]

    def device_fields(self) -> list[list[forms.BoundField]]:
        return self.rows("device")

    def contact_fields(self) -> list[list[forms.BoundField]]:
        return self.rows("contact")


class DeviceForm(Form):
    kind = forms.ChoiceField(label=_("Device"), choices=KEYED_KINDS)
    label = forms.CharField(label=_("Label"), max_length=80, required=False)


class ReasonForm(Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class CloseCheckForm(Form):
    note = forms.CharField(label=_("What did you find?"), max_length=200)


def _problems_onto(form: forms.Form, refused: FinegridError, rows: dict[str, dict[int, int]]):
    """A service's refusal beside the fields it names. ``rows`` maps a problem's row (1-based,
    among the rows given) to the form's row, per kind of row."""
    problems = refused.problems if isinstance(refused, InvalidInput) else []
    if not problems:
        text = str(refused.message) % (refused.params or {})
        form.add_error(None, text)
        return
    for p in problems:
        text = str(p.message) % (p.params or {})
        name = None
        if p.row is not None and p.field in ("kind", "label"):
            n = rows["device"].get(int(p.row))
            name = f"device_{n}_{p.field}" if n else None
        elif p.row is not None and p.field in ("name", "phone", "relation"):
            n = rows["contact"].get(int(p.row))
            name = f"contact_{n}_{p.field}" if n else None
        elif p.field in form.fields:
            name = p.field
        if name in form.fields:
            form.add_error(name, text)
        else:
            form.add_error(None, text)


def _no_store(response: HttpResponse) -> HttpResponse:
    # the page carries device keys: no cache or browser history may keep it
    response["Cache-Control"] = "no-store"
    return response


def _keys_page(request: HttpRequest, enrolment_id: int, keys: list[tuple[Any, str]]) -> Any:
    e = selectors.enrolment_get(user=request.user, pk=enrolment_id)
    response = render(request, "care/enrolments/keys.html", {"e": e, "keys": keys})
    return _no_store(response)


# --- the list ----------------------------------------------------------------------------------


@service_page
@require_GET
def enrolments(request: HttpRequest) -> HttpResponse:
    may_enrol = selectors.may_enrol(request.user)
    if not may_enrol and not selectors.may_see_checks(request.user):
        raise Forbidden(_("You have no emergency-call duties."))
    form = FilterForm(request.GET or None)
    grid = None
    q, state = "", "open"
    if form.is_valid():
        q, state = form.cleaned_data["q"], form.cleaned_data["state"] or "open"
        if form.cleaned_data["grid"]:
            try:
                grid = selectors.scoped_grid(
                    user=request.user,
                    code=form.cleaned_data["grid"],
                    roles=services_devices.CHECKERS,
                )
            except NotFound as exc:
                form.add_error("grid", str(exc.message))
    page = None
    rows: list[tuple[Any, list[str]]] = []
    if may_enrol:
        qs = selectors.enrolment_list(user=request.user, grid=grid, q=q, state=state)
        page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
        shown = list(page.object_list)
        care = selectors.care_labels(user=request.user, enrolments=shown)
        rows = [(e, care[e.pk]) for e in shown]
    checks = list(selectors.checks_open(user=request.user, grid=grid)[:200])
    find = request.GET.get("find", "").strip()[:64]
    candidates = (
        selectors.people_to_enrol(user=request.user, q=find, grid=grid)
        if may_enrol and find
        else []
    )
    query = urlencode({"grid": grid.code if grid else "", "q": q, "state": state})
    return render(
        request,
        "care/enrolments/list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "checks": checks,
            "close_form": CloseCheckForm(),
            "find": find,
            "candidates": candidates,
            "may_enrol": may_enrol,
            "query": query,
            "grid": grid,
        },
    )


# --- enrolling ---------------------------------------------------------------------------------


@service_page
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_for_enrolment(user=request.user, pk=pk)
    services_devices.access_enrol(request.user, person.grid_path)
    form = EnrolForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            device_rows, contact_rows = form.device_rows(), form.contact_rows()
            rows = {
                "device": {i: n for i, (n, _s) in enumerate(device_rows, start=1)},
                "contact": {i: n for i, (n, _s) in enumerate(contact_rows, start=1)},
            }
            try:
                done = services_devices.enrolment_enrol(
                    actor=request.user,  # type: ignore[arg-type]
                    person=person,
                    devices=[s for _n, s in device_rows],
                    contacts=[s for _n, s in contact_rows],
                    note=form.cleaned_data["note"],
                )
            except (InvalidInput, Conflict) as refused:
                _problems_onto(form, refused, rows)
            else:
                keys = [(d, k) for d, k in done.devices if k]
                return _keys_page(request, done.enrolment.pk, keys)
    return render(
        request, "care/enrolments/enrol.html", {"person": person, "form": form}, status=status
    )


# --- one enrolment -----------------------------------------------------------------------------


def _detail(request: HttpRequest, pk: int, **forms_: Any) -> HttpResponse:
    e = selectors.enrolment_get(user=request.user, pk=pk)
    status = 422 if any(f.errors for f in forms_.values()) else 200
    return render(
        request,
        "care/enrolments/detail.html",
        {
            "e": e,
            "care": selectors.care_labels(user=request.user, enrolments=[e])[e.pk],
            "device_form": forms_.get("device_form") or DeviceForm(),
            "end_form": forms_.get("end_form") or ReasonForm(prefix="end"),
            "revoke_form": ReasonForm(prefix="revoke"),
            "revoke_errors": forms_.get("revoke_form"),
            "close_form": CloseCheckForm(),
        },
        status=status,
    )


@service_page
@require_GET
def enrolment(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


@service_page
@require_POST
def device_add(request: HttpRequest, pk: int) -> HttpResponse:
    e = selectors.enrolment_get(user=request.user, pk=pk)
    form = DeviceForm(request.POST)
    if form.is_valid():
        try:
            device, key = services_devices.enrolment_device_add(
                actor=request.user,  # type: ignore[arg-type]
                enrolment=e,
                spec=services_enrolment.DeviceSpec(
                    form.cleaned_data["kind"], form.cleaned_data["label"]
                ),
            )
        except (InvalidInput, Conflict) as refused:
            _problems_onto(form, refused, {"device": {}, "contact": {}})
        else:
            if key:
                return _keys_page(request, e.pk, [(device, key)])
            return redirect("care:enrolment", pk=e.pk)
    return _detail(request, pk, device_form=form)


@service_page
@require_POST
def enrolment_end(request: HttpRequest, pk: int) -> HttpResponse:
    e = selectors.enrolment_get(user=request.user, pk=pk)
    form = ReasonForm(request.POST, prefix="end")
    if form.is_valid():
        try:
            services_devices.enrolment_end(
                actor=request.user,  # type: ignore[arg-type]
                enrolment=e,
                reason=form.cleaned_data["reason"],
            )
        except (InvalidInput, Conflict) as refused:
            _problems_onto(form, refused, {"device": {}, "contact": {}})
        else:
            return redirect("care:enrolment", pk=e.pk)
    return _detail(request, pk, end_form=form)


@service_page
@require_POST
def device_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    device = selectors.device_get(user=request.user, pk=pk)
    form = ReasonForm(request.POST, prefix="revoke")
    if form.is_valid():
        try:
            services_devices.device_withdraw(
                actor=request.user,  # type: ignore[arg-type]
                device=device,
                reason=form.cleaned_data["reason"],
            )
        except InvalidInput as refused:
            _problems_onto(form, refused, {"device": {}, "contact": {}})
        else:
            return redirect("care:enrolment", pk=device.enrolment_id)
    return _detail(request, device.enrolment_id, revoke_form=form)


@service_page
@require_POST
def check_close(request: HttpRequest, pk: int) -> HttpResponse:
    check = selectors.check_get(user=request.user, pk=pk)
    form = CloseCheckForm(request.POST)
    target = reverse("care:enrolments") + "#checks"
    nxt = request.POST.get("next", "")
    if nxt.startswith("/care/") and "//" not in nxt:
        target = nxt
    if not form.is_valid():
        from django.contrib import messages

        messages.error(request, _("Say what you found before closing the check."))
        return redirect(target)
    try:
        services_devices.device_check_close(
            actor=request.user,  # type: ignore[arg-type]
            check=check,
            note=form.cleaned_data["note"],
        )
    except (InvalidInput, Conflict) as refused:
        from django.contrib import messages

        messages.error(request, str(refused.message) % (refused.params or {}))
    return redirect(target)


# --- chains ------------------------------------------------------------------------------------


def _chain_rows(steps: list[dict[str, Any]], posted: Any = None) -> list[dict[str, Any]]:
    count = min(len(steps) + 2, 8)
    rows = []
    for n in range(1, count + 1):
        if posted is not None:
            role, seconds = posted.get(f"role_{n}", ""), posted.get(f"seconds_{n}", "")
        else:
            step = steps[n - 1] if n <= len(steps) else {}
            role, seconds = step.get("role", ""), step.get("seconds", "")
        rows.append({"n": n, "role": role, "seconds": seconds, "errors": []})
    return rows


@service_page
@require_http_methods(["GET", "POST"])
def chain_edit(request: HttpRequest, code: str) -> HttpResponse:
    community = selectors.community_for_chain(user=request.user, code=code)
    read = selectors.chain_read(community=community)
    may_edit = selectors.may_keep_chain(request.user, community)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        if not may_edit:
            raise Forbidden(_("You may not change this community's chain."))
        rows = _chain_rows(read["steps"], posted=request.POST)
        given = [r for r in rows if r["role"] or r["seconds"]]
        try:
            services_enrolment.chain_set(
                actor=request.user,  # type: ignore[arg-type]
                community=community,
                steps=[{"role": r["role"], "seconds": r["seconds"]} for r in given],
            )
        except InvalidInput as refused:
            status = 422
            for p in refused.problems:
                text = str(p.message) % (p.params or {})
                if p.row is not None and 1 <= int(p.row) <= len(given):
                    given[int(p.row) - 1]["errors"].append(text)
                else:
                    errors.append(text)
        else:
            return redirect("care:chain", code=community.code)
    else:
        rows = _chain_rows(read["steps"])
    return render(
        request,
        "care/chains/edit.html",
        {
            "community": community,
            "rows": rows,
            "default": read["default"],
            "roles": ChainRole.choices,
            "may_edit": may_edit,
            "errors": errors,
        },
        status=status,
    )


urlpatterns = [
    path("enrolments/", enrolments, name="enrolments"),
    path("enrolments/new/<int:pk>/", enrol, name="enrol"),
    path("enrolments/<int:pk>/", enrolment, name="enrolment"),
    path("enrolments/<int:pk>/devices", device_add, name="device_add"),
    path("enrolments/<int:pk>/end", enrolment_end, name="enrolment_end"),
    path("devices/<int:pk>/revoke", device_revoke, name="device_revoke"),
    path("device-checks/<int:pk>/close", check_close, name="check_close"),
    path("chains/<str:code>/", chain_edit, name="chain"),
]
