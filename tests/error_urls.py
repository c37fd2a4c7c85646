"""The site's URLs plus views that fail, for the error-page tests."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from finegrid.config.urls import handler400, handler403, handler404, handler500
from finegrid.config.urls import urlpatterns as site


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug in a view")


urlpatterns = [path("boom/", boom), path("api/v1/boom", boom), *site]
__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
