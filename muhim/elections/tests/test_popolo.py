"""/api/v1/popolo/: the election record as Popolo JSON. Its ids and links hold together, it
leaves personal data and outlines out, it reads the same few queries however many rows there
are, and every object validates against the Popolo JSON Schemas (with ../shared/data)."""

import datetime
import json
from types import SimpleNamespace
from urllib.parse import urlsplit

import jsonschema
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from referencing import Registry
from referencing.jsonschema import DRAFT3
from rest_framework.test import APIClient

from muhim.elections.models import Candidacy, ConstituencyResult, Election, Party, PartyAlias, Person
from muhim.geography.models import Area, Constituency, ConstituencyArea

pytestmark = pytest.mark.django_db

SCHEMAS = "http://www.popoloproject.com/schemas/"
COLLECTION_SCHEMAS = {
    "persons": "person",
    "organizations": "organization",
    "posts": "post",
    "memberships": "membership",
    "areas": "area",
}
# Invented people standing for the 2018 delimitation's real seats.
ADDRESSES = {
    "Sadia Rafiq": "House 12, Street 4, Garden Town, Lahore",
    "Gul Zaman": "Village Shoghore, Lower Chitral",
}


def seat(code, name, province, *districts, year=2018):
    assembly, number = code.split("-")
    constituency = Constituency.objects.create(
        code=code,
        assembly=assembly,
        number=int(number),
        name=name,
        delimitation_year=year,
        province=Area.objects.get(code=province),
    )
    for district in districts:
        ConstituencyArea.objects.create(constituency=constituency, area=Area.objects.get(code=district))
    return constituency


def stand(election, constituency, person, party=None, **fields):
    return Candidacy.objects.create(
        election=election, constituency=constituency, person=person, party=party, **fields
    )


def build_record():
    """Two elections; seats of the National Assembly in three provinces (NA-1 spans two
    districts) and one of the Punjab assembly; PTI and PML-N with their aliases; a candidate
    standing in two seats and winning both, an independent, a party name matched to no party,
    a withdrawal; one result."""
    ge2018 = Election.objects.create(
        name="General election 2018",
        name_ur="عام انتخابات ۲۰۱۸",
        slug="ge-2018",
        polling_date=datetime.date(2018, 7, 25),
        delimitation_year=2018,
    )
    ge2024 = Election.objects.create(
        name="General election 2024",
        slug="ge-2024",
        polling_date=datetime.date(2024, 2, 8),
        delimitation_year=2023,
    )
    seats = SimpleNamespace(
        na1=seat("NA-1", "Chitral", "kp", "kp-upper-chitral", "kp-lower-chitral"),
        na131=seat("NA-131", "Lahore-IX", "pb", "pb-lahore"),
        na243=seat("NA-243", "Karachi East-II", "sd", "sd-karachi-east"),
        pp147=seat("PP-147", "Lahore-IV", "pb", "pb-lahore"),
        na1_2023=seat("NA-1", "Chitral Upper-cum-Chitral Lower", "kp", "kp-upper-chitral", year=2023),
    )
    pti = Party.objects.create(
        name="Pakistan Tehreek-e-Insaf",
        name_ur="پاکستان تحریک انصاف",
        abbreviation="PTI",
        symbol="Bat",
        website="https://www.insaf.pk",
        colour="#1b5e20",
    )
    pmln = Party.objects.create(name="Pakistan Muslim League (N)", abbreviation="PML-N", symbol="Tiger")
    for party, alias in [
        (pti, "Pakistan Tehreek-i-Insaf"),
        (pmln, "PML(N)"),
        (pmln, "Pakistan Muslim League(N)"),
    ]:
        PartyAlias(party=party, alias=alias).save()
    people = SimpleNamespace(
        arif=Person.objects.create(name="Arif Mahmood Khan", name_ur="عارف محمود خان", gender="male"),
        sadia=Person.objects.create(name="Sadia Rafiq", gender="female", address=ADDRESSES["Sadia Rafiq"]),
        gul=Person.objects.create(name="Gul Zaman", gender="male", address=ADDRESSES["Gul Zaman"]),
        sher=Person.objects.create(name="Sher Alam"),
        zubair=Person.objects.create(name="Zubair Ahmed Siddiqui"),
        aslam=Person.objects.create(name="Mian Aslam"),
        nasreen=Person.objects.create(name="Nasreen Akhtar", gender="female"),
    )
    stand(ge2018, seats.na131, people.arif, pti, votes=84313, is_winner=True, symbol="Bat")
    stand(ge2018, seats.na243, people.arif, pti, votes=91358, is_winner=True, symbol="Bat")
    stand(ge2018, seats.na131, people.sadia, pmln, votes=83633, symbol="Tiger")
    stand(ge2018, seats.na1, people.gul, votes=12050, symbol="Chitrali Cap")
    stand(ge2018, seats.na1, people.sher, pti, votes=48616, is_winner=True)
    stand(
        ge2018, seats.na243, people.zubair, party_as_written="Muttahida Qaumi Movement Pakistan", votes=24082
    )
    stand(ge2018, seats.pp147, people.aslam, pmln, votes=45120, is_winner=True)
    stand(ge2018, seats.pp147, people.nasreen, pti, withdrew=True)
    stand(ge2024, seats.na1_2023, people.gul, votes=9870)
    ConstituencyResult.objects.create(
        election=ge2018,
        constituency=seats.na131,
        registered_voters=424000,
        votes_polled=230000,
        valid_votes=226500,
        rejected_votes=3500,
        turnout="54.25",
    )
    return SimpleNamespace(ge2018=ge2018, ge2024=ge2024, seats=seats, pti=pti, pmln=pmln, people=people)


@pytest.fixture
def record(gazetteer):
    return build_record()


def fetch(path, **params):
    response = APIClient().get(path, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    return json.loads(b"".join(response.streaming_content))


def by_id(objects):
    return {obj["id"]: obj for obj in objects}


# --- structure and ids (no shared data needed) --------------------------------------------------


def test_the_document_holds_every_collection_and_its_ids_resolve(record):
    document = fetch("/api/v1/popolo/")
    assert set(document) == {"persons", "organizations", "posts", "memberships", "areas"}
    ids = {name: set(by_id(objects)) for name, objects in document.items()}
    for name, objects in document.items():
        assert len(ids[name]) == len(objects), f"{name} repeats an id"

    for membership in document["memberships"]:
        assert membership["person_id"] in ids["persons"]
        assert membership["organization_id"] in ids["organizations"]
        assert membership["post_id"] in ids["posts"]
        assert membership["area_id"] in ids["areas"]
        assert membership.get("on_behalf_of_id", "party/pti") in ids["organizations"]
    for post in document["posts"]:
        assert post["organization_id"] in ids["organizations"]
        assert post["area_id"] in ids["areas"]
    for area in document["areas"]:
        assert area.get("parent_id", "area/pb") in ids["areas"]
    for organization in document["organizations"]:
        assert organization.get("area_id", "area/pb") in ids["areas"]


def test_persons_parties_and_assemblies(record):
    document = fetch("/api/v1/popolo/")
    people = record.people
    persons = by_id(document["persons"])
    # Arif Mahmood Khan stood in two seats: one person.
    assert set(persons) == {f"person/{p.pk}" for p in vars(people).values()}
    assert persons[f"person/{people.arif.pk}"] == {
        "id": f"person/{people.arif.pk}",
        "name": "Arif Mahmood Khan",
        "other_names": [{"name": "عارف محمود خان", "note": "Urdu"}],
        "identifiers": [{"identifier": str(people.arif.pk), "scheme": "muhim-person"}],
        "gender": "male",
        "updated_at": persons[f"person/{people.arif.pk}"]["updated_at"],
    }

    organizations = by_id(document["organizations"])
    assert [o["id"] for o in document["organizations"][:5]] == [
        "assembly/na",
        "assembly/pp",
        "assembly/ps",
        "assembly/pk",
        "assembly/pb",
    ]
    assert organizations["assembly/na"]["name"] == "National Assembly"
    assert organizations["assembly/na"]["classification"] == "legislature"
    assert "area_id" not in organizations["assembly/na"]
    assert organizations["assembly/pp"]["area_id"] == "area/pb"
    pti = organizations["party/pti"]
    assert (pti["name"], pti["classification"]) == ("Pakistan Tehreek-e-Insaf", "party")
    assert {(n["name"], n["note"]) for n in pti["other_names"]} == {
        ("PTI", "Abbreviation"),
        ("پاکستان تحریک انصاف", "Urdu"),
        ("Pakistan Tehreek-i-Insaf", "Also written"),
    }
    assert pti["links"] == [
        {"url": "https://www.insaf.pk", "note": "Website"},
        {
            "url": "http://testserver" + reverse("accountability:party-scorecard", args=["pti"]),
            "note": "Scorecard",
        },
    ]
    assert {n["name"] for n in organizations["party/pml-n"]["other_names"]} == {
        "PML-N",
        "PML(N)",
        "Pakistan Muslim League(N)",
    }
    # "Independent" and a party name matched to nothing are not organizations.
    assert {o["classification"] for o in document["organizations"]} == {"legislature", "party"}
    assert len(document["organizations"]) == 7


def test_posts_are_the_seats_of_their_assembly(record):
    posts = by_id(fetch("/api/v1/popolo/posts/"))
    assert set(posts) == {
        "post/NA-1-2018",
        "post/NA-131-2018",
        "post/NA-243-2018",
        "post/PP-147-2018",
        "post/NA-1-2023",
    }
    assert posts["post/NA-131-2018"] == {
        "id": "post/NA-131-2018",
        "label": "Member of the National Assembly for NA-131 Lahore-IX",
        "other_label": ["NA-131"],
        "role": "Member of the National Assembly",
        "organization_id": "assembly/na",
        "area_id": "area/NA-131-2018",
    }
    assert posts["post/PP-147-2018"]["role"] == "Member of the Provincial Assembly of the Punjab"
    assert posts["post/PP-147-2018"]["organization_id"] == "assembly/pp"


def test_memberships_are_candidacies_and_seats_won(record):
    people = record.people
    memberships = by_id(fetch("/api/v1/popolo/memberships/"))
    arif = f"person/{people.arif.pk}"
    assert {m["id"] for m in memberships.values() if m["person_id"] == arif} == {
        f"candidacy/ge-2018/NA-131/{people.arif.pk}",
        f"candidacy/ge-2018/NA-243/{people.arif.pk}",
        f"member/ge-2018/NA-131/{people.arif.pk}",
        f"member/ge-2018/NA-243/{people.arif.pk}",
    }
    candidacy = memberships[f"candidacy/ge-2018/NA-131/{people.arif.pk}"]
    assert candidacy["role"] == "Candidate"
    assert candidacy["label"] == "Candidate for NA-131 Lahore-IX, General election 2018"
    assert (candidacy["organization_id"], candidacy["post_id"], candidacy["on_behalf_of_id"]) == (
        "assembly/na",
        "post/NA-131-2018",
        "party/pti",
    )
    assert (candidacy["start_date"], candidacy["end_date"]) == ("2018-07-25", "2018-07-25")
    seat_won = memberships[f"member/ge-2018/NA-131/{people.arif.pk}"]
    assert seat_won["role"] == "Member"
    assert (
        seat_won["label"]
        == "Member of the National Assembly for NA-131 Lahore-IX, elected in General election 2018"
    )
    # Until the next general election on record.
    assert (seat_won["start_date"], seat_won["end_date"]) == ("2018-07-25", "2024-02-08")

    # An independent, and a party the import could not match, stand on behalf of no one.
    assert "on_behalf_of_id" not in memberships[f"candidacy/ge-2018/NA-1/{people.gul.pk}"]
    assert "on_behalf_of_id" not in memberships[f"candidacy/ge-2018/NA-243/{people.zubair.pk}"]
    assert memberships[f"candidacy/ge-2018/PP-147/{people.nasreen.pk}"]["label"].endswith("(withdrew)")
    # Only winners hold a seat.
    assert not any(
        m["id"].startswith("member/")
        for m in memberships.values()
        if m["person_id"] == f"person/{people.sadia.pk}"
    )
    assert len(memberships) == 9 + 4


def test_areas_are_constituencies_in_their_districts(record):
    areas = by_id(fetch("/api/v1/popolo/areas/"))
    assert areas["area/NA-131-2018"] == {
        "id": "area/NA-131-2018",
        "name": "NA-131 Lahore-IX",
        "identifier": "NA-131",
        "classification": "constituency",
        "parent_id": "area/pb-lahore",
    }
    # NA-1 spans both Chitral districts: its parent is the division holding them.
    assert areas["area/NA-1-2018"]["parent_id"] == "area/kp-malakand-division"
    assert areas["area/NA-1-2023"]["parent_id"] == "area/kp-upper-chitral"
    assert areas["area/pb-lahore"] == {
        "id": "area/pb-lahore",
        "name": "Lahore",
        "identifier": "pb-lahore",
        "classification": "district",
        "parent_id": "area/pb-lahore-division",
    }
    assert areas["area/pb"]["classification"] == "province"
    assert "parent_id" not in areas["area/pb"]
    # Balochistan has no seat here, but its assembly is exported and needs its area.
    assert "area/ba" in areas
    districts = {a for a, obj in areas.items() if obj["classification"] == "district"}
    assert districts == {
        "area/pb-lahore",
        "area/sd-karachi-east",
        "area/kp-upper-chitral",
        "area/kp-lower-chitral",
    }


def test_no_personal_data_and_no_outlines(record):
    Area.objects.filter(code="pb-lahore").update(
        boundary={"type": "Polygon", "coordinates": [[[74.1, 31.4]]]}
    )
    raw = b"".join(APIClient().get("/api/v1/popolo/").streaming_content).decode()
    for address in ADDRESSES.values():
        assert address not in raw
    assert "address" not in raw
    assert "geometry" not in raw and "coordinates" not in raw


def test_the_election_filter(record):
    document = fetch("/api/v1/popolo/", election="ge-2024")
    gul = record.people.gul
    assert [p["id"] for p in document["persons"]] == [f"person/{gul.pk}"]
    assert [m["id"] for m in document["memberships"]] == [f"candidacy/ge-2024/NA-1/{gul.pk}"]
    assert [p["id"] for p in document["posts"]] == ["post/NA-1-2023"]
    # No party fielded a candidate: only the assemblies.
    assert {o["classification"] for o in document["organizations"]} == {"legislature"}
    assert len(fetch("/api/v1/popolo/persons/", election="ge-2018")) == 7

    response = APIClient().get("/api/v1/popolo/", {"election": "ge-2031"})
    assert response.status_code == 400
    assert response.json() == {
        "election": ["No election has the slug “ge-2031”. Known elections: ge-2024, ge-2018."]
    }


def test_the_export_reads_the_same_few_queries_however_many_rows(record):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            document = fetch("/api/v1/popolo/", election="ge-2018")
        return len(captured), document

    before, small = queries()
    pti = record.pti
    for number in range(2, 40):
        constituency = seat(f"NA-{number + 200}", f"Extra-{number}", "pb", "pb-lahore", "pb-kasur")
        party = Party.objects.create(name=f"Party number {number}", abbreviation=f"P{number}")
        PartyAlias(party=party, alias=f"P-{number} alias").save()
        for n in range(3):
            person = Person.objects.create(name=f"Candidate {number}-{n}", name_ur="امیدوار")
            stand(record.ge2018, constituency, person, party if n else pti, is_winner=n == 0)
    after, large = queries()
    assert len(large["memberships"]) > len(small["memberships"]) + 100
    assert after == before
    assert before <= 12


# --- the Popolo JSON Schemas (../shared/data/popolo/schemas) ------------------------------------


def _format_checker():
    """The formats the schemas use, checked strictly (jsonschema checks "uri" and "date-time"
    only with optional packages installed)."""
    checker = jsonschema.FormatChecker(formats=())

    @checker.checks("uri", raises=ValueError)
    def is_uri(value):
        parts = urlsplit(value)
        return bool(parts.scheme in ("http", "https") and parts.netloc) and " " not in value

    @checker.checks("date-time", raises=ValueError)
    def is_date_time(value):
        moment = datetime.datetime.fromisoformat(value)
        return "T" in value and moment.tzinfo is not None

    @checker.checks("email")
    def is_email(value):
        return "@" in value

    return checker


@pytest.fixture
def validators(shared_data):
    folder = shared_data / "popolo" / "schemas"
    schemas = {path.stem: json.loads(path.read_text()) for path in folder.glob("*.json")}
    registry = Registry().with_resources(
        (f"{SCHEMAS}{name}.json", DRAFT3.create_resource(schema)) for name, schema in schemas.items()
    )
    checker = _format_checker()
    return {
        name: jsonschema.Draft3Validator(schemas[schema], registry=registry, format_checker=checker)
        for name, schema in COLLECTION_SCHEMAS.items()
    }


def test_the_validators_catch_what_is_wrong(validators):
    """The checks below would catch a bad object: a wrong date, a relative link, a bad type."""
    assert not validators["memberships"].is_valid({"id": "candidacy/1", "start_date": "25/07/2018"})
    assert not validators["organizations"].is_valid({"id": "party/pti", "links": [{"url": "/party/pti/"}]})
    assert not validators["organizations"].is_valid({"id": "party/pti", "links": [{"note": "no url"}]})
    assert not validators["persons"].is_valid({"id": "person/1", "updated_at": "2018-07-25 10:00"})
    assert not validators["areas"].is_valid({"id": "area/pb", "parent_id": 7})
    assert validators["memberships"].is_valid({"id": "candidacy/1", "start_date": "2018-07-25"})


def test_every_exported_object_validates_against_the_popolo_schemas(record, validators):
    document = fetch("/api/v1/popolo/")
    assert all(document.values())
    for name, objects in document.items():
        for obj in objects:
            errors = [error.message for error in validators[name].iter_errors(obj)]
            assert not errors, (name, obj["id"], errors)


def test_the_2018_national_assembly_seats_validate(gazetteer, shared_data, validators):
    """Every seat of the 2018 National Assembly, imported from the Election Commission's list, as
    posts and areas."""
    from muhim.core.imports.runner import create_run, execute

    data = (shared_data / "elections-2018" / "na-seats-2018.csv").read_bytes()
    run = create_run(
        importer_slug="constituencies", data=data, filename="na-seats-2018.csv", source="command"
    )
    execute(run, commit=True)
    election = Election.objects.create(
        name="General election 2018",
        slug="ge-2018",
        polling_date=datetime.date(2018, 7, 25),
        delimitation_year=2018,
    )
    person = Person.objects.create(name="A candidate")
    for constituency in Constituency.objects.filter(delimitation_year=2018, assembly="NA"):
        stand(election, constituency, person)
    document = fetch("/api/v1/popolo/")
    assert len(document["posts"]) == 272
    areas = by_id(document["areas"])
    for name in ("posts", "areas", "organizations"):
        for obj in document[name]:
            assert validators[name].is_valid(obj), (name, obj)
    assert all(
        area.get("parent_id") in areas for area in areas.values() if area["classification"] != "province"
    )
