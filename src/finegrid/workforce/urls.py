from django.urls import URLPattern, URLResolver

from finegrid.workforce.views import dutylists, home

app_name = "workforce"

urlpatterns: list[URLPattern | URLResolver] = []
urlpatterns += dutylists.urlpatterns
urlpatterns += home.urlpatterns
