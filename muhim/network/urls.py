from .views import office, public

app_name = "network"

# Public pages: the network map, finding your organiser, vacancies and applying.
public_patterns = public.urlpatterns

# The campaign office's pages: posts, holders, vacancies, applications, the recruitment report;
# and the organiser's own public profile.
office_patterns = office.urlpatterns

urlpatterns = public_patterns + office_patterns
