"""/api/v1/pledges/: the public reads published pledges only (without who recorded them or the
private files), staff what they may; writes and ratings go through the pledge services with
the form's rules (organisers in their regions: 403 with the reason)."""

import json
from datetime import date

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from muhim.accountability import pledge_services as services
from muhim.accountability.models import Pledge, Rating

from .test_pledges import fake_image, make_staff, make_world, png_file, record

pytestmark = pytest.mark.django_db
URL = "/api/v1/pledges/"


@pytest.fixture
def world(gazetteer):
    return make_world()


@pytest.fixture
def staff(gazetteer, make_user):
    return make_staff(make_user)


def api_as(user=None):
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def post_json(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def new_pledge(world, **fields):
    data = {
        "election": "ge-2018",
        "candidacy": world.ali.pk,
        "made_on": "2018-07-05",
        "source_type": "speech",
        "text": "A girls' degree college for Lahore-III.",
        "topic": "girls",
    }
    data.update(fields)
    return data


def test_the_public_reads_published_pledges_only_without_who_recorded_them(world, staff):
    record(staff.office, world, text="Draft.")
    published = record(staff.office, world, is_published=True, source_document=png_file())
    services.rate_pledge(staff.office, published, Rating.IN_THE_WORKS, date(2019, 2, 1), "Begun.")
    services.rate_pledge(staff.office, published, Rating.KEPT, date(2020, 2, 1), "Done.")
    response = api_as().get(URL)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [published.pk]
    row = rows[0]
    assert "recorded_by" not in row and "source_document" not in row
    assert row["rating"] == "kept"
    assert [r["rating"] for r in row["ratings"]] == ["kept", "in_the_works"]
    assert row["party"] == "pti" and row["constituency"] == "NA-125"
    draft = Pledge.objects.get(text="Draft.")
    assert api_as().get(f"{URL}{draft.pk}/").status_code == 404
    # Staff with personal data see who recorded it and the private file's download.
    row = api_as(staff.office).get(f"{URL}{published.pk}/").json()
    assert row["recorded_by"] == "office"
    assert row["source_document"].endswith(f"/pledges/{published.pk}/source/")
    assert api_as(staff.office).get(URL).json()["count"] == 2


def test_recording_through_the_api_with_the_forms_rules(world, staff):
    client = api_as(staff.specialist)
    response = post_json(client, URL, new_pledge(world))
    assert response.status_code == 201, response.content
    assert response.json()["party"] == "pti"
    assert Pledge.objects.get().recorded_by == staff.specialist

    response = post_json(client, URL, new_pledge(world, made_on="2999-01-01"))
    assert response.status_code == 400
    assert "cannot be in the future" in " ".join(response.json()["made_on"])
    response = post_json(client, URL, new_pledge(world, candidacy=None))
    assert "candidate or a party" in " ".join(response.json()["candidacy"])
    response = post_json(client, URL, new_pledge(world, party="pml-n"))
    assert "stood for PTI in NA-125" in " ".join(response.json()["party"])
    response = client.post(URL, {**new_pledge(world), "source_document": fake_image()}, format="multipart")
    assert response.status_code == 400
    assert "PDF or a photo" in " ".join(response.json()["source_document"])
    assert Pledge.objects.count() == 1


def test_a_four_percent_left_out_of_a_new_pledge_is_read_from_its_words(world, staff):
    client = api_as(staff.office)
    words = "We will raise education spending to 4 per cent of GDP."
    response = post_json(client, URL, new_pledge(world, text=words))
    assert response.status_code == 201, response.content
    assert response.json()["commits_four_percent"] is True
    response = post_json(
        client, URL, new_pledge(world, text=words, commits_four_percent=False, made_on="2018-07-02")
    )
    assert response.json()["commits_four_percent"] is False


def test_an_organiser_in_lahore_gets_403_for_a_karachi_seat(world, staff):
    client = api_as(staff.lahore)
    response = post_json(client, URL, new_pledge(world, candidacy=world.sana.pk))
    assert response.status_code == 403
    assert "NA-246 Karachi South-I is in Karachi South, outside your regions" in response.json()["detail"]
    response = post_json(client, URL, new_pledge(world, candidacy=None, party="pti"))
    assert response.status_code == 403 and "national pledge" in response.json()["detail"]
    karachi = record(staff.karachi, world, candidacy=world.sana)
    response = client.patch(f"{URL}{karachi.pk}/", {"text": "Changed."}, format="json")
    assert response.status_code == 403
    assert post_json(client, URL, new_pledge(world)).status_code == 201


def test_editing_and_rating_through_the_api(world, staff):
    pledge = record(staff.lahore, world)
    client = api_as(staff.lahore)
    response = client.patch(
        f"{URL}{pledge.pk}/", {"is_published": True, "candidacy": world.bilal.pk}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["party"] == "pml-n"  # the new candidate's party
    response = post_json(client, f"{URL}{pledge.pk}/rate/", {"rating": "stalled", "rated_on": "2019-05-01"})
    assert response.status_code == 201
    response = post_json(
        client,
        f"{URL}{pledge.pk}/rate/",
        {"rating": "kept", "rated_on": "2020-05-01", "evidence_url": "https://example.org/x"},
    )
    assert [r["rating"] for r in response.json()["ratings"]] == ["kept", "stalled"]
    assert response.json()["rating"] == "kept"
    response = post_json(client, f"{URL}{pledge.pk}/rate/", {"rating": "kept", "rated_on": "2017-01-01"})
    assert response.status_code == 400 and "rated before" in " ".join(response.json()["rated_on"])


def test_roles_that_may_not_write(world, staff):
    pledge = record(staff.office, world)
    for user in (None, staff.partner):
        client = api_as(user)
        assert post_json(client, URL, new_pledge(world)).status_code in (401, 403)
        assert post_json(client, f"{URL}{pledge.pk}/rate/", {"rating": "kept"}).status_code in (401, 403, 404)
    # A partner reads published pledges only, without the private files.
    assert api_as(staff.partner).get(f"{URL}{pledge.pk}/").status_code in (403, 404)
    Pledge.objects.filter(pk=pledge.pk).update(is_published=True)
    read = api_as(staff.partner).get(f"{URL}{pledge.pk}/")
    assert read.status_code == 200 and "source_document" not in read.json()
    assert Pledge.objects.count() == 1 and not pledge.ratings.exists()
