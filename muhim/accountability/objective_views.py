"""The objectives dashboard at /objectives/: the seven election objectives with their measures,
current values and trends. Staff see everything analysed or recorded; everyone else sees the
same dashboard counted from published records only."""

from django.shortcuts import render
from django.urls import path

from muhim.accounts.permissions import Capability, user_can
from muhim.elections.models import Election

from .objectives import default_election, objectives


def dashboard(request):
    elections = list(Election.objects.order_by("-polling_date"))
    chosen = request.GET.get("election", "")
    election = next((e for e in elections if e.slug == chosen), None) or default_election()
    staff = user_can(request.user, Capability.VIEW_STAFF_PAGES)
    return render(
        request,
        "accountability/objectives.html",
        {
            "election": election,
            "elections": elections,
            "objectives": objectives(election, published_only=not staff),
            "staff_view": staff,
        },
    )


urlpatterns = [path("objectives/", dashboard, name="objectives")]
