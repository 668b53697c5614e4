"""/api/v1/elections/, /parties/, /people/, /candidacies/ and /results/: public to read, a
person's address only for those who may see personal data, changes only by roles that manage
elections, with messages that say what to fix."""

import csv
import io
import json

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.validation import validate_schema
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from muhim.elections.models import Candidacy, Election, Party, PartyAlias, Person

from .test_popolo import ADDRESSES, build_record, seat, stand

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(gazetteer):
    return build_record()


@pytest.fixture
def staff(gazetteer, make_user):
    from types import SimpleNamespace

    return SimpleNamespace(
        office=make_user("campaign_office", username="office"),
        specialist=make_user("specialist", username="specialist"),
        partner=make_user("partner", username="partner"),
        lahore=make_user("organiser", ["pb-lahore-division"], username="rco-lahore"),
    )


def api_as(user=None):
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def post_json(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def patch_json(client, url, data):
    return client.patch(url, json.dumps(data), content_type="application/json")


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def names(response):
    return sorted(c["person"]["name"] for c in results(response))


# --- reading ------------------------------------------------------------------------------------


def test_elections_and_parties_are_public(record):
    client = api_as()
    elections = results(client.get("/api/v1/elections/"))
    assert [(e["slug"], e["candidacies"], e["seats"]) for e in elections] == [
        ("ge-2024", 1, 1),
        ("ge-2018", 8, 4),
    ]
    assert elections[1]["popolo"] == "http://testserver/api/v1/popolo/?election=ge-2018"
    assert client.get("/api/v1/elections/ge-2018/").json()["polling_date"] == "2018-07-25"

    parties = {p["slug"]: p for p in results(client.get("/api/v1/parties/"))}
    assert parties["pml-n"]["aliases"] == ["PML(N)", "Pakistan Muslim League(N)"]
    assert (parties["pti"]["symbol"], parties["pti"]["candidacies"]) == ("Bat", 4)
    # The spellings candidate lists use find the party.
    assert [p["slug"] for p in results(client.get("/api/v1/parties/", {"q": "pml(n)"}))] == ["pml-n"]
    assert [p["slug"] for p in results(client.get("/api/v1/parties/", {"election": "ge-2024"}))] == []


def test_candidacy_filters(record):
    client = api_as()
    get = lambda **params: names(client.get("/api/v1/candidacies/", params))  # noqa: E731
    assert len(get()) == 9
    assert get(election="ge-2024") == ["Gul Zaman"]
    assert get(election="ge-2018", assembly="PP") == ["Mian Aslam", "Nasreen Akhtar"]
    assert get(election="ge-2018", constituency="na-131") == ["Arif Mahmood Khan", "Sadia Rafiq"]
    assert get(party="pti", winner="true") == ["Arif Mahmood Khan", "Arif Mahmood Khan", "Sher Alam"]
    assert get(party="Pakistan Muslim League(N)") == ["Mian Aslam", "Sadia Rafiq"]
    assert get(party="PML-N") == get(party="pml-n")
    # Independent: no party and none written (an unmatched party is not independent).
    assert get(independent="true") == ["Gul Zaman", "Gul Zaman"]
    assert "Zubair Ahmed Siddiqui" in get(independent="false")
    assert "Gul Zaman" not in get(independent="false")
    assert get(province="sd") == ["Arif Mahmood Khan", "Zubair Ahmed Siddiqui"]
    assert get(person=record.people.arif.pk, constituency="NA-243") == ["Arif Mahmood Khan"]

    row = next(
        c
        for c in results(client.get("/api/v1/candidacies/", {"constituency": "NA-243"}))
        if c["person"]["name"] == "Zubair Ahmed Siddiqui"
    )
    assert row["party"] is None
    assert (row["party_as_written"], row["party_label"], row["is_independent"]) == (
        "Muttahida Qaumi Movement Pakistan",
        "Muttahida Qaumi Movement Pakistan",
        False,
    )
    assert row["constituency"]["code"] == "NA-243" and row["constituency"]["province"] == "sd"
    assert "address" not in row["person"]


def test_candidacies_export_as_csv(record):
    response = api_as().get(
        "/api/v1/candidacies/", {"format": "csv", "election": "ge-2018", "winner": "true"}
    )
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert sorted((r["constituency.code"], r["person.name"], r["party.abbreviation"]) for r in rows) == [
        ("NA-1", "Sher Alam", "PTI"),
        ("NA-131", "Arif Mahmood Khan", "PTI"),
        ("NA-243", "Arif Mahmood Khan", "PTI"),
        ("PP-147", "Mian Aslam", "PML-N"),
    ]
    assert not any(address in response.content.decode() for address in ADDRESSES.values())


def test_results_name_the_winner(record):
    rows = results(api_as().get("/api/v1/results/", {"election": "ge-2018"}))
    assert len(rows) == 1
    assert rows[0]["constituency"]["code"] == "NA-131"
    assert (rows[0]["registered_voters"], rows[0]["turnout"]) == (424000, "54.25")
    assert rows[0]["winner"] == {
        "person": record.people.arif.pk,
        "name": "Arif Mahmood Khan",
        "party": "pti",
        "votes": 84313,
    }


def test_a_persons_address_is_for_those_who_may_see_personal_data(record, staff):
    sadia, gul = record.people.sadia, record.people.gul

    def person(user, who):
        response = api_as(user).get(f"/api/v1/people/{who.pk}/")
        assert response.status_code == 200
        return response.json()

    # The public and specialists (no personal data) do not get the field at all.
    for user in (None, staff.specialist, staff.partner):
        assert "address" not in person(user, sadia)
        listed = results(api_as(user).get("/api/v1/people/", {"q": "sadia"}))
        assert listed and "address" not in listed[0]
    assert person(staff.office, sadia)["address"] == ADDRESSES["Sadia Rafiq"]
    assert person(staff.office, gul)["address"] == ADDRESSES["Gul Zaman"]
    # The Lahore organiser: for people standing in Lahore, not in Chitral.
    assert person(staff.lahore, sadia)["address"] == ADDRESSES["Sadia Rafiq"]
    assert person(staff.lahore, gul)["address"] is None
    assert [c["constituency"] for c in person(None, record.people.arif)["candidacies"]] == [
        "NA-131",
        "NA-243",
    ]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/candidacies/?person=99999999999999999999",
        "/api/v1/elections/?year=99999999999999999999",
        "/api/v1/pledges/?candidacy=99999999999999999999",
        "/api/v1/media-stories/?month_from=0000-01",
        "/api/v1/media-stories/?month_to=9999-12",
    ],
)
def test_a_query_value_out_of_range_is_refused_saying_so_not_a_server_error(record, url):
    response = api_as().get(url)
    if response.status_code == 200 and "99999" in url:
        # PostgreSQL compares such a number as it is: nothing matches it.
        assert connection.vendor == "postgresql" and response.json()["count"] == 0
        return
    assert response.status_code == 400, response.content
    text = json.dumps(response.json(), ensure_ascii=False)
    assert "out of range" in text or "between 1900-01 and 2999-12" in text


def test_people_filters(record):
    client = api_as()
    get = lambda **params: sorted(p["name"] for p in results(client.get("/api/v1/people/", params)))  # noqa: E731
    assert get(constituency="na-1") == ["Gul Zaman", "Sher Alam"]
    assert get(election="ge-2024") == ["Gul Zaman"]
    assert get(party="PML-N") == ["Mian Aslam", "Sadia Rafiq"]
    assert get(q="عارف") == ["Arif Mahmood Khan"]


def test_lists_read_the_same_queries_as_rows_grow(record):
    def count(path):
        with CaptureQueriesContext(connection) as captured:
            assert api_as().get(path).status_code == 200
        return len(captured)

    paths = [
        "/api/v1/candidacies/",
        "/api/v1/people/",
        "/api/v1/parties/",
        "/api/v1/results/",
        "/api/v1/elections/",
    ]
    before = {path: count(path) for path in paths}
    for number in range(2, 12):
        constituency = seat(f"PP-{number}", f"Extra-{number}", "pb", "pb-lahore")
        party = Party.objects.create(name=f"Party number {number}", abbreviation=f"P{number}")
        PartyAlias(party=party, alias=f"P-{number} alias").save()
        stand(
            record.ge2018,
            constituency,
            Person.objects.create(name=f"Candidate {number}"),
            party,
            is_winner=True,
        )
    assert {path: count(path) for path in paths} == before


# --- writing ------------------------------------------------------------------------------------

NEW_PARTY = {
    "name": "Pakistan Peoples Party Parliamentarians",
    "abbreviation": "PPPP",
    "symbol": "Arrow",
    "colour": "#000000",
    "aliases": ["Pakistan Peoples Party Parliamentarian", "PPP-P", "  PPP   Parliamentarians "],
}


def test_who_may_change_parties(record, staff):
    assert post_json(api_as(), "/api/v1/parties/", NEW_PARTY).status_code == 401
    for user in (staff.partner, staff.lahore):
        response = post_json(api_as(user), "/api/v1/parties/", NEW_PARTY)
        assert response.status_code == 403
        assert "manages elections" in response.json()["detail"]
        assert patch_json(api_as(user), "/api/v1/parties/pti/", {"symbol": "Ball"}).status_code == 403
    assert not Party.objects.filter(abbreviation="PPPP").exists()
    assert Party.objects.get(slug="pti").symbol == "Bat"

    response = post_json(api_as(staff.specialist), "/api/v1/parties/", NEW_PARTY)
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["slug"], data["symbol"], data["candidacies"]) == ("pppp", "Arrow", 0)
    # "PPP-P" is its abbreviation already (the matching ignores case, spaces and hyphens).
    assert sorted(data["aliases"]) == ["PPP Parliamentarians", "Pakistan Peoples Party Parliamentarian"]

    # The aliases are replaced by the list sent; other fields are left as they are.
    response = patch_json(api_as(staff.office), "/api/v1/parties/pppp/", {"aliases": ["PPPP (Bhutto)"]})
    assert response.status_code == 200, response.content
    assert (response.json()["aliases"], response.json()["symbol"]) == (["PPPP (Bhutto)"], "Arrow")
    response = patch_json(
        api_as(staff.office), "/api/v1/parties/pppp/", {"name_ur": "پاکستان پیپلز پارٹی پارلیمنٹیرینز"}
    )
    assert response.json()["aliases"] == ["PPPP (Bhutto)"]


def test_party_changes_that_would_confuse_the_matching_are_refused(record, staff):
    client = api_as(staff.office)
    response = post_json(client, "/api/v1/parties/", {**NEW_PARTY, "aliases": ["PPP-P", "PML (N)"]})
    assert response.status_code == 400
    assert response.json() == {
        "aliases": [
            "“PML (N)” already stands for Pakistan Muslim League (N) (its name, abbreviation or an "
            "alias): candidate lists could not tell the two apart."
        ]
    }
    response = post_json(client, "/api/v1/parties/", {**NEW_PARTY, "name": "pakistan tehreek-e-insaf"})
    assert response.json()["name"] == ["A party with this name already exists."]
    response = post_json(client, "/api/v1/parties/", {**NEW_PARTY, "abbreviation": "pti", "colour": "black"})
    assert set(response.json()) == {"abbreviation", "colour"}
    assert "Pakistan Tehreek-e-Insaf" in response.json()["abbreviation"][0]
    assert response.json()["colour"] == ["Give the colour as # and six hexadecimal digits, e.g. #1b5e20."]
    response = patch_json(
        client, "/api/v1/parties/pml-n/", {"aliases": ["PML(N)", "Pakistan Tehreek-i-Insaf"]}
    )
    assert response.status_code == 400
    # Nothing half-written: no new party, PML-N keeps its aliases.
    assert not Party.objects.filter(abbreviation="PPPP").exists()
    assert sorted(PartyAlias.objects.filter(party=record.pmln).values_list("alias", flat=True)) == [
        "PML(N)",
        "Pakistan Muslim League(N)",
    ]
    # A party's own spellings are its to keep.
    response = patch_json(
        client, "/api/v1/parties/pml-n/", {"aliases": ["PML(N)", "Pakistan Muslim League Nawaz"]}
    )
    assert response.status_code == 200, response.content
    assert sorted(response.json()["aliases"]) == ["PML(N)", "Pakistan Muslim League Nawaz"]


def test_elections_and_people_are_changed_by_election_managers(record, staff):
    new = {
        "slug": "by-2019-na-35",
        "name": "By-election NA-35 Bannu",
        "kind": "by",
        "polling_date": "2019-10-14",
    }
    assert (
        post_json(api_as(staff.partner), "/api/v1/elections/", {**new, "delimitation_year": 2018}).status_code
        == 403
    )
    response = post_json(api_as(staff.specialist), "/api/v1/elections/", {**new, "delimitation_year": 2002})
    assert response.status_code == 400
    assert response.json()["delimitation_year"] == [
        "No seats of the 2002 delimitation are loaded (loaded: 2018, 2023). Import the constituencies first."
    ]
    response = post_json(
        api_as(staff.specialist), "/api/v1/elections/", {**new, "slug": "GE-2018", "delimitation_year": 2018}
    )
    assert response.json()["slug"] == ["An election with the slug “GE-2018” already exists."]
    response = post_json(api_as(staff.specialist), "/api/v1/elections/", {**new, "delimitation_year": 2018})
    assert response.status_code == 201, response.content
    assert Election.objects.get(slug="by-2019-na-35").kind == "by"

    url = f"/api/v1/people/{record.people.gul.pk}/"
    assert patch_json(api_as(), url, {"name_ur": "گل زمان"}).status_code == 401
    assert patch_json(api_as(staff.partner), url, {"name_ur": "گل زمان"}).status_code == 403
    # A specialist corrects names, but may not touch an address they may not read.
    response = patch_json(api_as(staff.specialist), url, {"name_ur": "گل زمان", "address": "Somewhere else"})
    assert response.status_code == 403
    assert response.json()["detail"] == "Only roles that may see personal data can change an address."
    response = patch_json(api_as(staff.specialist), url, {"name_ur": "گل زمان"})
    assert response.status_code == 200 and "address" not in response.json()
    response = patch_json(api_as(staff.office), url, {"address": "Village Drosh, Lower Chitral"})
    assert response.json()["address"] == "Village Drosh, Lower Chitral"
    gul = Person.objects.get(pk=record.people.gul.pk)
    assert (gul.name_ur, gul.address) == ("گل زمان", "Village Drosh, Lower Chitral")
    # Candidacies are read-only here (the importers write them).
    assert post_json(api_as(staff.office), "/api/v1/candidacies/", {}).status_code == 405
    assert Candidacy.objects.count() == 9


def test_the_schema_documents_the_election_endpoints(client, db):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate_schema(schema)
    for path in [
        "/api/v1/elections/",
        "/api/v1/elections/{slug}/",
        "/api/v1/parties/",
        "/api/v1/parties/{slug}/",
        "/api/v1/people/",
        "/api/v1/people/{id}/",
        "/api/v1/candidacies/",
        "/api/v1/results/",
        "/api/v1/popolo/",
        "/api/v1/popolo/persons/",
        "/api/v1/popolo/organizations/",
        "/api/v1/popolo/posts/",
        "/api/v1/popolo/memberships/",
        "/api/v1/popolo/areas/",
    ]:
        assert path in schema["paths"], path
    parameters = {p["name"] for p in schema["paths"]["/api/v1/candidacies/"]["get"]["parameters"]}
    assert {"election", "assembly", "constituency", "party", "independent", "winner", "format"} <= parameters
    assert "address" not in schema["components"]["schemas"]["CandidatePerson"]["properties"]
    assert "streamed" in schema["paths"]["/api/v1/popolo/"]["get"]["description"]
