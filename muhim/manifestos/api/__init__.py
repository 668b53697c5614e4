def register(router):
    """Add this app's endpoints to the API router (config/api_router.py)."""
    from .views import ManifestoViewSet

    router.register("manifestos", ManifestoViewSet, basename="manifesto")
