"""Voter-demand surveys: recording one with its ranked demands (bad input told next to its
field), who sees and changes what, the list's filters and export, the `voter-surveys`
importer, the API, and the dashboard's `education_top_share`."""

import csv
import io
import json
from datetime import date
from types import SimpleNamespace

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from muhim.accountability import evidence_services as services
from muhim.accountability.models import SurveyDemand, VoterSurvey
from muhim.core.imports.runner import create_run, execute
from muhim.elections.models import Election
from muhim.geography.models import Area, Constituency, ConstituencyArea

pytestmark = pytest.mark.django_db


def make_seat(code, province, district, year=2018):
    assembly, number = code.split("-")
    seat = Constituency.objects.create(
        code=code,
        assembly=assembly,
        number=int(number),
        name=f"Seat {code}",
        delimitation_year=year,
        province=Area.objects.get(code=province),
    )
    ConstituencyArea.objects.create(constituency=seat, area=Area.objects.get(code=district))
    return seat


@pytest.fixture
def seats(gazetteer):
    return SimpleNamespace(
        lahore=make_seat("NA-125", "pb", "pb-lahore"),
        lahore_pa=make_seat("PP-147", "pb", "pb-lahore"),
        karachi=make_seat("NA-246", "sd", "sd-karachi-south"),
    )


@pytest.fixture
def staff(gazetteer, make_user):
    return SimpleNamespace(
        office=make_user("campaign_office", username="office"),
        specialist=make_user("specialist", username="specialist"),
        lahore=make_user("organiser", ["pb-lahore-division"], username="rco-lahore"),
        partner=make_user("partner", username="partner"),
    )


def survey(seat, day, demands, *, published=True, title="", election=None):
    return services.save_survey(
        survey=VoterSurvey(
            constituency=seat, conducted_on=day, title=title, is_published=published, election=election
        ),
        demands=[services.DemandRow(rank=i, demand=text) for i, text in enumerate(demands, 1)],
    )


def client_as(client, user):
    client.force_login(user)
    return client


def run_import(slug, text, user):
    run = create_run(
        importer_slug=slug, data=text.encode("utf-8"), filename=f"{slug}.csv", user=user, source="command"
    )
    execute(run, commit=True)
    run.refresh_from_db()
    return run


def counts(run):
    return (run.created, run.updated, run.unchanged, run.errors)


def errors_by_row(run):
    return {e["row"]: " ".join(e["messages"]) for e in run.preview["errors"]}


def form_data(**overrides):
    data = {
        "constituency_code": "na-125",
        "election": "",
        "title": "Voter priorities",
        "organisation": "Gallup Pakistan",
        "conducted_on": "2018-06-01",
        "respondents": "500",
        "source_url": "",
        "is_published": "on",
        "demands-TOTAL_FORMS": "3",
        "demands-INITIAL_FORMS": "0",
        "demands-MIN_NUM_FORMS": "0",
        "demands-MAX_NUM_FORMS": "1000",
        "demands-0-rank": "1",
        "demands-0-demand": "Gas",
        "demands-0-is_education": "",
        "demands-0-share": "40",
        "demands-1-rank": "2",
        "demands-1-demand": "More teachers in girls' schools",
        "demands-1-is_education": "",
        "demands-1-share": "35",
    }
    data.update(overrides)
    return data


# --- what is about education ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Education", True),
        ("Schools for girls", True),
        ("More teachers", True),
        ("تعلیم", True),
        ("اسکولوں کی حالت", True),
        ("تعليم", True),  # typed on an Arabic keyboard
        ("تَعلِیم", True),  # with short-vowel marks
        ("مدرسے کے استاد", True),
        ("Roads", False),
        ("Gas load-shedding", False),
        ("پانی", False),
    ],
)
def test_education_is_read_from_the_words(text, expected):
    assert services.is_education_text(text) is expected


# --- the form --------------------------------------------------------------------------------------


def test_a_specialist_records_a_survey_and_sees_where_education_ranks(client, seats, staff):
    response = client_as(client, staff.specialist).post(reverse("accountability:survey-create"), form_data())
    stored = VoterSurvey.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("accountability:survey-detail", args=[stored.pk])
    assert stored.constituency == seats.lahore
    assert stored.conducted_by.name == "Gallup Pakistan"
    assert [(d.rank, d.demand, d.is_education) for d in stored.demands.all()] == [
        (1, "Gas", False),
        (2, "More teachers in girls' schools", True),
    ]
    page = client.get(response["Location"])
    assert stored.education_rank == 2
    assert "Education ranks number 2." in page.content.decode()


def test_the_form_names_an_unknown_constituency_and_keeps_what_was_typed(client, seats, staff):
    response = client_as(client, staff.office).post(
        reverse("accountability:survey-create"), form_data(constituency_code="NA-999")
    )
    assert response.status_code == 200
    assert "There is no constituency NA-999" in " ".join(response.context["form"].errors["constituency_code"])
    assert 'value="Gas"' in response.content.decode()
    assert not VoterSurvey.objects.exists()


def test_the_form_refuses_a_rank_given_twice_next_to_the_rank(client, seats, staff):
    response = client_as(client, staff.office).post(
        reverse("accountability:survey-create"), form_data(**{"demands-1-rank": "1"})
    )
    assert response.status_code == 200
    errors = response.context["formset"].forms[1].errors["rank"]
    assert "Rank 1 is already given to “Gas”" in errors[0]
    assert not VoterSurvey.objects.exists()


def test_the_form_refuses_a_share_over_100_and_no_demand_at_all(client, seats, staff):
    client_as(client, staff.office)
    response = client.post(reverse("accountability:survey-create"), form_data(**{"demands-0-share": "140"}))
    assert response.context["formset"].forms[0].errors["share"]
    empty = form_data(**{"demands-0-rank": "", "demands-0-demand": "", "demands-0-share": ""})
    empty.update({"demands-1-rank": "", "demands-1-demand": "", "demands-1-share": ""})
    response = client.post(reverse("accountability:survey-create"), empty)
    assert "Give at least one demand" in " ".join(response.context["formset"].non_form_errors())
    assert not VoterSurvey.objects.exists()


def test_editing_replaces_the_demands_and_education_can_be_said_outright(client, seats, staff):
    stored = survey(seats.lahore, date(2018, 6, 1), ["Gas", "Roads"])
    data = form_data(
        **{
            "demands-0-demand": "Literacy centres",
            "demands-0-is_education": "no",
            "demands-1-demand": "Madrassa reform",
            "demands-1-is_education": "yes",
        }
    )
    response = client_as(client, staff.office).post(
        reverse("accountability:survey-edit", args=[stored.pk]), data
    )
    assert response.status_code == 302
    assert [(d.demand, d.is_education) for d in stored.demands.all()] == [
        ("Literacy centres", False),
        ("Madrassa reform", True),
    ]
    assert SurveyDemand.objects.count() == 2


# --- who sees what ---------------------------------------------------------------------------------


def test_the_list_is_for_staff_and_writing_for_election_managers(client, seats, staff):
    stored = survey(seats.lahore, date(2018, 6, 1), ["Education"])
    list_url = reverse("accountability:survey-list")
    response = client.get(list_url)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert client.get(reverse("accountability:survey-create")).status_code == 302

    client_as(client, staff.partner)
    assert client.get(list_url).status_code == 200
    for url in (
        reverse("accountability:survey-create"),
        reverse("accountability:survey-edit", args=[stored.pk]),
    ):
        denied = client.get(url)
        assert denied.status_code == 403
        assert "may read voter-demand surveys but not record or change them" in denied.content.decode()
    client.logout()

    client_as(client, staff.lahore)  # organisers read, they do not record surveys
    assert client.get(list_url).status_code == 200
    assert client.get(reverse("accountability:survey-create")).status_code == 403


def test_a_published_survey_is_public_an_unpublished_one_is_for_staff_of_its_region(client, seats, staff):
    public = survey(seats.karachi, date(2018, 6, 1), ["Education"])
    lahore_draft = survey(seats.lahore, date(2018, 6, 2), ["Gas"], published=False)
    karachi_draft = survey(seats.karachi, date(2018, 6, 3), ["Roads"], published=False)
    page = client.get(reverse("accountability:survey-detail", args=[public.pk]))
    assert page.status_code == 200 and "Education ranks first" in page.content.decode()
    assert client.get(reverse("accountability:survey-detail", args=[lahore_draft.pk])).status_code == 302
    assert client.get(reverse("accountability:survey-detail", args=[999999])).status_code == 404

    client_as(client, staff.lahore)
    assert client.get(reverse("accountability:survey-detail", args=[lahore_draft.pk])).status_code == 200
    assert client.get(reverse("accountability:survey-detail", args=[karachi_draft.pk])).status_code == 403
    listed = {
        row.record.pk for row in client.get(reverse("accountability:survey-list")).context["table"].rows
    }
    assert listed == {public.pk, lahore_draft.pk}


def test_the_list_filters_where_education_ranks_first_and_exports_the_rows(client, seats, staff):
    first = survey(seats.lahore, date(2018, 6, 1), ["Schools", "Gas"])
    survey(seats.karachi, date(2018, 6, 1), ["Water", "Education"])
    client_as(client, staff.office)
    response = client.get(reverse("accountability:survey-list"), {"education_first": "true"})
    assert [row.record.pk for row in response.context["table"].rows] == [first.pk]
    response = client.get(reverse("accountability:survey-list"), {"province": "sd", "export": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response).decode("utf-8-sig"))))
    assert [(r["Constituency"], r["Education ranks"], r["Demands, ranked"]) for r in rows] == [
        ("NA-246", "2", "1. Water; 2. Education")
    ]


# --- the dashboard's figure ------------------------------------------------------------------------


def test_education_top_share_counts_each_constituencys_latest_published_survey(seats):
    election = Election.objects.create(
        name="General election 2018", slug="ge-2018", polling_date=date(2018, 7, 25), delimitation_year=2018
    )
    assert services.education_top_share() == (0, 0)
    survey(seats.lahore, date(2018, 5, 1), ["Education"], election=election)
    survey(seats.lahore, date(2018, 6, 1), ["Gas", "Education"], election=election)  # the latest: not first
    survey(seats.karachi, date(2018, 6, 1), ["تعلیم", "Water"], election=election)
    survey(seats.lahore_pa, date(2018, 6, 1), ["Roads"])  # no election
    survey(seats.lahore_pa, date(2018, 7, 1), ["Schools"], published=False)  # not counted
    assert services.education_top_share() == (1, 3)
    assert services.education_top_share(election) == (1, 2)


# --- the importer ----------------------------------------------------------------------------------

SURVEY_FILE = """constituency,date,title,organisation,respondents,rank,demand,share
NA-125,2018-06-01,Voter priorities,Gallup Pakistan,500,1,Gas,40
NA-125,2018-06-01,Voter priorities,Gallup Pakistan,500,2,Schools for girls,35
NA 246,01/06/2018,Voter priorities,Gallup Pakistan,400,1,تعلیم,51
NA-246,2018-06-01,Voter priorities,Gallup Pakistan,400,2,Water,30%
"""


def test_importing_survey_results_twice_changes_nothing(seats, staff):
    run = run_import("voter-surveys", SURVEY_FILE, staff.specialist)
    assert counts(run) == (4, 0, 0, 0)
    lahore = VoterSurvey.objects.get(constituency=seats.lahore)
    assert lahore.respondents == 500 and lahore.conducted_by.name == "Gallup Pakistan"
    assert lahore.education_rank == 2
    assert VoterSurvey.objects.get(constituency=seats.karachi).education_rank == 1
    again = run_import("voter-surveys", SURVEY_FILE, staff.specialist)
    assert counts(again) == (0, 0, 4, 0)
    assert VoterSurvey.objects.count() == 2 and SurveyDemand.objects.count() == 4
    assert lahore.history.count() == 1


def test_a_changed_demand_is_an_update_and_a_column_may_say_what_is_education(seats, staff):
    run_import("voter-surveys", SURVEY_FILE, staff.specialist)
    changed = SURVEY_FILE.replace("Gas,40", "Jobs,40").replace("share\n", "share,about education\n")
    changed = changed.replace("Schools for girls,35", "Schools for girls,35,no")
    run = run_import("voter-surveys", changed, staff.specialist)
    assert counts(run) == (0, 2, 2, 0)
    demands = SurveyDemand.objects.filter(survey__constituency=seats.lahore).order_by("rank")
    assert [(d.demand, d.is_education) for d in demands] == [("Jobs", False), ("Schools for girls", False)]


def test_an_unknown_constituency_and_a_rank_given_twice_are_row_errors(seats, staff):
    text = SURVEY_FILE + (
        "NA-999,2018-06-01,Voter priorities,Gallup Pakistan,500,1,Gas,40\n"
        "NA-125,2018-06-01,Voter priorities,Gallup Pakistan,500,2,Roads,20\n"
        "PP-147,2018-06-01,,,,0,Roads,\n"
    )
    run = run_import("voter-surveys", text, staff.specialist)
    errors = errors_by_row(run)
    assert counts(run) == (4, 0, 0, 3)
    assert "There is no constituency NA-999" in errors[6]
    assert (
        "Rank 2 of the survey of NA-125 2018-06-01 Voter priorities is already given to “Schools for girls”"
        in errors[7]
    )
    assert "ranks start at 1" in errors[8]


def test_a_share_that_is_not_a_number_and_a_script_link_are_row_errors(seats, staff):
    text = (
        "constituency,date,title,rank,demand,share,source link\n"
        "NA-125,2018-06-01,A,1,Gas,NaN,\n"
        "NA-125,2018-06-02,B,1,Gas,40,javascript:alert(document.domain)\n"
        "NA-125,2018-06-03,C,1,Gas,40,https://gallup.com.pk/survey\n"
    )
    run = run_import("voter-surveys", text, staff.specialist)
    errors = errors_by_row(run)
    assert run.status != "failed", run.message
    assert counts(run) == (1, 0, 0, 2)
    assert "'NaN' is not a number" in errors[2]
    assert "not a web address starting with http:// or https://" in errors[3]
    assert VoterSurvey.objects.get().source_url == "https://gallup.com.pk/survey"


def test_only_election_managers_may_import_surveys(seats, staff):
    run = run_import("voter-surveys", SURVEY_FILE, staff.partner)
    assert run.status == "failed" and "not allowed" in run.message
    assert not VoterSurvey.objects.exists()


# --- the API ---------------------------------------------------------------------------------------


def api_as(user=None):
    client = APIClient()
    if user is not None:
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_the_api_gives_anyone_the_published_surveys_with_their_demands(seats, staff):
    public = survey(seats.lahore, date(2018, 6, 1), ["Gas", "Schools"])
    survey(seats.karachi, date(2018, 6, 1), ["Water"], published=False)
    data = api_as().get("/api/v1/voter-surveys/").json()
    assert [s["id"] for s in data["results"]] == [public.pk]
    found = data["results"][0]
    assert found["constituency"] == "NA-125" and found["education_rank"] == 2
    assert [(d["rank"], d["demand"], d["is_education"]) for d in found["demands"]] == [
        (1, "Gas", False),
        (2, "Schools", True),
    ]
    assert len(api_as(staff.office).get("/api/v1/voter-surveys/").json()["results"]) == 2


def test_the_api_records_a_survey_only_for_election_managers_and_checks_ranks(seats, staff):
    body = {
        "constituency": "NA-246",
        "conducted_on": "2018-06-05",
        "conducted_by": "PILDAT",
        "demands": [{"rank": 1, "demand": "Education", "share": "48.5"}, {"rank": 2, "demand": "Water"}],
    }
    url = "/api/v1/voter-surveys/"
    assert api_as().post(url, json.dumps(body), content_type="application/json").status_code in (401, 403)
    assert (
        api_as(staff.partner).post(url, json.dumps(body), content_type="application/json").status_code == 403
    )
    twice = {**body, "demands": [{"rank": 1, "demand": "Education"}, {"rank": 1, "demand": "Water"}]}
    refused = api_as(staff.specialist).post(url, json.dumps(twice), content_type="application/json")
    assert refused.status_code == 400 and "Rank 1 is given twice" in json.dumps(refused.json())
    unknown = api_as(staff.specialist).post(
        url, json.dumps({**body, "constituency": "NA-999"}), content_type="application/json"
    )
    assert unknown.status_code == 400 and "NA-999" in unknown.json()["constituency"][0]
    created = api_as(staff.specialist).post(url, json.dumps(body), content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["education_rank"] == 1 and created.json()["conducted_by"] == "PILDAT"
    stored = VoterSurvey.objects.get()
    assert [d.demand for d in stored.demands.all()] == ["Education", "Water"]
