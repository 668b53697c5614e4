def register(router):
    """Add this app's endpoints to the API router (config/api_router.py)."""
    from .popolo import PopoloViewSet
    from .views import CandidacyViewSet, ElectionViewSet, PartyViewSet, PersonViewSet, ResultViewSet

    router.register("elections", ElectionViewSet, basename="election")
    router.register("parties", PartyViewSet, basename="party")
    router.register("people", PersonViewSet, basename="person")
    router.register("candidacies", CandidacyViewSet, basename="candidacy")
    router.register("results", ResultViewSet, basename="result")
    router.register("popolo", PopoloViewSet, basename="popolo")
