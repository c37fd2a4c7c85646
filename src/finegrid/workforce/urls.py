from django.urls import URLPattern, URLResolver

from finegrid.workforce.views import stations

app_name = "workforce"

urlpatterns: list[URLPattern | URLResolver] = [
    *stations.urlpatterns,
]
