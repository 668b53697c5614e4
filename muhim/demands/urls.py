from . import views

app_name = "demands"

# Staff pages under /field/ (demands, their updates, parental bodies) and the public pages of
# published demands under /demands/.
urlpatterns = views.urlpatterns
