from django.urls import include, path

app_name = "notifications"

urlpatterns = [
    path("", include("finegrid.notifications.views")),
]
