from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from muhim.accounts.permissions import user_can

REGION_MESSAGE = _(
    "Your role does not allow this here. Organisers can change records only inside their own regions."
)


class ReadOnlyOrCapability(permissions.BasePermission):
    """Reading is open (views with personal data narrow it); writing needs the view's
    `write_capability`, and for a regional role the object must lie in their regions
    (`get_scope_area(obj)` on the view)."""

    message = REGION_MESSAGE

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        capability = getattr(view, "write_capability", None)
        return capability is not None and user_can(request.user, capability)

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        area = view.get_scope_area(obj) if hasattr(view, "get_scope_area") else None
        return user_can(request.user, view.write_capability, area)


class CapabilityRequired(permissions.BasePermission):
    """For endpoints that are never public: the view's `read_capability` for reading too."""

    message = REGION_MESSAGE

    def has_permission(self, request, view):
        capability = (
            view.write_capability if request.method not in permissions.SAFE_METHODS else view.read_capability
        )
        return user_can(request.user, capability)

    def has_object_permission(self, request, view, obj):
        capability = (
            view.write_capability if request.method not in permissions.SAFE_METHODS else view.read_capability
        )
        area = view.get_scope_area(obj) if hasattr(view, "get_scope_area") else None
        return user_can(request.user, capability, area)
