"""Every API endpoint under /api/v1/, registered in one place."""

from rest_framework.routers import DefaultRouter

from muhim.geography.api.views import AreaViewSet, ConstituencyViewSet

router = DefaultRouter()
router.register("areas", AreaViewSet, basename="area")
router.register("constituencies", ConstituencyViewSet, basename="constituency")

# --- organiser network (muhim/network/api) ---
from muhim.network.api.views import ApplicationViewSet, AssignmentViewSet, PostViewSet  # noqa: E402

router.register("posts", PostViewSet, basename="post")
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("applications", ApplicationViewSet, basename="application")

# --- volunteers (muhim/people/api) ---
from muhim.people.api.views import VolunteerViewSet  # noqa: E402

router.register("volunteers", VolunteerViewSet, basename="volunteer")

# --- field activities and demands (muhim/activities/api, muhim/demands/api) ---
from muhim.activities.api.views import ActivityViewSet  # noqa: E402
from muhim.demands.api.views import DemandViewSet, ParentalBodyViewSet, PublicDemandViewSet  # noqa: E402
from muhim.partners.api.views import OrganisationViewSet  # noqa: E402

router.register("activities", ActivityViewSet, basename="activity")
router.register("demands", DemandViewSet, basename="demand")
router.register("public-demands", PublicDemandViewSet, basename="public-demand")
router.register("parental-bodies", ParentalBodyViewSet, basename="parental-body")
router.register("organisations", OrganisationViewSet, basename="organisation")

# --- elections, manifestos and accountability (each app's api.register) ---
from muhim.accountability import api as accountability_api  # noqa: E402
from muhim.elections import api as elections_api  # noqa: E402
from muhim.manifestos import api as manifestos_api  # noqa: E402

elections_api.register(router)
manifestos_api.register(router)
accountability_api.register(router)
