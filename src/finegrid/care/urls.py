from django.urls import URLPattern, URLResolver

from finegrid.care.views import alerts, calls, daily, devices, figures, meals

app_name = "care"

urlpatterns: list[URLPattern | URLResolver] = [
    *calls.urlpatterns,
    *alerts.urlpatterns,
    *devices.urlpatterns,
    *figures.urlpatterns,
    *daily.urlpatterns,
    *meals.urlpatterns,
]
