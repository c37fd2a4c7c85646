from django.contrib import admin
from django.urls import include, path

from finegrid.cases.views import track_patterns
from finegrid.config.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("finegrid.accounts.urls")),
    path("registry/", include("finegrid.registry.urls")),
    path("cases/", include("finegrid.cases.urls")),
    path("notifications/", include("finegrid.notifications.urls")),
    path("home/", include("finegrid.residents.urls")),
    path("workforce/", include("finegrid.workforce.urls")),
    path("care/", include("finegrid.care.urls")),
    path("participation/", include("finegrid.participation.urls")),
    path("track/", include((track_patterns, "track"))),
    path("open311/v2/", include("finegrid.open311.urls")),
    path("", include("finegrid.grids.urls")),
]

# Error pages in the site's style and the user's language; the API keeps its JSON (core/views.py).
handler400 = "finegrid.core.views.bad_request"
handler403 = "finegrid.core.views.permission_denied"
handler404 = "finegrid.core.views.page_not_found"
handler500 = "finegrid.core.views.server_error"
