from django.urls import URLPattern, URLResolver

from finegrid.workforce.views import onduty

app_name = "workforce"

urlpatterns: list[URLPattern | URLResolver] = [*onduty.urlpatterns]
