"""Public pages of the organiser network (being written)."""

urlpatterns = []
