"""Demo pledges: a few education promises by existing candidates and parties of the latest
election, some rated, most published. Runs after the elections demo; with no election or no
party it adds nothing. Loading it again adds nothing (a pledge with the same maker, date and
text is left as it is)."""

from datetime import timedelta

from django.db.models import Case, Count, Q, When
from django.utils import timezone

from muhim.elections.models import Candidacy, Election, Party
from muhim.manifestos.models import Topic

from . import pledge_services as services
from .models import Pledge, Rating

CANDIDATE_PLEDGES = [
    (
        "I will get the two closed girls' primary schools of this constituency reopened with "
        "teachers in the first year.",
        Pledge.SourceType.CORNER_MEETING,
        Topic.GIRLS,
        False,
        [(Rating.IN_THE_WORKS, 120), (Rating.KEPT, 400)],
    ),
    (
        "Every government school here will have a boundary wall, toilets and clean water.",
        Pledge.SourceType.SPEECH,
        Topic.INFRASTRUCTURE,
        False,
        [(Rating.STALLED, 300)],
    ),
    (
        "I will press in the Assembly for 4% of GDP for education.",
        Pledge.SourceType.WRITTEN,
        Topic.FUNDING,
        True,
        [],
    ),
]
PARTY_PLEDGES = [
    (
        "We will raise public spending on education to 4% of GDP within our term.",
        Pledge.SourceType.MANIFESTO,
        Topic.FUNDING,
        True,
        [(Rating.IN_THE_WORKS, 200), (Rating.COMPROMISE, 600)],
    ),
    (
        "Free and compulsory education for every child aged 5 to 16, as Article 25-A requires.",
        Pledge.SourceType.INTERVIEW,
        Topic.ACCESS,
        False,
        [(Rating.BROKEN, 700)],
    ),
]


def _add(election, data, ratings, say):
    maker = {"candidacy": data.get("candidacy"), "party": data.get("party")}
    found = Pledge.objects.filter(election=election, made_on=data["made_on"], text=data["text"])
    found = (
        found.filter(candidacy=maker["candidacy"])
        if maker["candidacy"]
        else found.filter(party=maker["party"])
    )
    if found.exists():
        return
    pledge = services.save_pledge(None, data)
    today = timezone.localdate()
    for rating, days in ratings:
        day = min(pledge.made_on + timedelta(days=days), today)
        services.rate_pledge(None, pledge, rating, day, "Demo rating.", "https://example.org/demo-evidence")
    say(f"  pledges: {pledge} ({pledge.party.short_name if pledge.party else ''})")


def load(stdout=None):
    def say(text):
        if stdout is not None:
            stdout.write(text)

    election = Election.objects.order_by("-polling_date").first()
    if election is None:
        say("  pledges: no election yet, none added")
        return
    # Pledges are made in the campaign before polling day.
    day = min(election.polling_date, timezone.localdate()) - timedelta(days=20)
    candidacies = list(
        Candidacy.objects.filter(election=election, party__isnull=False)
        .select_related("party", "constituency", "person")
        .order_by("constituency__assembly", "constituency__number", "-votes", "pk")[:3]
    )
    for candidacy, (text, source, topic, four, ratings) in zip(candidacies, CANDIDATE_PLEDGES, strict=False):
        data = {
            "election": election,
            "candidacy": candidacy,
            "made_on": day,
            "source_type": source,
            "text": text,
            "is_education": True,
            "topic": topic,
            "commits_four_percent": four,
            "is_published": True,
        }
        _add(election, data, ratings, say)
    # The parties that fielded the most candidates (the main parties), else the first by name.
    parties = list(
        Party.objects.annotate(
            fielded=Count("candidacies", filter=Q(candidacies__election=election)),
            # Without candidate lists (no shared data): the two largest parties of 2018.
            known=Case(When(abbreviation__in=["PTI", "PML-N"], then=1), default=0),
        ).order_by("-fielded", "-known", "name")[:2]
    )
    for party, (text, source, topic, four, ratings) in zip(parties, PARTY_PLEDGES, strict=False):
        data = {
            "election": election,
            "party": party,
            "made_on": day - timedelta(days=10),
            "source_type": source,
            "text": text,
            "is_education": True,
            "topic": topic,
            "commits_four_percent": four,
            "is_published": True,
        }
        _add(election, data, ratings, say)
