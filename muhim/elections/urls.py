from . import views

app_name = "elections"

urlpatterns = views.urlpatterns
