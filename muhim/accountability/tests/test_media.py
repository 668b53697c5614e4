"""Media stories: recording one (unknown seats and candidates told next to their fields), who
sees and changes what, the list's filters, the counts page against the list it summarises,
the `media-stories` importer, the API, and the dashboard's `stories_per_month`."""

import csv
import io
import json
import re
from datetime import date
from html import unescape

import pytest
from django.urls import reverse

from muhim.accountability import evidence_services as services
from muhim.accountability.models import MediaStory
from muhim.elections.models import Candidacy, Election, Party, PartyAlias, Person

from . import test_surveys
from .test_surveys import api_as, client_as, counts, errors_by_row, run_import

pytestmark = pytest.mark.django_db
seats = test_surveys.seats  # the fixture
staff = test_surveys.staff  # the fixture


@pytest.fixture
def parties(db):
    pti = Party.objects.create(
        name="Pakistan Tehreek-e-Insaf", abbreviation="PTI", name_ur="پاکستان تحریک انصاف"
    )
    pmln = Party.objects.create(name="Pakistan Muslim League (N)", abbreviation="PML-N")
    PartyAlias.objects.create(party=pmln, alias="Muslim League Nawaz")
    return {"pti": pti, "pmln": pmln}


def story(
    title, day, *, education=False, seats=(), parties=(), people=(), published=True, outlet="Dawn", url=""
):
    return services.save_story(
        story=MediaStory(
            outlet=outlet,
            published_on=day,
            title=title,
            is_education=education,
            is_published=published,
            url=url,
        ),
        constituencies=seats,
        parties=parties,
        people=people,
    )


def listed(response):
    return {row.record.pk for row in response.context["table"].rows}


def story_form(**overrides):
    data = {
        "outlet": "Dawn",
        "published_on": "2018-06-12",
        "title": "Candidates promise schools",
        "url": "https://example.org/story-1",
        "language": "en",
        "is_education": "on",
        "constituency_codes": "NA-125; pp 147",
        "parties": [],
        "candidate_names": "",
        "is_published": "on",
    }
    data.update(overrides)
    return data


# --- the form --------------------------------------------------------------------------------------


def test_a_media_specialist_records_a_story_with_its_seats_parties_and_candidates(
    client, seats, staff, parties
):
    person = Person.objects.create(name="Ayesha Khan")
    response = client_as(client, staff.specialist).post(
        reverse("accountability:story-create"),
        story_form(parties=[parties["pti"].pk], candidate_names="ayesha  khan"),
    )
    stored = MediaStory.objects.get()
    assert response.status_code == 302
    assert {c.code for c in stored.constituencies.all()} == {"NA-125", "PP-147"}
    assert list(stored.parties.all()) == [parties["pti"]] and list(stored.people.all()) == [person]
    assert stored.recorded_by == staff.specialist


def test_the_form_names_unknown_seats_and_candidates_and_keeps_the_rest(client, seats, staff):
    response = client_as(client, staff.office).post(
        reverse("accountability:story-create"),
        story_form(constituency_codes="NA-125; NA-999", candidate_names="Nobody"),
    )
    form = response.context["form"]
    assert "There is no constituency NA-999" in " ".join(form.errors["constituency_codes"])
    assert "No candidate is called 'Nobody'" in " ".join(form.errors["candidate_names"])
    assert 'value="Candidates promise schools"' in response.content.decode()
    assert not MediaStory.objects.exists()


def test_a_name_two_candidates_share_is_narrowed_to_the_storys_seats(client, seats, staff):
    election = Election.objects.create(
        name="GE 2018", slug="ge-2018", polling_date=date(2018, 7, 25), delimitation_year=2018
    )
    lahore, karachi = Person.objects.create(name="Ali Raza"), Person.objects.create(name="Ali Raza")
    Candidacy.objects.create(election=election, constituency=seats.lahore, person=lahore)
    Candidacy.objects.create(election=election, constituency=seats.karachi, person=karachi)
    client_as(client, staff.office)
    ambiguous = client.post(
        reverse("accountability:story-create"), story_form(constituency_codes="", candidate_names="Ali Raza")
    )
    assert "2 candidates are called 'Ali Raza'" in " ".join(
        ambiguous.context["form"].errors["candidate_names"]
    )
    client.post(
        reverse("accountability:story-create"),
        story_form(constituency_codes="NA-125", candidate_names="Ali Raza"),
    )
    assert list(MediaStory.objects.get().people.all()) == [lahore]


# --- who sees what ---------------------------------------------------------------------------------


def test_stories_are_read_by_staff_and_changed_by_media_managers(client, seats, staff):
    stored = story("Schools in NA-125", date(2018, 6, 1), seats=[seats.lahore])
    draft = story("Draft", date(2018, 6, 2), seats=[seats.karachi], published=False)
    for url in (reverse("accountability:story-list"), reverse("accountability:story-counts")):
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert client.get(reverse("accountability:story-detail", args=[stored.pk])).status_code == 200
    assert client.get(reverse("accountability:story-detail", args=[draft.pk])).status_code == 302

    client_as(client, staff.lahore)
    assert listed(client.get(reverse("accountability:story-list"))) == {stored.pk}
    assert client.get(reverse("accountability:story-detail", args=[draft.pk])).status_code == 403
    denied = client.get(reverse("accountability:story-edit", args=[stored.pk]))
    assert (
        denied.status_code == 403
        and "may read media stories but not record or change them" in denied.content.decode()
    )
    client.logout()

    client_as(client, staff.office)
    assert listed(client.get(reverse("accountability:story-list"))) == {stored.pk, draft.pk}
    assert client.get(reverse("accountability:story-edit", args=[stored.pk])).status_code == 200


def test_who_recorded_a_story_is_shown_only_to_those_who_see_personal_data(client, seats, staff):
    stored = services.save_story(
        story=MediaStory(outlet="Dawn", published_on=date(2018, 6, 1), title="Schools"), user=staff.office
    )
    page = client_as(client, staff.office).get(reverse("accountability:story-detail", args=[stored.pk]))
    assert "office" in page.content.decode().split('id="recorded-by"')[1][:40]
    export = client.get(reverse("accountability:story-list"), {"export": "csv"})
    assert "Recorded by" in b"".join(export).decode("utf-8-sig")
    client.logout()
    client_as(client, staff.specialist)
    assert (
        'id="recorded-by"'
        not in client.get(reverse("accountability:story-detail", args=[stored.pk])).content.decode()
    )
    export = client.get(reverse("accountability:story-list"), {"export": "csv"})
    assert "Recorded by" not in b"".join(export).decode("utf-8-sig")


# --- the list and its counts ------------------------------------------------------------------------


@pytest.fixture
def coverage(seats, parties):
    pti, pmln = parties["pti"], parties["pmln"]
    return [
        story("Schools promised", date(2018, 5, 3), education=True, seats=[seats.lahore], parties=[pti]),
        story("Gas shortage", date(2018, 5, 20), seats=[seats.lahore], parties=[pti, pmln]),
        story(
            "Teachers' strike",
            date(2018, 6, 1),
            education=True,
            seats=[seats.karachi],
            parties=[pmln],
            outlet="Jang",
        ),
        story("Rally", date(2018, 6, 30), parties=[pmln]),
        story("Budget for education", date(2018, 8, 2), education=True, seats=[seats.lahore, seats.karachi]),
    ]


def test_the_list_filters_by_party_constituency_education_and_months(client, staff, coverage):
    client_as(client, staff.office)
    url = reverse("accountability:story-list")
    pk = [s.pk for s in coverage]
    assert listed(client.get(url, {"party": "pml-n"})) == {pk[1], pk[2], pk[3]}
    assert listed(client.get(url, {"constituency": "na-125", "education": "true"})) == {pk[0], pk[4]}
    assert listed(client.get(url, {"month_from": "2018-06", "month_to": "2018-06"})) == {pk[2], pk[3]}
    assert listed(client.get(url, {"outlet": "Jang"})) == {pk[2]}
    bad = client.get(url, {"month_from": "June"})
    assert "Write the month as 2018-07." in " ".join(bad.context["filter"].form.errors["month_from"])
    rows = list(
        csv.DictReader(
            io.StringIO(b"".join(client.get(url, {"party": "pti", "export": "csv"})).decode("utf-8-sig"))
        )
    )
    assert sorted(r["Title"] for r in rows) == ["Gas shortage", "Schools promised"]


def _links(html, table_id):
    table = html.split(f'id="{table_id}"')[1].split("</table>")[0]
    return [(unescape(href), int(n)) for href, n in re.findall(r'<a href="([^"]+)">(\d+)</a>', table)]


@pytest.mark.parametrize("filters", [{}, {"party": "pml-n"}, {"constituency": "NA-125"}, {"outlet": "Dawn"}])
def test_every_count_is_the_length_of_the_list_it_opens(client, staff, coverage, filters):
    client_as(client, staff.office)
    response = client.get(reverse("accountability:story-counts"), filters)
    links = _links(response.content.decode(), "month-counts")
    assert links
    for href, n in links:
        assert len(listed(client.get(href))) == n, href
    rows = response.context["rows"]
    matching = listed(client.get(reverse("accountability:story-list"), filters))
    assert sum(r["total"] for r in rows) == len(matching)


def test_the_counts_page_shows_each_month_education_and_all(client, staff, coverage):
    client_as(client, staff.office)
    rows = client.get(reverse("accountability:story-counts")).context["rows"]
    assert [(r["month"], r["education"], r["total"]) for r in rows] == [
        (date(2018, 5, 1), 1, 2),
        (date(2018, 6, 1), 1, 2),
        (date(2018, 7, 1), 0, 0),
        (date(2018, 8, 1), 1, 1),
    ]
    party_rows = client.get(reverse("accountability:story-counts"), {"party": "pti"}).context["rows"]
    assert [(r["education"], r["total"]) for r in party_rows] == [(1, 2)]
    by_party = {
        row["name"]: (row["education"], row["total"])
        for row in client.get(reverse("accountability:story-counts")).context["by_party"]
    }
    assert by_party == {"PML-N": (1, 3), "PTI": (1, 2)}


def test_stories_per_month_counts_published_stories_of_the_last_months(seats, parties, coverage):
    story("Unpublished schools story", date(2018, 8, 5), education=True, published=False)
    figures = services.stories_per_month(4, until=date(2018, 8, 20))
    assert figures == [
        (date(2018, 5, 1), 1, 2),
        (date(2018, 6, 1), 1, 2),
        (date(2018, 7, 1), 0, 0),
        (date(2018, 8, 1), 1, 1),
    ]
    assert services.stories_per_month(2, party=parties["pmln"], until=date(2018, 6, 30)) == [
        (date(2018, 5, 1), 0, 1),
        (date(2018, 6, 1), 1, 2),
    ]
    assert services.stories_per_month(1, constituency=seats.karachi.pk, until=date(2018, 8, 1)) == [
        (date(2018, 8, 1), 1, 1)
    ]
    assert len(services.stories_per_month()) == 12


# --- the importer ----------------------------------------------------------------------------------

STORY_FILE = """outlet,date,title,link,language,constituencies,parties
Dawn,2018-06-12,Candidates promise new schools,https://example.org/a,English,NA-125; PP-147,PTI; muslim league nawaz
Jang,2018-06-20,حلقہ میں تعلیم سب سے بڑا مطالبہ,,,NA-246,پاکستان تحریک انصاف
Geo News,2018-07-02,Load-shedding dominates the campaign,https://example.org/c,en,,Awami Nothing Party
"""


def test_importing_stories_twice_changes_nothing_and_unmatched_parties_are_warnings(seats, staff, parties):
    run = run_import("media-stories", STORY_FILE, staff.specialist)
    assert counts(run) == (3, 0, 0, 0)
    first = MediaStory.objects.get(url="https://example.org/a")
    assert first.is_education and {p.abbreviation for p in first.parties.all()} == {"PTI", "PML-N"}
    urdu = MediaStory.objects.get(outlet="Jang")
    assert urdu.language == "ur" and urdu.is_education and list(urdu.parties.all()) == [parties["pti"]]
    third = MediaStory.objects.get(url="https://example.org/c")
    assert not third.is_education and not third.parties.exists()
    warnings = [w for sample in run.preview["samples"]["create"] for w in sample["warnings"]]
    assert any("No party matches “Awami Nothing Party”" in w for w in warnings)
    again = run_import("media-stories", STORY_FILE, staff.specialist)
    assert counts(again) == (0, 0, 3, 0)
    assert MediaStory.objects.count() == 3


def test_a_story_without_a_link_is_matched_on_outlet_day_and_title_and_seats_are_checked(
    seats, staff, parties
):
    run_import("media-stories", STORY_FILE, staff.specialist)
    changed = STORY_FILE.replace("NA-246,", "NA-246; NA-125,").replace("NA-125; PP-147", "NA-999")
    run = run_import("media-stories", changed, staff.specialist)
    assert counts(run) == (0, 1, 1, 1)
    assert "There is no constituency NA-999" in errors_by_row(run)[2]
    assert {c.code for c in MediaStory.objects.get(outlet="Jang").constituencies.all()} == {
        "NA-246",
        "NA-125",
    }


def test_only_media_managers_may_import_stories(seats, staff):
    run = run_import("media-stories", STORY_FILE, staff.lahore)
    assert run.status == "failed" and not MediaStory.objects.exists()


# --- the API ---------------------------------------------------------------------------------------


def test_the_api_gives_published_stories_and_records_them_for_media_managers(seats, staff, parties):
    story("Public", date(2018, 6, 1), education=True, seats=[seats.lahore], parties=[parties["pti"]])
    story("Draft", date(2018, 6, 2), published=False)
    data = api_as().get("/api/v1/media-stories/").json()["results"]
    assert [(s["title"], s["constituencies"], s["parties"]) for s in data] == [
        ("Public", ["NA-125"], [parties["pti"].slug])
    ]
    assert "recorded_by" not in data[0]
    assert len(api_as(staff.office).get("/api/v1/media-stories/").json()["results"]) == 2
    assert (
        len(
            api_as()
            .get("/api/v1/media-stories/", {"party": parties["pti"].slug, "education": "true"})
            .json()["results"]
        )
        == 1
    )

    body = {
        "outlet": "Dawn",
        "published_on": "2018-07-01",
        "title": "New schools for Lahore",
        "constituencies": ["NA-125"],
    }
    post = json.dumps(body)
    assert (
        api_as(staff.partner)
        .post("/api/v1/media-stories/", post, content_type="application/json")
        .status_code
        == 403
    )
    created = api_as(staff.specialist).post("/api/v1/media-stories/", post, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["is_education"] is True and created.json()["constituencies"] == ["NA-125"]
    bad = api_as(staff.specialist).post(
        "/api/v1/media-stories/",
        json.dumps({**body, "constituencies": ["XX-1"]}),
        content_type="application/json",
    )
    assert bad.status_code == 400 and "XX-1" in json.dumps(bad.json())


def test_changing_a_filter_on_the_counts_page_sends_only_the_figures(client, staff, coverage):
    client_as(client, staff.office)
    response = client.get(reverse("accountability:story-counts"), {"party": "pti"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results">') and "<form" not in html
    assert client.get("/ur" + reverse("accountability:story-counts")).status_code == 200
