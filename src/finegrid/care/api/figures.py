"""/api/v1/care/figures: the emergency call per community and month, TEC / NENA style."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from finegrid.accounts.api import API_AUTH
from finegrid.care import selectors_figures as selectors
from finegrid.core.schemas import Input

router = Router(auth=API_AUTH)


class FiguresQuery(Input):
    community: str = Field("", description="a community's code; empty: every one I oversee")
    month: str = Field("", description="YYYY-MM (Beijing); empty: this month")
    months: int = Field(1, description="how many months, ending with `month` (1–24)")


class FigureSeconds(Schema):
    median: float | None
    p90: float | None


class FiguresOut(Schema):
    community: str
    community_name: str
    month: str
    calls: int
    acknowledged: int
    ack_seconds: FigureSeconds = Field(description="press to first acknowledgement")
    within_60s: float | None = Field(
        description="% of calls acknowledged within 60 s (of those decided by then)"
    )
    within_180s: float | None
    meets_60s: bool | None
    meets_180s: bool | None
    arrived: int
    arrival_seconds: FigureSeconds = Field(description="press to arrival at the door")
    outcomes: dict[str, int]
    unanswered: int = Field(description="calls that ran the whole chain with nobody answering")


class FiguresPage(Schema):
    standard: dict[str, float]
    items: list[FiguresOut]


@router.get(
    "/figures",
    response=FiguresPage,
    summary="Emergency-call figures per community and month (TEC / NENA style)",
    description=(
        "Calls, time to first acknowledgement (median, 90th percentile, seconds), the share "
        "acknowledged within 60 s and within 180 s against the TEC quality standard (97.5 % "
        "and 99 %), time to arrival, outcomes and unanswered calls. For officials over the "
        "whole community."
    ),
)
def figures(request: HttpRequest, filters: Query[FiguresQuery]) -> dict[str, Any]:
    found = selectors.figures(
        user=request.user,
        community=filters.community.strip(),
        month=filters.month,
        months=filters.months,
    )
    return {
        "standard": {"within_60s": selectors.STANDARD[60], "within_180s": selectors.STANDARD[180]},
        "items": [f.as_dict() for f in found],
    }
