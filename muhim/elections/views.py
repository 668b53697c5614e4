"""The election pages: elections, one election's assemblies and parties, the candidate list
(filters, CSV/XLSX export), the party list, and the staff pages that add and edit a party with
its aliases.

All of it is public record, except a person's address: the candidate list and its exports
have an address column only for users who may see personal data (an organiser: filled for
the seats of their regions only). Staff pages need
MANAGE_ELECTIONS: anonymous users are sent to sign in, others get a 403 saying why. The party
scorecard (/parties/<slug>/) is the accountability app's."""

from urllib.parse import urlencode

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from muhim.accounts.permissions import Capability, is_regional, scope_filter, user_can
from muhim.core.access import staff_page
from muhim.core.forms import style_form
from muhim.core.lists import FilteredListView

from . import services
from .filters import CandidacyFilter
from .forms import AliasFormSet, PartyForm
from .models import Candidacy, Election, Party
from .tables import PERSONAL_COLUMNS, CandidacyTable, party_url

MANAGE_DENIED = gettext_lazy(
    "Only the campaign office and administrators add and edit parties. Ask them to add the "
    "spelling you found as an alias."
)
manage_elections = staff_page(Capability.MANAGE_ELECTIONS, MANAGE_DENIED)
PARTIES_PER_PAGE = 50


def _with_urls(rows):
    for row in rows:
        if row.get("party") is not None:
            row["url"] = party_url(row["party"])
    return rows


def election_list(request):
    elections = Election.objects.annotate(
        candidacy_count=Count("candidacies"),
        seat_count=Count("candidacies__constituency", distinct=True),
    ).order_by("-polling_date")
    return render(request, "elections/election_list.html", {"elections": elections})


def election_detail(request, slug):
    election = get_object_or_404(Election, slug=slug)
    context = {
        "election": election,
        "assemblies": services.assembly_counts(election),
        "standings": _with_urls(services.party_standings(election)),
        "can_manage": user_can(request.user, Capability.MANAGE_ELECTIONS),
    }
    if context["can_manage"]:
        # Staff see what the imports kept as written, to add the spellings as aliases.
        context["unmatched"] = services.unmatched_parties(election)
    return render(request, "elections/election_detail.html", context)


class CandidateListView(FilteredListView):
    table_class = CandidacyTable
    filterset_class = CandidacyFilter
    template_name = "elections/candidate_list.html"

    def dispatch(self, request, *args, **kwargs):
        self.election = get_object_or_404(Election, slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    @property
    def export_name(self):
        return f"candidates {self.election.slug}"

    def may_see_addresses(self):
        return user_can(self.request.user, Capability.VIEW_PERSONAL_DATA)

    def get_queryset(self):
        queryset = Candidacy.objects.filter(election=self.election).select_related(
            "election", "constituency", "person", "party"
        )
        user = self.request.user
        if not self.may_see_addresses():
            queryset = queryset.defer("person__address")
        elif is_regional(user):
            # An organiser sees the addresses of those standing in their regions only.
            in_regions = Candidacy.objects.filter(pk=OuterRef("pk")).filter(
                scope_filter(user, Capability.VIEW_PERSONAL_DATA, "constituency__areas")
            )
            queryset = queryset.annotate(address_visible=Exists(in_regions))
        return queryset

    def get_table_kwargs(self):
        if not self.may_see_addresses():
            return {"exclude": PERSONAL_COLUMNS}
        return {}

    def count_text(self, count):
        return ngettext("%(count)s candidacy", "%(count)s candidacies", count) % {"count": count}

    def get_export_filename(self, export_format):
        return f"candidates-{self.election.slug}.{export_format}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["election"] = self.election
        return context


def party_list(request):
    from django.core.paginator import Paginator

    text = request.GET.get("q", "").strip()
    parties = Party.objects.all()
    if text:
        # Also the party a list's spelling stands for ('PMLN', 'PML (N)'), as imports match it.
        matched = services.PartyMatcher().match(text).party
        found = Q(pk__in=Party.objects.search(text).values("pk"))
        parties = parties.filter(found | Q(pk=matched.pk) if matched else found)
    parties = parties.annotate(
        candidacy_count=Count("candidacies", distinct=True),
        won_count=Count("candidacies", filter=Q(candidacies__is_winner=True), distinct=True),
    )
    parties = parties.order_by("-candidacy_count", "name")
    page = Paginator(parties, PARTIES_PER_PAGE).get_page(request.GET.get("page"))
    for party in page:
        party.url = party_url(party)
    return render(
        request,
        "elections/party_list.html",
        {"page": page, "q": text, "can_manage": user_can(request.user, Capability.MANAGE_ELECTIONS)},
    )


def _party_form(request, party):
    new = party is None
    party = party or Party()
    form = PartyForm(request.POST or None, instance=party)
    suggested = request.GET.get("alias", "").strip()[:200]
    initial = [{"alias": suggested}] if suggested and request.method != "POST" else None
    formset = AliasFormSet(request.POST or None, instance=party, prefix="aliases", initial=initial)
    style_form(form)
    for alias_form in formset.forms:
        style_form(alias_form)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            party = form.save()
            formset.instance = party
            formset.save()
            rematched = sum(services.rematch_parties(election=e) for e in Election.objects.all())
        messages.success(request, _("The party %(name)s is saved.") % {"name": party.name})
        if rematched:
            messages.info(
                request,
                ngettext(
                    "%(n)s candidacy kept with its party as written now matches this party.",
                    "%(n)s candidacies kept with their party as written now match this party.",
                    rematched,
                )
                % {"n": rematched},
            )
        return redirect(
            reverse("elections:party-list") + "?" + urlencode({"q": party.abbreviation or party.name})
        )
    return render(
        request,
        "elections/party_form.html",
        {"form": form, "formset": formset, "party": None if new else party, "suggested": suggested},
    )


@manage_elections
@require_http_methods(["GET", "POST"])
def party_create(request):
    return _party_form(request, None)


@manage_elections
@require_http_methods(["GET", "POST"])
def party_edit(request, slug):
    return _party_form(request, get_object_or_404(Party, slug=slug))


urlpatterns = [
    path("elections/", election_list, name="election-list"),
    path("elections/<slug:slug>/", election_detail, name="election-detail"),
    path("elections/<slug:slug>/candidates/", CandidateListView.as_view(), name="candidate-list"),
    path("parties/", party_list, name="party-list"),
    path("parties/new/", party_create, name="party-create"),
    path("parties/<slug:slug>/edit/", party_edit, name="party-edit"),
]
