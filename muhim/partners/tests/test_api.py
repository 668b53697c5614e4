"""/api/v1/organisations/: the list of partner organisations, for staff; naming a new one for
those who log activities."""

import csv
import io
import json

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from muhim.core.models import AuditEvent
from muhim.partners.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(gazetteer, make_user):
    from types import SimpleNamespace

    return SimpleNamespace(
        lahore=make_user("organiser", ["pb-lahore-division"], username="rco-lahore"),
        office=make_user("campaign_office", username="office"),
        partner=make_user("partner", username="partner"),
    )


@pytest.fixture
def organisations(db):
    return [
        Organisation.objects.create(name="Idara-e-Taleem-o-Aagahi", abbreviation="ITA"),
        Organisation.objects.create(name="Rural Support Programmes Network", abbreviation="RSPN"),
        Organisation.objects.create(name="Daily Jang", kind=Organisation.Kind.MEDIA),
    ]


def api_as(user=None):
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def names(response):
    assert response.status_code == 200, response.content
    return [o["name"] for o in response.json()["results"]]


def test_staff_read_the_list_the_public_does_not(staff, organisations):
    assert names(api_as(staff.partner).get("/api/v1/organisations/")) == [
        "Daily Jang",
        "Idara-e-Taleem-o-Aagahi",
        "Rural Support Programmes Network",
    ]
    assert names(api_as(staff.lahore).get("/api/v1/organisations/", {"kind": "media"})) == ["Daily Jang"]
    assert names(api_as(staff.office).get("/api/v1/organisations/", {"q": "rspn"})) == [
        "Rural Support Programmes Network"
    ]
    data = api_as(staff.office).get(f"/api/v1/organisations/{organisations[0].pk}/").json()
    assert data["display_name"] == "Idara-e-Taleem-o-Aagahi (ITA)"
    assert api_as().get("/api/v1/organisations/").status_code == 401


def test_naming_an_organisation_finds_a_known_one_or_adds_it(staff, organisations):
    client = api_as(staff.lahore)
    response = client.post(
        "/api/v1/organisations/", json.dumps({"name": "  ita "}), content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["id"] == organisations[0].pk
    response = client.post(
        "/api/v1/organisations/",
        json.dumps({"name": "National Rural Support Programme", "kind": "ngo"}),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert Organisation.objects.get(name="National Rural Support Programme").history.first().history_user == (
        staff.lahore
    )
    response = client.post(
        "/api/v1/organisations/", json.dumps({"name": " "}), content_type="application/json"
    )
    assert response.status_code == 400 and "name" in response.json()
    response = api_as(staff.partner).post(
        "/api/v1/organisations/", json.dumps({"name": "Someone"}), content_type="application/json"
    )
    assert response.status_code == 403
    assert Organisation.objects.count() == 4


def test_the_list_exports_as_csv_and_is_audited(staff, organisations):
    response = api_as(staff.office).get("/api/v1/organisations/", {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["abbreviation"] for r in rows] == ["", "ITA", "RSPN"]
    assert AuditEvent.objects.get(action=AuditEvent.Action.EXPORT).subject == "API organisations"


def test_the_schema_documents_the_endpoint(client, db):
    text = client.get("/api/v1/schema/").content.decode()
    assert "/api/v1/organisations/" in text and "OrganisationKind" in text
