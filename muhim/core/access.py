"""Guards the staff pages share: signed in (else to the sign-in page) and holding a capability
(else 403 with a message saying why and whom to ask)."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from muhim.accounts.permissions import user_can

from .lists import FilteredListView


def require(user, capability, message):
    """PermissionDenied(message) unless `user` holds `capability` somewhere."""
    if not user_can(user, capability):
        raise PermissionDenied(message)


def staff_page(capability, message):
    """A view decorator: signed in and holding `capability`, else the sign-in page or 403."""

    def decorate(view):
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require(request.user, capability, message)
            return view(request, *args, **kwargs)

        wrapped.__name__ = view.__name__
        wrapped.__doc__ = view.__doc__
        return wrapped

    return decorate


class StaffListView(FilteredListView):
    """A list page (filters, CSV/XLSX export) for staff holding `capability`."""

    capability = None
    denied = ""

    def dispatch(self, request, *args, **kwargs):
        if self.capability is not None:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require(request.user, self.capability, self.denied)
        return super().dispatch(request, *args, **kwargs)
