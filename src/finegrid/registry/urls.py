from django.urls import include, path

app_name = "registry"

urlpatterns = [
    path("", include("finegrid.registry.views")),
    path("imports/", include("finegrid.registry.views_imports")),
]
