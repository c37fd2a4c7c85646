"""/care/figures/: a community's emergency-call figures for a month against the TEC quality
standard, and its last twelve months in an ECharts chart (the same numbers as a table)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from finegrid.care import selectors_figures as selectors
from finegrid.care.models import Outcome
from finegrid.core.errors import Forbidden, InvalidInput
from finegrid.core.pages import service_page

MONTHS = 12


def _chart(series: list[selectors.Figures]) -> dict[str, Any]:
    return {
        "months": [f.month_text for f in series],
        "calls": [f.calls for f in series],
        "unanswered": [f.unanswered for f in series],
        "within60": [f.within.get(60) for f in series],
        "within180": [f.within.get(180) for f in series],
        "ackMedian": [f.ack_median for f in series],
        "standard60": selectors.STANDARD[60],
        "standard180": selectors.STANDARD[180],
        "labels": {
            "calls": str(_("Calls")),
            "unanswered": str(_("Unanswered")),
            "within60": str(_("Acknowledged within 60 s (%)")),
            "within180": str(_("Acknowledged within 180 s (%)")),
            "ackMedian": str(_("Median time to acknowledge (s)")),
            "standard60": str(_("TEC standard 60 s: 97.5 %")),
            "standard180": str(_("TEC standard 180 s: 99 %")),
            "count": str(_("Calls")),
            "share": str(_("Share (%)")),
        },
    }


@service_page
@require_GET
def figures_page(request: HttpRequest) -> HttpResponse:
    communities = selectors.communities_in_scope(user=request.user)
    if not communities:
        raise Forbidden(_("The figures are for officials over a whole community."))
    code = request.GET.get("community", "").strip() or communities[0].code
    community = selectors.community_for_figures(user=request.user, code=code)
    error = ""
    raw = request.GET.get("month", "").strip()
    try:
        last = selectors.parse_month(raw)
    except InvalidInput as refused:
        error = str(refused.message)
        last = timezone.localdate().replace(day=1)
        raw = ""
    series = selectors.figures_for(
        communities=[community], first=selectors.add_months(last, 1 - MONTHS), months=MONTHS
    )
    month = series[-1]
    outcomes = [(label, month.outcomes.get(value, 0)) for value, label in Outcome.choices]
    return render(
        request,
        "care/figures/page.html",
        {
            "communities": communities,
            "community": community,
            "month": month,
            "month_value": f"{last:%Y-%m}",
            "series": list(reversed(series)),
            "chart": _chart(series),
            "outcomes": outcomes,
            "standard": selectors.STANDARD,
            "error": error,
        },
        status=422 if error else 200,
    )


urlpatterns: list[URLPattern] = [path("figures/", figures_page, name="figures")]
