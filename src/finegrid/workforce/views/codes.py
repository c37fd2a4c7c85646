"""Pages of one code (一码报到): the staff's code list and print sheets, the QR images, and the
worker's phone pages (check in at a code, scan, my check-ins) and the grid head's check-ins."""

from __future__ import annotations

import io
import uuid
from typing import Any

import segno
from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from finegrid.core.errors import FinegridError, bilingual
from finegrid.core.forms import Form
from finegrid.core.pages import service_page
from finegrid.workforce import codes as signing
from finegrid.workforce import selectors_checkins as selectors
from finegrid.workforce import services_checkins, services_codes
from finegrid.workforce.models import CodeKind
from finegrid.workforce.permissions_codes import CODE_MANAGERS

PER_PAGE = 50
# a sheet is a few pages of A4; a grid with more places prints in several sheets
PRINT_MAX = 600
# three across, four down: each code about 5 cm wide, readable from arm's length
PER_SHEET = 12


class CheckinForm(Form):
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, widget=forms.HiddenInput)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=80)


class ScanForm(Form):
    code = forms.CharField(label=_("Code"), max_length=300)


def _with_flags(page: Any) -> Any:
    # one query for the page, then the reasons in the reader's language on each row
    page.object_list = list(page.object_list)
    for row in page.object_list:
        row.flag_text = selectors.flag_text(row.flag_reason)
    return page


def _qr_svg(url: str, title: str, scale: int = 4) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=scale, border=2, title=title)
    return buffer.getvalue()


def _grid_and_kinds(request: HttpRequest) -> tuple[Any, list[str]]:
    grid = selectors.grid_for_codes(user=request.user, code=request.GET.get("grid", ""))
    kinds = selectors.parse_kinds(request.GET.get("kind"))
    services_codes.codes_ensure(grid=grid, kinds=kinds)
    return grid, kinds


def _phone_url(request: HttpRequest, code: Any) -> str:
    payload = services_codes.payload_of(code)
    return request.build_absolute_uri(reverse("workforce:checkin_page", args=[payload]))


# --- staff: the list, the sheets, the images --------------------------------------------------


@service_page
@require_GET
def code_list(request: HttpRequest) -> HttpResponse:
    grid, kinds = _grid_and_kinds(request)
    qs = selectors.code_list(grid=grid, kinds=kinds)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    from finegrid.accounts.jurisdiction import scope_for

    manage = scope_for(request.user, roles=CODE_MANAGERS)
    return render(
        request,
        "workforce/codes/list.html",
        {
            "grid": grid,
            "page": page,
            "kinds": CodeKind.choices,
            "kind": request.GET.get("kind", ""),
            "may_manage": manage.covers(grid.path),
            "query": urlencode({"grid": grid.code, "kind": request.GET.get("kind", "")}),
        },
    )


@service_page
@require_GET
def code_print(request: HttpRequest) -> HttpResponse:
    grid, kinds = _grid_and_kinds(request)
    codes = list(
        selectors.code_list(grid=grid, kinds=kinds).filter(revoked_at__isnull=True)[:PRINT_MAX]
    )
    labels = {}
    for lang in ("zh-hans", "en"):
        with translation.override(lang):
            labels[lang] = {k: str(label) for k, label in CodeKind.choices}
    cards = []
    for c in codes:
        url = _phone_url(request, c)
        cards.append(
            {
                "code": c,
                "payload": services_codes.payload_of(c),
                "url": url,
                "svg": _qr_svg(url, c.name, scale=3).decode(),
                "kind_zh": labels["zh-hans"][c.kind],
                "kind_en": labels["en"][c.kind],
            }
        )
    sheets = [cards[i : i + PER_SHEET] for i in range(0, len(cards), PER_SHEET)]
    return render(request, "workforce/codes/print.html", {"grid": grid, "sheets": sheets})


@service_page
@require_GET
def code_qr(request: HttpRequest, pk: int) -> HttpResponse:
    code = selectors.code_get(user=request.user, pk=pk)
    response = HttpResponse(
        _qr_svg(_phone_url(request, code), code.name), content_type="image/svg+xml"
    )
    response["Cache-Control"] = "private, no-store"  # a rotated code must not linger in caches
    return response


def _back_to_list(request: HttpRequest, code: Any) -> HttpResponse:
    target = request.POST.get("next", "")
    if target.startswith("/workforce/codes/") and "//" not in target:
        return redirect(target)
    return redirect(reverse("workforce:code_list") + "?" + urlencode({"grid": code.grid.code}))


@service_page
@require_POST
def code_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    code = selectors.code_get(user=request.user, pk=pk)
    services_codes.code_rotate(actor=request.user, code=code)
    return _back_to_list(request, code)


@service_page
@require_POST
def code_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    code = selectors.code_get(user=request.user, pk=pk)
    services_codes.code_revoke(actor=request.user, code=code)
    return _back_to_list(request, code)


# --- the worker's phone pages -----------------------------------------------------------------


def _refusal(exc: FinegridError) -> dict[str, Any]:
    text = bilingual(exc.message, exc.params)
    return {"message": text["message"], "message_en": text["message_en"], "field": exc.field}


@service_page
@require_http_methods(["GET", "POST"])
def checkin_page(request: HttpRequest, payload: str) -> HttpResponse:
    context: dict[str, Any] = {"payload": payload}
    try:
        context["code"] = services_codes.code_verify(payload=payload)
    except FinegridError as exc:
        context["error"] = _refusal(exc)
        return render(request, "workforce/codes/checkin.html", context, status=exc.status)
    form = CheckinForm(request.POST or None, initial={"idempotency_key": str(uuid.uuid4())})
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services_checkins.checkin_create(
                actor=request.user,
                payload=payload,
                lat=data["lat"],
                lng=data["lng"],
                idempotency_key=data["idempotency_key"],
            )
        except FinegridError as exc:
            context["error"] = _refusal(exc)
            status = exc.status
        else:
            context["checkin"] = result.checkin
            context["flag_text"] = selectors.flag_text(result.checkin.flag_reason)
    elif request.method == "POST":
        status = 422
    context["form"] = form
    return render(request, "workforce/codes/checkin.html", context, status=status)


@service_page
@require_GET
def scan(request: HttpRequest) -> HttpResponse:
    form = ScanForm(request.GET or None)
    if request.GET and form.is_valid():
        payload = signing.payload_in(form.cleaned_data["code"])
        if payload:
            return redirect("workforce:checkin_page", payload=payload)
    return render(request, "workforce/codes/scan.html", {"form": form})


@service_page
@require_GET
def my_checkins(request: HttpRequest) -> HttpResponse:
    qs = selectors.checkins_of(user=request.user)
    page = _with_flags(Paginator(qs, PER_PAGE).get_page(request.GET.get("page")))
    return render(request, "workforce/codes/mine.html", {"page": page})


@service_page
@require_GET
def checkins(request: HttpRequest) -> HttpResponse:
    grid = selectors.grid_for_codes(user=request.user, code=request.GET.get("grid", ""))
    qs = selectors.checkins_under(grid=grid)
    if request.GET.get("flagged") == "1":
        qs = qs.filter(flagged=True)
    page = _with_flags(Paginator(qs, PER_PAGE).get_page(request.GET.get("page")))
    return render(
        request,
        "workforce/codes/checkins.html",
        {"grid": grid, "page": page, "flagged_only": request.GET.get("flagged") == "1"},
    )


urlpatterns = [
    path("codes/", code_list, name="code_list"),
    path("codes/print", code_print, name="code_print"),
    path("codes/<int:pk>/qr.svg", code_qr, name="code_qr"),
    path("codes/<int:pk>/rotate", code_rotate, name="code_rotate"),
    path("codes/<int:pk>/revoke", code_revoke, name="code_revoke"),
    path("c/<str:payload>", checkin_page, name="checkin_page"),
    path("scan/", scan, name="scan"),
    path("checkins/", checkins, name="checkins"),
    path("checkins/mine/", my_checkins, name="my_checkins"),
]
