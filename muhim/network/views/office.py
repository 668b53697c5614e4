"""The campaign office's pages of the organiser network (being written)."""

urlpatterns = []
