"""Public scorecards of parties and constituencies: what they show, to whom."""

import datetime

import pytest
from django.urls import reverse

from muhim.accountability.models import MediaStory, Pledge, PledgeRating, SurveyDemand, VoterSurvey

from . import records

pytestmark = pytest.mark.django_db


@pytest.fixture
def seat(gazetteer):
    election = records.election()
    pti = records.party("Pakistan Tehreek-e-Insaf", "PTI")
    pmln = records.party("Pakistan Muslim League (N)", "PML-N")
    lahore = records.seat("NA-130", "pb-lahore")
    winner = records.candidacy(election, lahore, "Shafqat Mahmood", pti, 127405, winner=True)
    runner_up = records.candidacy(election, lahore, "Khawaja Ahmad Hassaan", pmln, 90000)
    records.result(election, lahore)
    return {
        "election": election,
        "pti": pti,
        "pmln": pmln,
        "seat": lahore,
        "winner": winner,
        "runner_up": runner_up,
    }


def pledge(candidacy, text, *, published=True, **extra):
    return Pledge.objects.create(
        election=candidacy.election,
        candidacy=candidacy,
        party=candidacy.party,
        made_on=datetime.date(2018, 7, 10),
        source_type="corner_meeting",
        text=text,
        is_published=published,
        **extra,
    )


def party_page(client, party, **params):
    return client.get(reverse("accountability:party-scorecard", kwargs={"slug": party.slug}), params)


def test_party_scorecard_shows_the_manifesto_share_and_the_sentences_behind_it(client, seat):
    records.manifesto(
        seat["pti"],
        seat["election"],
        [
            ("# Education", False),
            ("Every child will be in school.", True),
            ("Roads.", False),
            ("Gas.", False),
        ],
        four_percent=True,
    )
    page = party_page(client, seat["pti"]).content.decode()
    assert "33.333%" in page  # 1 of 3, the heading left out
    assert "Every child will be in school." in page
    assert 'id="four-percent">Yes' in page
    assert "Shafqat Mahmood" in page  # the seat it won


def test_the_public_party_scorecard_leaves_out_what_is_not_published(client, make_user, seat):
    records.manifesto(seat["pti"], seat["election"], [("Schools for all.", True)], published=False)
    pledge(seat["winner"], "A university in every district.", published=False)
    page = party_page(client, seat["pti"]).content.decode()
    assert "Schools for all." not in page
    assert "A university in every district." not in page
    office = make_user("campaign_office")
    client.force_login(office)
    page = party_page(client, seat["pti"]).content.decode()
    assert "Schools for all." in page and "A university in every district." in page
    assert "not published" in page
    # A partner reads what the public reads.
    client.force_login(make_user("partner"))
    page = party_page(client, seat["pti"]).content.decode()
    assert "Schools for all." not in page and "A university in every district." not in page


def test_a_manifesto_uploaded_without_an_election_shows_when_the_election_has_none(client, seat):
    records.manifesto(seat["pti"], None, [("Every child will be in school.", True), ("Roads.", False)])
    page = party_page(client, seat["pti"]).content.decode()
    assert "Every child will be in school." in page and "50.000%" in page
    # One for the election comes first.
    records.manifesto(seat["pti"], seat["election"], [("A college in every tehsil.", True)])
    page = party_page(client, seat["pti"]).content.decode()
    assert "A college in every tehsil." in page and "Every child will be in school." not in page


def test_organisers_see_the_public_scorecard(client, make_user, seat):
    pledge(seat["winner"], "A university in every district.", published=False)
    client.force_login(make_user("organiser", ["pb-lahore"]))
    assert "A university in every district." not in party_page(client, seat["pti"]).content.decode()


def test_seat_scorecard_shows_candidates_results_pledges_and_voter_demands(client, seat):
    made = pledge(seat["winner"], "Twenty new girls' schools in Lahore.", rating="in_the_works")
    PledgeRating.objects.create(
        pledge=made, rating="in_the_works", rated_on=datetime.date(2019, 3, 1), note="Land allotted."
    )
    survey = VoterSurvey.objects.create(constituency=seat["seat"], conducted_on=datetime.date(2018, 5, 1))
    SurveyDemand.objects.create(survey=survey, rank=1, demand="Gas", is_education=False)
    SurveyDemand.objects.create(survey=survey, rank=2, demand="Schools", is_education=True)
    story = MediaStory.objects.create(
        outlet="Dawn",
        published_on=datetime.date(2018, 7, 12),
        title="Lahore's schools in the campaign",
        is_education=True,
    )
    story.constituencies.add(seat["seat"])
    url = reverse("accountability:seat-scorecard", kwargs={"election": "ge-2018", "code": "NA-130"})
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Shafqat Mahmood") < page.index("Khawaja Ahmad Hassaan")  # by votes
    assert "127,405" in page
    assert "Twenty new girls&#x27; schools in Lahore." in page
    assert "Land allotted." in page
    assert "Education ranks 2." in page
    assert "Lahore&#x27;s schools in the campaign" in page
    assert "House 1" not in page  # no addresses
    assert reverse("geography:area-detail", kwargs={"code": "pb-lahore"}) in page


def test_an_unknown_seat_is_a_404(client, seat):
    url = reverse("accountability:seat-scorecard", kwargs={"election": "ge-2018", "code": "NA-999"})
    assert client.get(url).status_code == 404


def test_scorecards_are_printable_and_shareable(client, seat):
    page = party_page(client, seat["pti"]).content.decode()
    assert 'rel="canonical"' in page and "@media print" in page and "data-print" in page
    assert "onclick" not in page


def test_scorecards_in_urdu(client, seat):
    seat["pti"].name_ur = "پاکستان تحریک انصاف"
    seat["pti"].save()
    response = client.get(f"/ur/parties/{seat['pti'].slug}/")
    assert response.status_code == 200
    assert "پاکستان تحریک انصاف" in response.content.decode()
