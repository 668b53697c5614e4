from django.conf import settings

from muhim.accounts.permissions import capabilities_of, user_can


def site(request):
    user = getattr(request, "user", None)
    return {
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        # What the navigation may offer: capabilities the user can use somewhere (an organiser
        # without regions has none). Views check again; this only hides links.
        "caps": {str(c) for c in capabilities_of(user) if user_can(user, c)},
    }
