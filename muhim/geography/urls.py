from django.urls import path

from . import views

app_name = "geography"

urlpatterns = [
    path("map/", views.map_view, name="map"),
    path("areas/", views.AreaListView.as_view(), name="area-list"),
    path("areas/<slug:code>/", views.area_detail, name="area-detail"),
    path("areas/<slug:code>/edit/", views.area_edit, name="area-edit"),
    path("areas/<slug:code>/history/", views.area_history, name="area-history"),
    path("constituencies/", views.ConstituencyListView.as_view(), name="constituency-list"),
    path("constituencies/<int:year>/<str:code>/", views.constituency_detail, name="constituency-detail"),
]
