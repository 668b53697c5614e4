app_name = "people"

# The public sign-up form and the organisers' volunteer pages (being written).
urlpatterns = []
