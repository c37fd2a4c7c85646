from django.urls import URLPattern, URLResolver, include, path

app_name = "workforce"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("finegrid.workforce.views.codes")),
]
