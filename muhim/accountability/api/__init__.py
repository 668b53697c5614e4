def register(router):
    """Add this app's endpoints to the API router (config/api_router.py)."""
    from . import evidence, pledges

    pledges.register(router)
    evidence.register(router)
