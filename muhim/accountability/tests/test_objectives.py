"""The objectives dashboard: each objective's value is counted from the records behind it and
changes when they do; the public sees only what is published."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from muhim.accountability.models import EducationBudget, MediaStory, Pledge, SurveyDemand, VoterSurvey
from muhim.accountability.objectives import objectives

from . import records

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2018, 12, 15)


def by_key(election, published_only=False):
    return {o.key: o for o in objectives(election, published_only=published_only, today=TODAY)}


@pytest.fixture
def setting(gazetteer):
    election = records.election()
    pti = records.party("Pakistan Tehreek-e-Insaf", "PTI")
    pmln = records.party("Pakistan Muslim League (N)", "PML-N")
    lahore = records.seat("NA-130", "pb-lahore")
    karachi = records.seat("NA-247", "sd-karachi-south", "Karachi South-II")
    candidates = [
        records.candidacy(election, lahore, "Shafqat Mahmood", pti, 127405, winner=True),
        records.candidacy(election, lahore, "Khawaja Ahmad Hassaan", pmln, 90000),
        records.candidacy(election, karachi, "Arif Alvi", pti, 91000, winner=True),
        records.candidacy(election, karachi, "Independent Candidate"),
    ]
    return {
        "election": election,
        "pti": pti,
        "pmln": pmln,
        "seats": (lahore, karachi),
        "candidates": candidates,
    }


def sentences(education, total):
    return [("# Education", False)] + [(f"Sentence {i}.", i < education) for i in range(total)]


def test_manifesto_objective_counts_parties_at_or_above_the_threshold(setting, settings):
    settings.MUHIM_MANIFESTO_EDUCATION_TARGET = 5.0
    records.manifesto(setting["pti"], setting["election"], sentences(6, 100))  # 6.000%
    low = records.manifesto(setting["pmln"], setting["election"], sentences(4, 100))  # 4.000%
    objective = by_key(setting["election"])["manifestos"]
    assert objective.value == "1 of 2 parties"
    assert objective.met is False
    assert [(r["label"], r["value"], r["ok"]) for r in objective.rows] == [
        ("PTI", "6.000%", True),
        ("PML-N", "4.000%", False),
    ]
    # A reviewer marks one more sentence as education: 5 of 100 reaches the threshold.
    sentence = low.sentences.filter(predicted_education=False, is_heading=False).first()
    sentence.reviewed_education = True
    sentence.save()
    low.refresh_figures()
    objective = by_key(setting["election"])["manifestos"]
    assert objective.value == "2 of 2 parties"
    assert objective.met is True


def test_the_public_dashboard_counts_published_manifestos_only(setting):
    records.manifesto(setting["pti"], setting["election"], sentences(6, 100), published=False)
    assert by_key(setting["election"], published_only=True)["manifestos"].value == "No manifesto analysed yet"
    assert by_key(setting["election"])["manifestos"].value == "1 of 1 parties"


def test_four_percent_commitments_come_from_manifestos_and_pledges(setting):
    records.manifesto(setting["pti"], setting["election"], sentences(6, 100), four_percent=True)
    records.manifesto(setting["pmln"], setting["election"], sentences(4, 100))
    objective = by_key(setting["election"])["commitments"]
    assert objective.value == "1 of 2 parties"
    Pledge.objects.create(
        election=setting["election"],
        candidacy=setting["candidates"][1],
        made_on=datetime.date(2018, 7, 1),
        source_type="corner_meeting",
        text="We will spend 4% of GDP on education.",
        commits_four_percent=True,
    )
    objective = by_key(setting["election"])["commitments"]
    assert objective.value == "2 of 2 parties"
    assert objective.met is True


def test_budget_objective_uses_the_latest_year_and_the_four_percent_target(setting):
    EducationBudget.objects.create(
        government="all", fiscal_year="2016-17", education_allocation=Decimal(699), gdp=Decimal(31963)
    )
    EducationBudget.objects.create(
        government="all", fiscal_year="2017-18", education_allocation=Decimal(829), gdp=Decimal(34396)
    )
    objective = by_key(setting["election"])["budgets"]
    assert objective.value == "2.41% of GDP in 2017-18"
    assert objective.met is False
    assert [p.text for p in objective.trend] == ["2.19%", "2.41%"]


def test_budget_objective_adds_up_governments_without_a_combined_row(setting):
    for government, allocation in [("federal", 100), ("pb", 200), ("sd", 150)]:
        EducationBudget.objects.create(
            government=government,
            fiscal_year="2018-19",
            education_allocation=Decimal(allocation),
            gdp=Decimal(10000),
        )
    objective = by_key(setting["election"])["budgets"]
    assert objective.value == "4.50% of GDP in 2018-19"
    assert objective.met is True
    assert "added up" in objective.detail


def survey(constituency, day, demands):
    made = VoterSurvey.objects.create(constituency=constituency, conducted_on=day)
    for rank, (demand, education) in enumerate(demands, start=1):
        SurveyDemand.objects.create(survey=made, rank=rank, demand=demand, is_education=education)
    return made


def test_voter_objective_uses_each_constituencys_latest_survey(setting):
    lahore, karachi = setting["seats"]
    survey(lahore, datetime.date(2018, 3, 1), [("Gas", False), ("Education", True)])
    survey(lahore, datetime.date(2018, 6, 1), [("Education", True), ("Gas", False)])
    survey(karachi, datetime.date(2018, 6, 1), [("Water", False), ("Schools", True)])
    objective = by_key(setting["election"])["voters"]
    assert objective.value == "1 of 2 constituencies"
    assert objective.share == 50.0


def test_candidate_objective_counts_candidates_with_an_education_pledge(setting):
    for candidacy, education in [(setting["candidates"][0], True), (setting["candidates"][2], False)]:
        Pledge.objects.create(
            election=setting["election"],
            candidacy=candidacy,
            made_on=datetime.date(2018, 7, 1),
            source_type="speech",
            text="A promise.",
            is_education=education,
        )
    objective = by_key(setting["election"])["candidates"]
    assert objective.value == "1 of 4 candidates"
    assert "50.0% of the 2 pledges" in objective.detail


def test_media_and_conversation_objectives_count_stories_by_month(setting):
    for day, education in [
        (datetime.date(2018, 7, 1), True),
        (datetime.date(2018, 7, 2), False),
        (datetime.date(2018, 9, 3), True),
        (datetime.date(2018, 11, 4), True),
    ]:
        MediaStory.objects.create(
            outlet="Dawn", published_on=day, title=f"Story {day}", is_education=education
        )
    MediaStory.objects.create(
        outlet="Dawn", published_on=datetime.date(2017, 7, 31), title="Before the campaign", is_education=True
    )
    # Polling day (25 July 2018) has passed: the campaign's twelve months end with its month.
    media = by_key(setting["election"])["media"]
    assert media.value == "1 education story in the twelve months up to polling day"
    assert "up to polling day" in media.measure
    assert [p.label for p in media.trend][::11] == ["Aug 2017", "Jul 2018"]
    july = next(p for p in media.trend if p.label == "Jul 2018")
    assert july.text == "1 of 2 stories"
    # Before polling day, the last twelve months.
    setting["election"].polling_date = datetime.date(2019, 3, 1)
    setting["election"].save()
    media = by_key(setting["election"])["media"]
    assert media.value == "3 education stories in twelve months"
    assert media.trend[-1].label == "Dec 2018"
    setting["election"].polling_date = datetime.date(2018, 7, 25)
    setting["election"].save()
    conversation = by_key(setting["election"])["conversation"]
    # Months after polling day up to today: Aug, Sep, Oct, Nov, Dec 2018; Sep and Nov had stories.
    assert conversation.value == "2 of 5 months since polling day with education stories"
    assert conversation.met is False


def test_the_dashboard_page_shows_every_objective_to_anyone(client, setting):
    records.manifesto(setting["pti"], setting["election"], sentences(6, 100))
    response = client.get(reverse("accountability:objectives"))
    assert response.status_code == 200
    page = response.content.decode()
    for key in ["manifestos", "budgets", "commitments", "voters", "candidates", "media", "conversation"]:
        assert f'id="objective-{key}"' in page
    assert "Counted from published records only." in page
    assert "1 of 1 parties" in page


def test_the_dashboard_page_in_urdu(client, setting):
    response = client.get("/ur/objectives/")
    assert response.status_code == 200
    assert 'dir="rtl"' in response.content.decode()


def test_the_public_dashboard_links_only_public_pages_and_staff_get_the_lists(client, make_user, setting):
    public = client.get(reverse("accountability:objectives")).content.decode()
    assert reverse("accountability:budget-list") in public
    for staff_list in ("accountability:survey-list", "accountability:story-list"):
        assert f'href="{reverse(staff_list)}"' not in public
    # The pledge tracker is public: its education pledges are behind the candidates' figure.
    assert f'href="{reverse("accountability:pledge-list")}?election=ge-2018&amp;education=true"' in public
    client.force_login(make_user("campaign_office"))
    staff = client.get(reverse("accountability:objectives")).content.decode()
    assert f'href="{reverse("accountability:survey-list")}"' in staff
    assert "Counted from every analysed manifesto" in staff


@pytest.mark.parametrize("language", ["en", "ur"])
def test_counts_are_grouped_in_thousands_in_both_languages(language):
    from django.utils import translation

    from muhim.accountability.objectives import _of

    with translation.override(language):
        assert "12,220" in _of(3, 12220, "candidates")
