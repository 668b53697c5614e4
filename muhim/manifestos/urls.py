from . import views

app_name = "manifestos"

urlpatterns = views.urlpatterns
