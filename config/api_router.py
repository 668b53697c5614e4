"""Every API endpoint under /api/v1/, registered in one place."""

from rest_framework.routers import DefaultRouter

from muhim.geography.api.views import AreaViewSet, ConstituencyViewSet

router = DefaultRouter()
router.register("areas", AreaViewSet, basename="area")
router.register("constituencies", ConstituencyViewSet, basename="constituency")

# --- organiser network (muhim/network/api) ---

# --- volunteers (muhim/people/api) ---
