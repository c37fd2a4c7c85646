from django.urls import path

from finegrid.residents import views

app_name = "residents"

urlpatterns = [
    path("", views.home, name="home"),
    path("report/", views.report, name="report"),
]
