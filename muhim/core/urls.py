from django.urls import path

from .imports import views as imports

app_name = "core"

urlpatterns = [
    path("imports/", imports.ImportRunListView.as_view(), name="import-list"),
    path("imports/new/", imports.import_new, name="import-new"),
    path("imports/<int:pk>/", imports.import_detail, name="import-detail"),
    path("imports/<int:pk>/rejected.csv", imports.import_rejected, name="import-rejected"),
    path("imports/templates/<slug:slug>.csv", imports.import_template, name="import-template"),
]
