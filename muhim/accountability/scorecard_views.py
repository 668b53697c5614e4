"""Public scorecards, shareable and printable: a party's (its manifesto's education share with
the sentences behind it, its 4% commitment, pledges and their ratings, candidates, media
stories) and a constituency's (candidates and results, their pledges and ratings, voters'
demands, media stories, the districts it covers).

Everyone sees what is published. National staff who prepare it also see what is not published yet, marked
as such, so they can check a scorecard before publishing; nothing personal is shown to anyone
(no addresses, nobody who recorded anything)."""

from collections import Counter, OrderedDict

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.translation import gettext as _

from muhim.accounts.permissions import Capability, is_regional, user_can
from muhim.elections.models import Candidacy, Election, Party
from muhim.elections.services import seat_candidates
from muhim.geography.models import Area, Constituency, defer_geometry
from muhim.manifestos.models import Manifesto, Topic

from .models import FOUR_PERCENT, MediaStory, Pledge, PledgeRating, Rating, VoterSurvey

STORIES_SHOWN = 10


PREPARES = (
    Capability.MANAGE_ELECTIONS,
    Capability.MANAGE_MANIFESTOS,
    Capability.MANAGE_PLEDGES,
    Capability.MANAGE_MEDIA,
)


def preview_allowed(user):
    """National staff who prepare what scorecards show see unpublished records on them, marked
    as not published; partners and organisers see what everyone sees."""
    return (
        user_can(user, Capability.VIEW_STAFF_PAGES)
        and not is_regional(user)
        and any(user_can(user, capability) for capability in PREPARES)
    )


def _published(queryset, preview):
    return queryset if preview else queryset.filter(is_published=True)


def _page_url(request):
    return request.build_absolute_uri(request.path)


def _election_for(request, candidates):
    """The election asked for (?election=slug) among `candidates`, else the latest of them."""
    elections = list(candidates)
    chosen = request.GET.get("election", "")
    return next((e for e in elections if e.slug == chosen), elections[0] if elections else None), elections


def rating_counts(pledges):
    counts = Counter(p.rating for p in pledges)
    return [(Rating(value).label, value, counts[value]) for value in Rating.values if counts[value]]


def _pledges(preview, **filters):
    return (
        _published(Pledge.objects.filter(**filters), preview)
        .select_related(
            "party", "candidacy__person", "candidacy__party", "candidacy__constituency", "election"
        )
        .prefetch_related(Prefetch("ratings", queryset=PledgeRating.objects.order_by("-rated_on", "-pk")))
        .order_by("-made_on", "-pk")
    )


# --- party ---------------------------------------------------------------------------------------


def _latest_manifesto(party, election, preview):
    """The party's latest analysed manifesto for `election`; failing that, its latest one
    uploaded without an election (a standing programme)."""
    manifestos = _published(party.manifestos.filter(status=Manifesto.Status.READY), preview)
    latest = manifestos.order_by("-analysed_at", "-pk")
    if election is None:
        return latest.first()
    return latest.filter(election=election).first() or latest.filter(election__isnull=True).first()


def _education_sentences(manifesto):
    """The manifesto's education quasi-sentences by sub-topic, in the manifesto's order."""
    groups = OrderedDict((topic, []) for topic in [*Topic.values, ""])
    sentences = manifesto.sentences.filter(is_heading=False).filter(
        Q(reviewed_education=True) | Q(reviewed_education__isnull=True, predicted_education=True)
    )
    for sentence in sentences.order_by("position"):
        groups[sentence.topic or ""].append(sentence)
    labels = dict(Topic.choices)
    return [(labels.get(topic, _("Other education")), items) for topic, items in groups.items() if items]


def party_scorecard(request, slug):
    party = get_object_or_404(Party, slug=slug)
    preview = preview_allowed(request.user)
    related = Election.objects.filter(
        Q(candidacies__party=party) | Q(manifestos__party=party) | Q(pledges__party=party)
    ).distinct()
    election, elections = _election_for(request, related.order_by("-polling_date"))

    manifesto = _latest_manifesto(party, election, preview)
    pledges = list(
        _pledges(preview, election=election).filter(Q(party=party) | Q(candidacy__party=party)).distinct()
        if election
        else []
    )
    candidacies = (
        Candidacy.objects.filter(party=party, election=election) if election else Candidacy.objects.none()
    )
    by_assembly = [
        {
            "assembly": Constituency.Assembly(row["constituency__assembly"]).label,
            "code": row["constituency__assembly"],
            "candidates": row["candidates"],
            "won": row["won"],
        }
        for row in candidacies.values("constituency__assembly")
        .annotate(candidates=Count("pk"), won=Count("pk", filter=Q(is_winner=True)))
        .order_by("constituency__assembly")
    ]
    winners = list(
        candidacies.filter(is_winner=True)
        .select_related("person", "constituency")
        .order_by("constituency__assembly", "constituency__number")
    )
    stories = _published(MediaStory.objects.filter(parties=party), preview)
    funding = list(manifesto.funding_commitments.standing().select_related("sentence")) if manifesto else []
    four_percent_pledges = [p for p in pledges if p.commits_four_percent]
    context = {
        "party": party,
        "election": election,
        "elections": elections,
        "manifesto": manifesto,
        "education_sentences": _education_sentences(manifesto) if manifesto else [],
        "funding": funding,
        "commits_four_percent": bool((manifesto and manifesto.commits_four_percent) or four_percent_pledges),
        "four_percent_pledges": four_percent_pledges,
        "four_percent": FOUR_PERCENT,
        "pledges": pledges,
        "rating_counts": rating_counts(pledges),
        "by_assembly": by_assembly,
        "candidate_count": sum(row["candidates"] for row in by_assembly),
        "winners": winners,
        "story_count": stories.count(),
        "education_story_count": stories.filter(is_education=True).count(),
        "stories": list(stories.order_by("-published_on", "-pk")[:STORIES_SHOWN]),
        "preview": preview,
        "page_url": _page_url(request),
    }
    return render(request, "accountability/party_scorecard.html", context)


# --- constituency --------------------------------------------------------------------------------


def seat_scorecard(request, election, code):
    election = get_object_or_404(Election, slug=election)
    constituency = (
        defer_geometry(Constituency.objects.select_related("province"), "province")
        .filter(code__iexact=code, delimitation_year=election.delimitation_year)
        .first()
    )
    if constituency is None:
        raise Http404(_("%(election)s has no seat %(code)s.") % {"election": election, "code": code})
    preview = preview_allowed(request.user)
    candidacies, result = seat_candidates(election, constituency)
    valid = (result.valid_votes if result else None) or sum(c.votes or 0 for c in candidacies)
    for candidacy in candidacies:
        candidacy.vote_share = (
            100.0 * candidacy.votes / valid if valid and candidacy.votes is not None else None
        )
    pledges = list(
        _pledges(preview, election=election).filter(
            Q(candidacy__constituency=constituency) | Q(constituency=constituency)
        )
    )
    survey = (
        _published(VoterSurvey.objects.filter(constituency=constituency), preview)
        .filter(Q(election=election) | Q(election__isnull=True))
        .prefetch_related("demands")
        .select_related("conducted_by")
        .order_by("-conducted_on", "-pk")
        .first()
    )
    stories = _published(MediaStory.objects.filter(constituencies=constituency), preview)
    districts = list(
        Area.objects.light()
        .filter(constituency_links__constituency=constituency)
        .select_related("province")
        .order_by("-constituency_links__is_primary", "name")
    )
    context = {
        "election": election,
        "constituency": constituency,
        "candidacies": candidacies,
        "result": result,
        "pledges": pledges,
        "rating_counts": rating_counts(pledges),
        "survey": survey,
        "stories": list(stories.order_by("-published_on", "-pk")[:STORIES_SHOWN]),
        "story_count": stories.count(),
        "education_story_count": stories.filter(is_education=True).count(),
        "districts": districts,
        "preview": preview,
        "page_url": _page_url(request),
    }
    return render(request, "accountability/seat_scorecard.html", context)


urlpatterns = [
    path("parties/<slug:slug>/", party_scorecard, name="party-scorecard"),
    path("elections/<slug:election>/seats/<str:code>/", seat_scorecard, name="seat-scorecard"),
]
