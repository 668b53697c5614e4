from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    # Public: anyone can sign up, in English at /volunteer/ or Urdu at /ur/volunteer/.
    path("volunteer/", views.signup, name="signup"),
    path("volunteer/thanks/", views.signup_thanks, name="signup-thanks"),
    # Organisers and the campaign office, each within their regions.
    path("volunteers/", views.VolunteerListView.as_view(), name="volunteer-list"),
    path("volunteers/add/", views.volunteer_add, name="volunteer-add"),
    path("volunteers/<int:pk>/", views.volunteer_detail, name="volunteer-detail"),
]
