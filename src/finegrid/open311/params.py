"""Reading what an Open311 client asked: its language and the filters of GET requests."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation.trans_real import parse_accept_lang_header

from finegrid.cases import clock
from finegrid.open311.errors import Fault, Open311Error
from finegrid.open311.selectors import LIMIT, PAGE_SIZE, WINDOW, RequestQuery


def _language(tag: str) -> str | None:
    tag = tag.strip().lower()
    if tag.startswith("en"):
        return "en"
    if tag.startswith("zh"):
        return "zh-hans"
    return None


def language_of(request: HttpRequest) -> str:
    """``locale`` (a parameter some Open311 clients send), then Accept-Language; zh-hans when
    neither names a language we speak."""
    locale = request.GET.get("locale") or request.POST.get("locale") or ""
    found = _language(locale) if locale else None
    if found:
        return found
    for tag, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        found = _language(tag)
        if found:
            return found
    return settings.LANGUAGE_CODE


def _list(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _datetime(value: str, name: str, faults: list[Fault]) -> dt.datetime | None:
    if not value:
        return None
    try:
        when = dt.datetime.fromisoformat(value.strip().replace(" ", "+"))
    except ValueError:
        faults.append(
            Fault(
                _("%(name)s is not a date and time in ISO 8601, such as 2026-01-01T00:00:00Z."),
                {"name": name},
            )
        )
        return None
    # a time without an offset is read as Chengdu time
    return when if when.tzinfo else when.replace(tzinfo=clock.LOCAL)


def _positive(
    params: dict[str, str], name: str, default: int, top: int, faults: list[Fault]
) -> int:
    value = params.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or not 1 <= int(value) <= top:
        faults.append(
            Fault(
                _("%(name)s must be a whole number from 1 to %(top)s."), {"name": name, "top": top}
            )
        )
        return default
    return int(value)


def request_query(params: dict[str, str]) -> RequestQuery:
    """The filters of GET requests, each bad one named in a 400."""
    faults: list[Fault] = []
    statuses = _list(params.get("status", ""))
    for status in statuses:
        if status not in ("open", "closed"):
            faults.append(Fault(_("status must be open or closed.")))
            break
    start = _datetime(params.get("start_date", ""), "start_date", faults)
    end = _datetime(params.get("end_date", ""), "end_date", faults)
    if start and end:
        if start > end:
            faults.append(Fault(_("start_date is after end_date.")))
        elif end - start > WINDOW:
            faults.append(Fault(_("start_date and end_date may not span more than 90 days.")))
    page = _positive(params, "page", 1, 1_000_000, faults)
    page_size = _positive(params, "page_size", PAGE_SIZE, LIMIT, faults)
    if faults:
        raise Open311Error(400, faults)
    return RequestQuery(
        page=page,
        page_size=page_size,
        ids=_list(params.get("service_request_id", "")),
        codes=_list(params.get("service_code", "")),
        statuses=statuses,
        start=start,
        end=end,
    )
