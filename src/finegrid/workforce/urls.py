from django.urls import URLPattern, URLResolver, include, path

from finegrid.workforce.views import dutylists, home, onduty, patrols, stations
from finegrid.workforce.views import party as party_views
from finegrid.workforce.views import workers as workers_views

app_name = "workforce"

urlpatterns: list[URLPattern | URLResolver] = [
    *onduty.urlpatterns,
    *dutylists.urlpatterns,
    *home.urlpatterns,
    *workers_views.urlpatterns,
    *party_views.urlpatterns,
    path("", include("finegrid.workforce.views.codes")),
    *stations.urlpatterns,
    *patrols.urlpatterns,
]
