from django.conf import settings

from muhim.accounts.permissions import capabilities_of


def site(request):
    return {
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "caps": {str(c) for c in capabilities_of(getattr(request, "user", None))},
    }
