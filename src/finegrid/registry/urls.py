from django.urls import include, path

from finegrid.registry.views_imports import people_export

app_name = "registry"

urlpatterns = [
    path("people/export.xlsx", people_export, name="people_export"),
    path("", include("finegrid.registry.views")),
    path("", include("finegrid.registry.views_places")),
    path("imports/", include("finegrid.registry.views_imports")),
]
