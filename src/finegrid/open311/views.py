"""GeoReport v2 endpoints: each answers in the format its suffix names (.json or .xml), in the
language the client asked for, and every error in the spec's list form."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt

from finegrid.cases import clock
from finegrid.cases.models import Case, Category
from finegrid.open311 import catalogue, formats, selectors, services
from finegrid.open311.errors import Open311Error, bad_request, not_found
from finegrid.open311.params import language_of, request_query

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"


@dataclass
class Answer:
    root: str  # the XML root element
    data: Any
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


View = Callable[..., Answer]


def open311(*methods: str) -> Callable[[View], Callable[..., HttpResponse]]:
    def wrap(view: View) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def run(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
            if request.method not in methods:
                return HttpResponseNotAllowed(methods)
            language = language_of(request)
            with translation.override(language):
                try:
                    answer = view(request, fmt, **kwargs)
                    response = formats.render(fmt, answer.root, answer.data, status=answer.status)
                    for name, value in answer.headers.items():
                        response[name] = value
                except Open311Error as exc:
                    response = formats.render(fmt, "errors", exc.as_list(), status=exc.status)
            response["Content-Language"] = language
            patch_vary_headers(response, ("Accept-Language",))
            # the language came from the request, not from the cookie the site's pages read:
            # caches and browser clients must not keep one answer per cookie
            response.language_negotiated = True  # type: ignore[attr-defined]
            return response

        return run

    return wrap


def _local(when: Any) -> str:
    return f"{timezone.localtime(when, clock.LOCAL):%Y-%m-%d %H:%M}"


@open311("GET")
def discovery(request: HttpRequest, fmt: str) -> Answer:
    here = reverse("open311:discovery", kwargs={"fmt": fmt})
    root = request.build_absolute_uri(here.rsplit("/", 1)[0])
    changeset = selectors.changeset()
    return Answer(
        "discovery",
        {
            "changeset": changeset,
            "contact": str(_("Ask the street office's platform administrator.")),
            "key_service": str(
                _("The platform administrator issues keys, each for one street or community.")
            ),
            "endpoints": [
                {
                    "specification": SPECIFICATION,
                    "url": root,
                    "changeset": changeset,
                    "type": "test" if settings.DEBUG else "production",
                    "formats": [
                        formats.CONTENT_TYPES[formats.XML].split(";")[0],
                        formats.CONTENT_TYPES[formats.JSON].split(";")[0],
                    ],
                }
            ],
        },
    )


@open311("GET")
def service_list(request: HttpRequest, fmt: str) -> Answer:
    categories = Category.objects.filter(active=True).order_by("sort", "code")
    return Answer("services", [catalogue.service_of(c) for c in categories])


@open311("GET")
def service_definition(request: HttpRequest, fmt: str, code: str) -> Answer:
    category = Category.objects.filter(code=code, active=True).first()
    if category is None:
        raise not_found(_("service_code %(code)s was not found."), code=code)
    return Answer("service_definition", catalogue.definition_of(category))


def _rows(request: HttpRequest, cases: list[Case]) -> list[dict[str, Any]]:
    return selectors.request_rows(cases, absolute=request.build_absolute_uri)


def _notice(case: Case) -> str:
    return str(
        _(
            "Received by %(grid)s: to be accepted by %(accept)s and handled by %(resolve)s. "
            "Follow-up code: %(code)s."
        )
    ) % {
        "grid": case.handling_grid.name,
        "accept": _local(case.accept_due),
        "resolve": _local(case.resolve_due),
        "code": case.follow_code,
    }


def _submit(request: HttpRequest) -> Answer:
    key = services.api_key_check(request.POST.get("api_key") or request.GET.get("api_key"))
    idempotency_key = request.headers.get("Idempotency-Key", "").strip()
    if len(idempotency_key) > 100:
        raise bad_request(_("Idempotency-Key is longer than 100 characters."))
    case, created = services.request_submit(
        key=key, params=dict(request.POST.lists()), idempotency_key=idempotency_key
    )
    return Answer(
        "service_requests",
        [{"service_request_id": case.number, "service_notice": _notice(case), "account_id": None}],
        status=201,
        headers={} if created else {"Idempotent-Replayed": "true"},
    )


@csrf_exempt
@open311("GET", "POST")
def requests(request: HttpRequest, fmt: str) -> Answer:
    if request.method == "POST":
        return _submit(request)
    query = request_query(request.GET.dict())
    page = selectors.request_list(query, now=timezone.now())
    links = []
    if page.has_next:
        links.append(f'<{_page_url(request, query.page + 1)}>; rel="next"')
    if query.page > 1:
        links.append(f'<{_page_url(request, query.page - 1)}>; rel="prev"')
    headers = {"Link": ", ".join(links)} if links else {}
    return Answer("service_requests", _rows(request, page.cases), headers=headers)


def _page_url(request: HttpRequest, page: int) -> str:
    params = request.GET.copy()
    params["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


@open311("GET")
def request_detail(request: HttpRequest, fmt: str, number: str) -> Answer:
    case = selectors.request_get(number)
    if case is None:
        raise not_found(_("service_request_id %(id)s was not found."), id=number)
    return Answer("service_requests", _rows(request, [case]))


@open311("GET")
def token(request: HttpRequest, fmt: str, token: str) -> Answer:
    case = selectors.request_by_token(token)
    if case is None:
        raise not_found(_("token %(token)s was not found."), token=token)
    return Answer("service_requests", [{"service_request_id": case.number, "token": token}])
