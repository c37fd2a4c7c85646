"""Pages of the meal rounds (助餐): the deliverer's phone page for today's round (delivered / no
answer at each door), the subscriptions of a grid with a form to add one, and the welfare checks
a worker clears. Thin views: parse, call one service or selector, render; htmx gets fragments."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from finegrid.care import selectors_daily, selectors_meals
from finegrid.care import services_meals as services
from finegrid.care.models import Diet, MealDelivery, Payer
from finegrid.care.roles import Conflict
from finegrid.core.errors import InvalidInput
from finegrid.core.forms import Form
from finegrid.core.pages import is_htmx, service_page


def _texts(exc: InvalidInput | Conflict) -> list[tuple[str | None, str]]:
    problems: list[Any] = list(exc.problems) if isinstance(exc, InvalidInput) else [exc]
    out = []
    for p in problems:
        text = str(p.message) % p.params if p.params else str(p.message)
        out.append((p.field, text))
    return out


@service_page
def round_page(request: HttpRequest) -> HttpResponse:
    who = selectors_meals.deliverer_for(request.user, request.GET.get("deliverer", ""))
    today = selectors_meals.round_today(user=request.user, deliverer=who)
    return render(
        request,
        "care/meals/round.html",
        {"today": today, "own": who.pk == request.user.pk},
    )


@service_page
@require_POST
def delivery_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    error, status = "", 200
    try:
        services.meal_delivery_confirm(
            actor=request.user,
            delivery_id=pk,
            result=request.POST.get("result", ""),
            note=request.POST.get("note", ""),
        )
    except (InvalidInput, Conflict) as exc:
        error = " ".join(text for _f, text in _texts(exc))
        status = exc.status
    if not is_htmx(request):
        if error:
            messages.error(request, error)
        return redirect(reverse("care:meal_round"))
    fresh = (
        MealDelivery.objects.select_related(
            "person", "household", "household__building", "household__unit", "subscription"
        )
        .filter(pk=pk)
        .first()
    )
    assert fresh is not None  # the service found it, or raised NotFound
    d = selectors_meals.delivery_dict(request.user, fresh, int(request.POST.get("seq", 0) or 0))
    return render(
        request,
        "care/meals/_delivery.html",
        {"d": d, "own": True, "error": error},
        status=status,
    )


class SubscriptionForm(Form):
    person = forms.IntegerField(label=_("Person (registry number)"), required=False)
    days = forms.MultipleChoiceField(
        label=_("Days of the week"),
        choices=[
            ("1", _("Mon")),
            ("2", _("Tue")),
            ("3", _("Wed")),
            ("4", _("Thu")),
            ("5", _("Fri")),
            ("6", _("Sat")),
            ("7", _("Sun")),
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    diet = forms.ChoiceField(label=_("Diet"), choices=Diet.choices, required=False)
    diet_note = forms.CharField(label=_("Diet note"), max_length=100, required=False)
    price = forms.CharField(label=_("Price per meal (yuan)"), required=False)
    payer = forms.ChoiceField(label=_("Who pays"), choices=Payer.choices, required=False)
    deliverer = forms.CharField(label=_("Deliverer (login)"), max_length=150, required=False)


def _put(form: forms.Form, exc: InvalidInput) -> None:
    for field, text in _texts(exc):
        form.add_error(field if field in form.fields else None, text)


@service_page
@require_http_methods(["GET", "POST"])
def subscriptions_page(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("grid") or None
    grid = selectors_daily.visible_grid(request.user, code)
    form = SubscriptionForm(request.POST or None, initial={"diet": Diet.REGULAR})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meal_subscriptions_create(
                actor=request.user,
                specs=[
                    services.SubscriptionSpec(
                        person=data["person"],
                        days=list(data["days"]),
                        price=data["price"].strip() or None,
                        payer=data["payer"] or "",
                        deliverer=data["deliverer"],
                        diet=data["diet"] or Diet.REGULAR,
                        diet_note=data["diet_note"],
                    )
                ],
                rows=False,
            )
        except InvalidInput as exc:
            _put(form, exc)
        else:
            messages.success(request, _("Meals subscribed."))
            return redirect(reverse("care:meal_subscriptions") + f"?grid={grid.code}")
    rows = selectors_meals.subscriptions_list(user=request.user, grid=grid)
    return render(
        request,
        "care/meals/subscriptions.html",
        {"grid": grid, "rows": rows, "form": form},
        status=422 if form.errors else 200,
    )


@service_page
def welfare_list_page(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    rows = selectors_meals.welfare_list(user=request.user, status=status)
    return render(request, "care/meals/welfare_list.html", {"rows": rows, "status": status})


@service_page
@require_http_methods(["GET", "POST"])
def welfare_page(request: HttpRequest, pk: int) -> HttpResponse:
    error: list[str] = []
    if request.method == "POST":
        try:
            services.welfare_check_clear(
                actor=request.user, check_id=pk, note=request.POST.get("note", "")
            )
        except (InvalidInput, Conflict) as exc:
            error = [text for _f, text in _texts(exc)]
        else:
            messages.success(request, _("Welfare check cleared."))
            return redirect(reverse("care:welfare", args=[pk]))
    check = services.welfare_check_for(request.user, pk)
    context: dict[str, Any] = {
        "c": selectors_meals.welfare_dict(request.user, check),
        "errors": error,
        "note": request.POST.get("note", ""),
    }
    return render(request, "care/meals/welfare.html", context, status=422 if error else 200)


urlpatterns: list[URLPattern] = [
    path("meals/round/", round_page, name="meal_round"),
    path("meals/deliveries/<int:pk>/confirm/", delivery_confirm, name="meal_confirm"),
    path("meals/subscriptions/", subscriptions_page, name="meal_subscriptions"),
    path("welfare/", welfare_list_page, name="welfare_list"),
    path("welfare/<int:pk>/", welfare_page, name="welfare"),
]
