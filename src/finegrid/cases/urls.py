from django.urls import include, path

app_name = "cases"

urlpatterns = [
    path("", include("finegrid.cases.views")),
]
