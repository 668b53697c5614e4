"""/api/v1/volunteers/: the same people, rules and regions as the pages."""

import csv
import io

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from muhim.core.models import AuditEvent
from muhim.people.models import Interaction, Volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(network, volunteer_in):
    return {
        "kasur": volunteer_in("pb-kasur", name="Sana Kasur", phone="+923001234567", level="active"),
        "lahore": volunteer_in("pb-lahore", name="Ali Lahore", phone="+923211111111"),
        "karachi": volunteer_in("sd-karachi-south", name="Zara Karachi", phone="+923332222222"),
    }


def api_as(user):
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def names(response):
    return {v["name"] for v in response.json()["results"]}


def test_an_organiser_lists_only_their_regions_volunteers(network, people):
    response = api_as(network.lahore).get("/api/v1/volunteers/")
    assert response.status_code == 200
    assert names(response) == {"Sana Kasur", "Ali Lahore"}
    first = next(v for v in response.json()["results"] if v["name"] == "Sana Kasur")
    assert first["phone"] == "+923001234567"
    assert first["phone_national"] == "0300 1234567"
    assert first["district"]["code"] == "pb-kasur"
    assert first["consent_version"] == "2026-11"
    assert names(api_as(network.karachi).get("/api/v1/volunteers/")) == {"Zara Karachi"}
    assert names(api_as(network.office).get("/api/v1/volunteers/")) == {
        "Sana Kasur",
        "Ali Lahore",
        "Zara Karachi",
    }


def test_another_regions_volunteer_is_refused(network, people):
    client = api_as(network.lahore)
    assert client.get(f"/api/v1/volunteers/{people['karachi'].pk}/").status_code == 403
    response = client.patch(f"/api/v1/volunteers/{people['karachi'].pk}/", {"level": "leader"}, format="json")
    assert response.status_code == 403
    assert Volunteer.objects.get(pk=people["karachi"].pk).level == "supporter"
    assert client.get("/api/v1/volunteers/999999/").status_code == 404


def test_anonymous_specialists_and_partners_are_refused(make_user, people):
    assert APIClient().get("/api/v1/volunteers/").status_code == 401
    for role in ("specialist", "partner"):
        client = api_as(make_user(role))
        assert client.get("/api/v1/volunteers/").status_code == 403
        assert client.get(f"/api/v1/volunteers/{people['kasur'].pk}/").status_code == 403
        assert client.post("/api/v1/volunteers/", {}, format="json").status_code == 403


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"district": "pb-kasur"}, {"Sana Kasur"}),
        ({"district": "pb-lahore-division"}, {"Sana Kasur", "Ali Lahore"}),
        ({"district": "pb"}, {"Sana Kasur", "Ali Lahore"}),
        ({"district": "sd-karachi-south"}, set()),  # outside the caller's regions
        ({"district": "atlantis"}, set()),
        ({"level": "active"}, {"Sana Kasur"}),
        ({"q": "0321-1111111"}, {"Ali Lahore"}),
        ({"q": "ali"}, {"Ali Lahore"}),
    ],
)
def test_filters(network, people, query, expected):
    assert names(api_as(network.lahore).get("/api/v1/volunteers/", query)) == expected


def test_interest_and_tag_filters(network, people):
    from muhim.people.models import Interest, Tag

    people["kasur"].interests.add(Interest.objects.get(code="data"))
    people["lahore"].tags.add(Tag.objects.create(name="Speaker"))
    client = api_as(network.lahore)
    assert names(client.get("/api/v1/volunteers/", {"interest": "data"})) == {"Sana Kasur"}
    assert names(client.get("/api/v1/volunteers/", {"tag": "speaker"})) == {"Ali Lahore"}


def test_the_detail_has_the_history(network, people):
    data = api_as(network.lahore).get(f"/api/v1/volunteers/{people['kasur'].pk}/").json()
    assert [h["kind"] for h in data["history"]] == ["signup"]


def test_creating_signs_up_with_the_forms_rules(
    network, people, django_capture_on_commit_callbacks, outboxes
):
    client = api_as(network.lahore)
    payload = {
        "name": "Hamid",
        "phone": "0345-7654321",
        "district": "pb-nankana-sahib",
        "interests": ["events"],
        "consent": True,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/volunteers/", payload, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["phone"], data["source"], data["organiser"], data["consent_version"]) == (
        "+923457654321",
        "api",
        network.lahore.username,
        "2026-11",
    )
    assert len(outboxes.mail) == 1
    # The same number again: the same volunteer, interests added up.
    response = client.post(
        "/api/v1/volunteers/", {**payload, "phone": "+92 345 7654321", "interests": ["media"]}, format="json"
    )
    assert response.status_code == 200
    assert Volunteer.objects.filter(phone="+923457654321").count() == 1
    assert sorted(response.json()["interests"]) == ["events", "media"]
    assert [h["kind"] for h in response.json()["history"]] == ["signup_again", "signup"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"phone": "12345"}, "phone"),
        ({"district": "atlantis"}, "district"),
        ({"consent": False}, "consent"),
        ({"name": " "}, "name"),
    ],
)
def test_bad_sign_ups_are_refused_with_a_message(network, changes, field):
    payload = {"name": "Hamid", "phone": "0345-7654321", "district": "pb-lahore", "consent": True, **changes}
    response = api_as(network.lahore).post("/api/v1/volunteers/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Volunteer.objects.exists()


def test_an_organiser_cannot_create_outside_their_regions_or_take_anothers_volunteer(network, people):
    client = api_as(network.lahore)
    payload = {"name": "X", "phone": "0345-7654321", "district": "sd-karachi-south", "consent": True}
    assert client.post("/api/v1/volunteers/", payload, format="json").status_code == 403
    payload = {"name": "X", "phone": "0333 2222222", "district": "pb-lahore", "consent": True}
    assert client.post("/api/v1/volunteers/", payload, format="json").status_code == 403
    assert Volunteer.objects.get(phone="+923332222222").district.code == "sd-karachi-south"


def test_patch_changes_level_notes_and_tags_through_the_history(network, people):
    client = api_as(network.lahore)
    url = f"/api/v1/volunteers/{people['lahore'].pk}/"
    response = client.patch(
        url, {"level": "leader", "notes": "Good speaker.", "tags": ["speaker", "Lahore team"]}, format="json"
    )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert (data["level"], data["notes"], sorted(data["tags"])) == (
        "leader",
        "Good speaker.",
        ["Lahore team", "speaker"],
    )
    assert data["history"][0]["kind"] == "level"
    assert Interaction.objects.filter(volunteer=people["lahore"], kind="level", by=network.lahore).exists()
    assert client.put(url, {"level": "active"}, format="json").status_code == 405


def test_csv_export_holds_every_matching_row_and_is_audited(network, people):
    response = api_as(network.office).get("/api/v1/volunteers/", {"format": "csv", "district": "pb"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {r["name"] for r in rows} == {"Sana Kasur", "Ali Lahore"}
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert (event.user, event.subject, event.details["rows"]) == (network.office, "API volunteers", 2)


def test_the_schema_documents_the_endpoint(client, db):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    assert "/api/v1/volunteers/{id}/" in response.content.decode()
