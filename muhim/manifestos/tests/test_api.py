"""/api/v1/manifestos/: the public reads published manifestos with their figures, roles that
manage manifestos read all, upload (multipart, analysed at once in tests) and review sentences
by PATCH; others are refused."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from muhim.manifestos import services
from muhim.manifestos.models import Manifesto

from .test_services import CODED, TEXT, make_election, make_party, upload

pytestmark = pytest.mark.django_db
URL = "/api/v1/manifestos/"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def specialist(make_user):
    return make_user("specialist")


def as_user(api, user):
    api.force_authenticate(user)
    return api


def test_the_public_reads_published_manifestos_only_with_their_figures(api):
    party = make_party()
    published = upload(CODED, "coded.csv", party=party, title="Published")
    upload(TEXT, party=party, title="Draft")
    services.publish(user=None, manifesto=published, published=True)
    data = api.get(URL).json()
    assert [m["title"] for m in data["results"]] == ["Published"]
    row = data["results"][0]
    assert (row["quasi_sentences"], row["education_sentences"], row["education_share"]) == (10, 3, "30.000")
    assert row["party"]["abbreviation"] == "PPP-D" and row["status"] == "ready"
    assert "uploaded_by" not in row
    draft = Manifesto.objects.get(title="Draft")
    assert api.get(f"{URL}{draft.pk}/").status_code == 404
    assert api.get(f"{URL}{draft.pk}/sentences/").status_code == 404


def test_staff_who_manage_manifestos_read_all_of_them(api, specialist, make_user):
    upload(TEXT, party=make_party())
    assert as_user(api, specialist).get(URL).json()["count"] == 1
    assert as_user(APIClient(), make_user("partner")).get(URL).json()["count"] == 0


def test_publishing_makes_a_manifesto_visible_to_the_public_api(api, specialist, client):
    manifesto = upload(TEXT, party=make_party())
    assert api.get(URL).json()["count"] == 0
    client.force_login(specialist)
    client.post(f"/manifestos/{manifesto.pk}/publish/", {"publish": "1"})
    results = api.get(URL).json()["results"]
    assert [m["id"] for m in results] == [manifesto.pk]
    assert results[0]["funding_commitments"][0]["meets_target"] is True


def test_an_upload_by_the_api_is_analysed(api, specialist):
    party, election = make_party(), make_election()
    response = as_user(api, specialist).post(
        URL,
        {
            "party": party.slug,
            "election": election.slug,
            "title": "Manifesto 2018",
            "language": "en",
            "file": SimpleUploadedFile("coded.csv", CODED.encode()),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["status"], data["source"], data["education_share"]) == ("ready", "coded", "30.000")
    assert data["election"]["slug"] == "ge-2018"

    again = api.post(
        URL,
        {
            "party": party.pk,
            "election": election.pk,
            "title": "Again",
            "file": SimpleUploadedFile("c.csv", CODED.encode()),
        },
        format="multipart",
    )
    assert again.status_code == 400
    assert again.json()["existing_id"] == data["id"] and "already uploaded" in again.json()["file"][0]
    assert Manifesto.objects.count() == 1


def test_a_bad_upload_says_what_to_fix(api, specialist):
    response = as_user(api, specialist).post(
        URL, {"party": "nobody", "title": "x", "file": SimpleUploadedFile("e.txt", b"")}, format="multipart"
    )
    assert response.status_code == 400
    errors = response.json()
    assert "nobody" in errors["party"][0]
    party = make_party()
    empty = api.post(
        URL, {"party": party.pk, "title": "x", "file": SimpleUploadedFile("e.txt", b" ")}, format="multipart"
    )
    assert empty.status_code == 400 and "empty" in empty.json()["file"][0]


def test_uploading_and_reviewing_need_manage_manifestos(api, make_user):
    manifesto = upload(CODED, "coded.csv", party=make_party())
    services.publish(user=None, manifesto=manifesto, published=True)
    sentence = manifesto.sentences.get(text="Hospitals will get new wards.")
    url = f"{URL}{manifesto.pk}/sentences/{sentence.pk}/"
    assert api.patch(url, {"reviewed_education": True}, format="json").status_code in (401, 403)
    assert api.post(URL, {}, format="multipart").status_code in (401, 403)
    partner = as_user(APIClient(), make_user("partner"))
    assert partner.patch(url, {"reviewed_education": True}, format="json").status_code == 403
    assert partner.post(URL, {}, format="multipart").status_code == 403
    manifesto.refresh_from_db()
    assert manifesto.reviewed_sentences == 0


def test_sentences_are_listed_filtered_and_reviewed_by_patch(api, specialist):
    manifesto = upload(CODED, "coded.csv", party=make_party())
    as_user(api, specialist)
    base = f"{URL}{manifesto.pk}/sentences/"
    everything = api.get(base).json()
    assert everything["count"] == 12 and everything["results"][0]["is_heading"] is True
    assert api.get(base, {"education": "true"}).json()["count"] == 3

    hospitals = manifesto.sentences.get(text="Hospitals will get new wards.")
    response = api.patch(
        f"{base}{hospitals.pk}/",
        {"reviewed_education": True, "reviewed_topic": "infrastructure"},
        format="json",
    )
    assert response.status_code == 200
    assert (
        response.json()["education"],
        response.json()["topic"],
        response.json()["predicted_education"],
    ) == (
        True,
        "infrastructure",
        False,
    )
    manifesto.refresh_from_db()
    assert manifesto.education_share == Decimal("40.000")
    assert api.get(f"{URL}{manifesto.pk}/").json()["education_share"] == "40.000"
    assert [s["text"] for s in api.get(base, {"reviewed": "true"}).json()["results"]] == [
        "Hospitals will get new wards."
    ]
    assert api.get(base, {"education": "true", "reviewed": "false"}).json()["count"] == 3

    bad = api.patch(
        f"{base}{hospitals.pk}/", {"reviewed_education": False, "reviewed_topic": "teachers"}, format="json"
    )
    assert bad.status_code == 400 and "no education topic" in bad.json()["reviewed_topic"][0]
    heading = manifesto.sentences.filter(is_heading=True).first()
    refused = api.patch(f"{base}{heading.pk}/", {"reviewed_education": True}, format="json")
    assert refused.status_code == 400 and "heading" in str(refused.json())

    back = api.patch(f"{base}{hospitals.pk}/", {"reviewed_education": None}, format="json")
    assert back.json()["reviewed_education"] is None
    manifesto.refresh_from_db()
    assert manifesto.education_share == Decimal("30.000")

    # A topic alone on a sentence nobody reviewed: education, of that topic.
    teachers = manifesto.sentences.get(text="We will hire fifty thousand teachers.")
    topic = api.patch(f"{base}{teachers.pk}/", {"reviewed_topic": "girls"}, format="json")
    assert topic.status_code == 200
    assert (topic.json()["reviewed_education"], topic.json()["topic"]) == (True, "girls")
