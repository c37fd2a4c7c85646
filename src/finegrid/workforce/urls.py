from django.urls import URLPattern, URLResolver

from finegrid.workforce.views import patrols

app_name = "workforce"

urlpatterns: list[URLPattern | URLResolver] = [*patrols.urlpatterns]
