from django.urls import URLPattern, URLResolver

from finegrid.workforce.views import dutylists, home, onduty

app_name = "workforce"

urlpatterns: list[URLPattern | URLResolver] = [
    *onduty.urlpatterns,
    *dutylists.urlpatterns,
    *home.urlpatterns,
]
