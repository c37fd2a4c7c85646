from django.urls import path

from finegrid.grids import views, views_staffing

app_name = "grids"

urlpatterns = [
    path("", views.home, name="home"),
    path("map/", views.grid_map, name="map"),
    path("board/<str:code>/", views.board, name="board"),
    path("board/<str:code>/qr.svg", views.board_qr, name="board_qr"),
]

urlpatterns += views_staffing.urlpatterns
