"""Error pages: 400, 403, 404, 500 and the CSRF failure, in the site's style and the user's
language, each with a way back; a machine client (the API, Open311) gets its own error body.

Apps whose URLs answer machines register their prefix here (``register_answer`` in their
``AppConfig.ready()``); the JSON API under /api/ is core's own, in the shape of core.errors.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from finegrid.core.errors import bilingual

logger = logging.getLogger(__name__)

# answer(request, status, code, message): the error body a machine client of a prefix reads
Answer = Callable[[HttpRequest, int, str, "str | Promise"], HttpResponse]

# status: (code in a JSON body, heading, what happened and what to do)
PAGES: dict[int, tuple[str, Promise, Promise]] = {
    400: (
        "bad_request",
        _("Bad request"),
        _("The request could not be understood. Check the address, or go back and try again."),
    ),
    403: (
        "forbidden",
        _("No access"),
        _("Your role does not let you open this page. Ask your community if you need it."),
    ),
    404: (
        "not_found",
        _("Page not found"),
        _("There is nothing at this address, or it is outside your jurisdiction."),
    ),
    500: (
        "server_error",
        _("Something went wrong"),
        _("The server could not answer. The fault has been recorded; try again in a moment."),
    ),
}
CSRF = (
    "csrf_failed",
    _("The form has expired"),
    _(
        "The page was open too long, or the browser blocks cookies. Go back, reload the page "
        "and send the form again."
    ),
)
# the last resort when even the site's template cannot be drawn: both languages, no database
BARE_500 = (
    '<!doctype html><html lang="zh-hans"><meta charset="utf-8"><title>500</title>'
    "<h1>出错了 · Something went wrong</h1><p>请稍后再试。 · Try again in a moment.</p>"
    '<p><a href="/">返回首页 · Home</a></p></html>'
)


def _api_answer(
    request: HttpRequest, status: int, code: str, message: str | Promise
) -> HttpResponse:
    return JsonResponse({"code": code, **bilingual(message)}, status=status)


ANSWERS: dict[str, Answer] = {"/api/": _api_answer}


def register_answer(prefix: str, answer: Answer) -> None:
    """Errors under ``prefix`` are answered by ``answer`` instead of a page."""
    ANSWERS[prefix] = answer


def _machine(request: HttpRequest) -> Answer | None:
    for prefix, answer in ANSWERS.items():
        if request.path.startswith(prefix):
            return answer
    return None


def _page(
    request: HttpRequest, status: int, page: tuple[str, Promise, Promise], detail: str = ""
) -> HttpResponse:
    answer = _machine(request)
    if answer is not None:
        return answer(request, status, page[0], page[2])
    context: dict[str, Any] = {
        "status": status,
        "heading": page[1],
        "text": page[2],
        "detail": detail,
    }
    return render(request, "error.html", context, status=status)


def error_page(request: HttpRequest, status: int, detail: str = "") -> HttpResponse:
    """The error page (or machine answer) of ``status``, with a translated ``detail``."""
    return _page(request, status, PAGES[status], detail=detail)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, 400, PAGES[400])


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    # our own refusals carry a translated reason ("only the handling grid may…"); show it
    return _page(request, 403, PAGES[403], detail=str(exception or ""))


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, 404, PAGES[404])


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _page(request, 403, CSRF)


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        return _page(request, 500, PAGES[500])
    except Exception:
        # the fault may be the database the header reads (session, user, badge): draw the page
        # without the request, so nothing in it asks for a user
        logger.exception("the 500 page could not be drawn with the request")
    try:
        context = {"status": 500, "heading": PAGES[500][1], "text": PAGES[500][2]}
        return HttpResponse(render_to_string("error.html", context), status=500)
    except Exception:
        logger.exception("the 500 page could not be drawn")
        return HttpResponse(BARE_500, status=500)
