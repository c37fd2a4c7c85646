from django.urls import include, path

app_name = "cases"

urlpatterns = [
    path("", include("finegrid.cases.views_taxonomy")),
    path("", include("finegrid.cases.views")),
]
