from django.urls import URLPattern, URLResolver

from finegrid.workforce.views import party as party_views
from finegrid.workforce.views import workers as workers_views

app_name = "workforce"

urlpatterns: list[URLPattern | URLResolver] = [
    *workers_views.urlpatterns,
    *party_views.urlpatterns,
]
