from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from finegrid.core import text
from finegrid.core.errors import InvalidInput, Problem
from finegrid.core.views import error_page


class LanguageMiddleware:
    """zh-hans unless the user chose another language (the switch in the header sets a cookie).

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: the people of a
    street office read Chinese, whatever language their borrowed laptop's browser was set up in.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        if not getattr(response, "language_negotiated", False):
            patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class QueryTextMiddleware:
    """Refuses a control character in the URL's path or query string (see core.text).

    Bodies are checked field by field by the forms and the API schemas; a filter in the query
    string (``?q=``, ``?grid=``) reaches a selector with no form in between, and PostgreSQL
    fails on a NUL in any query. The API answers 422 naming the parameter, as for a bad body;
    pages answer the 400 page with the same words, in the user's language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = self._problem(request)
        if problem is None:
            return self.get_response(request)
        error = InvalidInput(problem)
        if request.path.startswith("/api/"):
            return JsonResponse(error.as_dict(), status=422)
        problem_text = str(problem.message) % (problem.params or {})
        return error_page(request, 400, detail=problem_text)

    @staticmethod
    def _problem(request: HttpRequest) -> Problem | None:
        for name, values in request.GET.lists():
            for value in [name, *values]:
                problem = text.text_problem(value, field=name, multiline=True)
                if problem is not None:
                    return problem
        return text.text_problem(request.path, field="path", multiline=False)
