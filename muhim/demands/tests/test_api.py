"""/api/v1/demands/, /api/v1/public-demands/ and /api/v1/parental-bodies/: who sees what
(personal data and internal notes included), and writes through the demands' services."""

import csv
import io
import json
from datetime import timedelta

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from django.utils import timezone
from drf_spectacular.validation import validate_schema
from pypdf import PdfWriter
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from muhim.activities import services as activity_services
from muhim.activities.models import Activity, ActivityType
from muhim.activities.tests.factories import ParentalBodyFactory, district, sub_area
from muhim.core.models import AuditEvent
from muhim.demands import services
from muhim.demands.models import Demand, DemandStat, ParentalBody, ParentalBodyMember
from muhim.geography.models import Area
from muhim.partners.models import Organisation

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def pdf_bytes():
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


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


def titles(response):
    assert response.status_code == 200, response.content
    return {d["title"] for d in response.json()["results"]}


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def demand(staff, **fields):
    values = {
        "title": "A girls' middle school for Chak 12",
        "category": "girls_school",
        "district": district("pb-kasur"),
        "authority": Demand.Authority.EDUCATION_OFFICER,
        "authority_name": "District Education Officer (Female), Kasur",
        "raised_on": TODAY - timedelta(days=30),
        "raised_by_name": "Shamim Bibi",
        "raised_by_phone": "+923001234567",
        "school": "GPS Chak 12",
    }
    values.update(fields)
    user = staff.karachi if values["district"].code.startswith("sd-") else staff.lahore
    return services.record_demand(demand=Demand(**values), user=user, note="Raised by mothers at the school.")


@pytest.fixture
def demands(staff):
    kasur = demand(staff, is_published=True, follow_up_on=TODAY - timedelta(days=2))
    services.update_status(
        demand=kasur,
        status="submitted",
        on=TODAY - timedelta(days=20),
        note="Letter handed to the DEO.",
        internal_note="The DEO's clerk wants a follow-up call; Shamim's number is 0300-1234567.",
        user=staff.lahore,
    )
    lahore = demand(
        staff,
        title="Two teachers for GPS Shahdara",
        category="teachers",
        district=district("pb-lahore"),
        raised_by_name="Rafiq Ahmed",
        raised_by_phone="+923211111111",
    )
    karachi = demand(
        staff,
        title="Toilets for GGHS Lyari",
        category="toilets",
        district=district("sd-karachi-south"),
        raised_by_name="Nasreen",
        raised_by_phone="+923332222222",
        is_published=True,
    )
    return {"kasur": kasur, "lahore": lahore, "karachi": karachi}


def new_demand_payload(**changes):
    payload = {
        "title": "A boundary wall for GGPS Kot Radha Kishan",
        "category": "boundary_wall",
        "district": "pb-kasur",
        "authority": "education_officer",
        "authority_name": "DEO (Female), Kasur",
        "raised_on": str(TODAY - timedelta(days=3)),
        "raised_by_name": "Parveen Akhtar",
        "raised_by_phone": "0345-7654321",
        "school": "GGPS Kot Radha Kishan",
        "note": "Mothers asked at the school gate.",
    }
    payload.update(changes)
    return payload


# --- who sees what ------------------------------------------------------------------------------


def test_an_organiser_sees_their_regions_demands_with_who_raised_them(staff, demands):
    response = api_as(staff.lahore).get("/api/v1/demands/")
    assert titles(response) == {"A girls' middle school for Chak 12", "Two teachers for GPS Shahdara"}
    kasur = next(d for d in response.json()["results"] if d["district"]["code"] == "pb-kasur")
    assert (kasur["raised_by_name"], kasur["raised_by_phone"]) == ("Shamim Bibi", "+923001234567")
    assert [(u["status"], u["note"]) for u in kasur["updates"]] == [
        ("raised", "Raised by mothers at the school."),
        ("submitted", "Letter handed to the DEO."),
    ]
    assert "follow-up call" in kasur["updates"][1]["internal_note"]
    assert kasur["is_overdue"] is True and kasur["status"] == "submitted"
    assert titles(api_as(staff.karachi).get("/api/v1/demands/")) == {"Toilets for GGHS Lyari"}


def test_a_specialist_reads_every_demand_but_not_who_raised_it_nor_internal_notes(staff, demands):
    response = api_as(staff.specialist).get("/api/v1/demands/")
    assert len(titles(response)) == 3
    text = json.dumps(response.json())
    for private in (
        "Shamim",
        "0300",
        "+92300",
        "raised_by_name",
        "raised_by_phone",
        "internal_note",
        "follow-up call",
    ):
        assert private not in text, private
    response = api_as(staff.office).get(f"/api/v1/demands/{demands['karachi'].pk}/")
    assert response.json()["raised_by_name"] == "Nasreen"


@pytest.mark.parametrize("role", ["partner", None])
def test_demands_are_not_for_the_public_nor_partners(staff, demands, role):
    client = api_as(getattr(staff, role) if role else None)
    assert client.get("/api/v1/demands/").status_code in (401, 403)
    assert client.get(f"/api/v1/demands/{demands['kasur'].pk}/").status_code in (401, 403)
    assert client.get("/api/v1/parental-bodies/").status_code in (401, 403)


def test_another_regions_demand_is_refused_and_a_missing_one_is_not_found(staff, demands):
    client = api_as(staff.lahore)
    response = client.get(f"/api/v1/demands/{demands['karachi'].pk}/")
    assert response.status_code == 403 and "another region" in response.json()["detail"]
    assert client.get("/api/v1/demands/999999/").status_code == 404
    url = f"/api/v1/demands/{demands['karachi'].pk}/updates/"
    assert post_json(client, url, {"status": "submitted"}).status_code == 403
    assert Demand.objects.get(pk=demands["karachi"].pk).status == "raised"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"category": "teachers"}, {"Two teachers for GPS Shahdara"}),
        ({"status": "submitted"}, {"A girls' middle school for Chak 12"}),
        (
            {"district": "pb-lahore-division"},
            {"A girls' middle school for Chak 12", "Two teachers for GPS Shahdara"},
        ),
        ({"province": "sd"}, {"Toilets for GGHS Lyari"}),
        ({"overdue": "true"}, {"A girls' middle school for Chak 12"}),
        ({"open": "false"}, set()),
        ({"is_published": "true"}, {"A girls' middle school for Chak 12", "Toilets for GGHS Lyari"}),
        ({"q": "lyari"}, {"Toilets for GGHS Lyari"}),
        ({"raised_from": str(TODAY)}, set()),
    ],
)
def test_filters(staff, demands, query, expected):
    assert titles(api_as(staff.office).get("/api/v1/demands/", query)) == expected


def test_a_page_of_demands_takes_the_same_few_queries_however_many_there_are(
    staff, demands, django_assert_max_num_queries
):
    client = api_as(staff.lahore)
    client.get("/api/v1/demands/")
    with django_assert_max_num_queries(8) as few:
        client.get("/api/v1/demands/", {"page_size": 100})
    for i in range(30):
        made = demand(staff, title=f"Teachers for GPS {i}", parental_body=None)
        services.update_status(
            demand=made, status="submitted", on=TODAY - timedelta(days=1), user=staff.lahore
        )
    with django_assert_max_num_queries(8) as many:
        response = client.get("/api/v1/demands/", {"page_size": 100})
    assert response.json()["count"] == 32
    assert len(many) == len(few)


# --- the public ---------------------------------------------------------------------------------


def test_the_public_reads_published_demands_and_never_who_raised_them(staff, demands):
    response = api_as().get("/api/v1/public-demands/")
    assert titles(response) == {"A girls' middle school for Chak 12", "Toilets for GGHS Lyari"}
    kasur = next(d for d in response.json()["results"] if d["district"]["code"] == "pb-kasur")
    assert [(u["status"], u["note"]) for u in kasur["updates"]] == [
        ("raised", "Raised by mothers at the school."),
        ("submitted", "Letter handed to the DEO."),
    ]
    assert kasur["page"] == f"http://testserver/demands/{demands['kasur'].pk}/"
    text = json.dumps(response.json())
    for private in (
        "Shamim",
        "Nasreen",
        "+92",
        "0300",
        "raised_by",
        "internal_note",
        "follow-up call",
        "rco-",
    ):
        assert private not in text, private
    assert api_as().get(f"/api/v1/public-demands/{demands['lahore'].pk}/").status_code == 404
    rows = csv_rows(api_as().get("/api/v1/public-demands/", {"format": "csv"}))
    assert len(rows) == 2 and not any("raised_by" in column for column in rows[0])
    assert post_json(api_as(staff.office), "/api/v1/public-demands/", {"title": "x"}).status_code == 405


# --- writing ------------------------------------------------------------------------------------


def test_an_organiser_records_a_demand_through_the_service(staff):
    response = post_json(api_as(staff.lahore), "/api/v1/demands/", new_demand_payload())
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["status"], data["raised_by_phone"], data["organiser"], data["created_by"]) == (
        "raised",
        "+923457654321",
        "rco-lahore",
        "rco-lahore",
    )
    assert [(u["status"], u["note"]) for u in data["updates"]] == [
        ("raised", "Mothers asked at the school gate.")
    ]
    assert DemandStat.objects.get(category="boundary_wall").raised == 1


def test_a_demand_resolved_on_the_spot_at_a_kuli_katchehri(staff):
    katchehri = activity_services.save_activity(
        activity=Activity(
            kind=ActivityType.KULI_KATCHEHRI,
            title="Kuli Katchehri, Kasur",
            start_date=TODAY - timedelta(days=3),
            district=district("pb-kasur"),
            status="held",
        ),
        user=staff.lahore,
    )
    client = api_as(staff.lahore)
    response = post_json(client, "/api/v1/demands/", new_demand_payload(resolved_on_the_spot=True))
    assert response.status_code == 400 and "activity" in response.json()
    payload = new_demand_payload(
        resolved_on_the_spot=True, activity=katchehri.pk, on_the_spot_note="The DEO agreed."
    )
    response = post_json(client, "/api/v1/demands/", payload)
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["status"], data["resolved_on_the_spot"], data["activity"]) == (
        "resolved",
        True,
        {"id": katchehri.pk, "name": "Kuli Katchehri, Kasur"},
    )
    assert [u["status"] for u in data["updates"]] == ["raised", "resolved"]
    assert DemandStat.objects.get(category="boundary_wall").resolved_on_the_spot == 1


def test_a_demand_outside_the_organisers_region_is_refused_with_the_reason(staff):
    response = post_json(
        api_as(staff.lahore), "/api/v1/demands/", new_demand_payload(district="sd-karachi-south")
    )
    assert response.status_code == 403
    assert "Karachi South is outside your regions (Lahore)" in response.json()["detail"]
    assert not Demand.objects.exists()
    assert post_json(api_as(staff.specialist), "/api/v1/demands/", new_demand_payload()).status_code == 403


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"raised_on": str(TODAY + timedelta(days=2))}, "raised_on", "cannot be in the future"),
        ({"raised_by_phone": "12345"}, "raised_by_phone", "Enter a mobile number like 0300 1234567"),
        ({"category": "roads"}, "category", "not a valid choice"),
        ({"status": "resolved"}, "status", "starts as raised"),
        ({"parental_body": 999999}, "parental_body", "does not exist"),
    ],
)
def test_bad_demands_answer_400_with_the_fields_message(staff, changes, field, message):
    response = post_json(api_as(staff.lahore), "/api/v1/demands/", new_demand_payload(**changes))
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])
    assert not Demand.objects.exists()


def test_a_demand_links_only_to_a_parental_body_of_its_district_that_the_caller_sees(staff):
    lahore_body = ParentalBodyFactory(district=district("pb-lahore"))
    karachi_body = ParentalBodyFactory(district=district("sd-karachi-south"))
    client = api_as(staff.lahore)
    response = post_json(client, "/api/v1/demands/", new_demand_payload(parental_body=lahore_body.pk))
    assert response.status_code == 400
    assert (
        "This parental body is in Lahore, not in the demand's district." in response.json()["parental_body"]
    )
    response = post_json(client, "/api/v1/demands/", new_demand_payload(parental_body=karachi_body.pk))
    assert response.status_code == 400 and "parental_body" in response.json()
    response = post_json(
        client, "/api/v1/demands/", new_demand_payload(district="pb-lahore", parental_body=lahore_body.pk)
    )
    assert response.status_code == 201
    assert response.json()["parental_body"]["id"] == lahore_body.pk


def test_patch_changes_what_a_demand_is_about_but_not_its_status(staff, demands):
    client = api_as(staff.lahore)
    url = f"/api/v1/demands/{demands['lahore'].pk}/"
    response = patch_json(
        client, url, {"title": "Three teachers for GPS Shahdara", "follow_up_on": str(TODAY)}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["title"] == "Three teachers for GPS Shahdara"
    response = patch_json(client, url, {"status": "resolved"})
    assert response.status_code == 400 and "adding an update" in response.json()["status"][0]
    response = patch_json(client, url, {"district": "sd-karachi-south"})
    assert response.status_code == 403
    assert patch_json(client, f"/api/v1/demands/{demands['karachi'].pk}/", {"title": "x"}).status_code == 403
    assert Demand.objects.get(pk=demands["lahore"].pk).district.code == "pb-lahore"


def test_updates_move_a_demand_on_with_evidence_and_keep_the_figures_right(staff, demands):
    client = api_as(staff.lahore)
    url = f"/api/v1/demands/{demands['lahore'].pk}/updates/"
    evidence = SimpleUploadedFile("letter.pdf", pdf_bytes(), content_type="application/pdf")
    response = client.post(
        url,
        {
            "status": "resolved",
            "note": "Two teachers posted.",
            "internal_note": "Thanks to the MPA.",
            "evidence": evidence,
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["status"], data["resolved_on"]) == ("resolved", str(TODAY))
    last = data["updates"][-1]
    assert (last["status"], last["note"], last["internal_note"], last["by"]) == (
        "resolved",
        "Two teachers posted.",
        "Thanks to the MPA.",
        "rco-lahore",
    )
    assert last["evidence"].endswith(f"/field/demands/updates/{last['id']}/evidence/")
    assert DemandStat.objects.filter(category="teachers").aggregate(n=Sum("resolved"))["n"] == 1
    # A resolved demand can only be raised again; a day in the future is refused.
    response = post_json(client, url, {"status": "in_progress"})
    assert response.status_code == 400
    assert "cannot become" in response.json()["status"][0]
    response = post_json(client, url, {"status": "raised", "on": str(TODAY + timedelta(days=1))})
    assert response.status_code == 400 and "cannot be in the future" in response.json()["on"][0]
    bad = SimpleUploadedFile("letter.pdf", b"not a pdf at all", content_type="application/pdf")
    response = client.post(url, {"status": "raised", "evidence": bad}, format="multipart")
    assert response.status_code == 400 and "evidence" in response.json()
    assert Demand.objects.get(pk=demands["lahore"].pk).updates.count() == 2
    assert post_json(api_as(staff.specialist), url, {"status": "raised"}).status_code == 403


def test_figures_equal_the_demands_after_api_writes(staff, demands):
    client = api_as(staff.lahore)
    post_json(client, f"/api/v1/demands/{demands['kasur'].pk}/updates/", {"status": "resolved"})
    patch_json(client, f"/api/v1/demands/{demands['lahore'].pk}/", {"category": "textbooks"})
    totals = DemandStat.objects.aggregate(raised=Sum("raised"), resolved=Sum("resolved"))
    assert totals == {
        "raised": Demand.objects.count(),
        "resolved": Demand.objects.filter(status="resolved").count(),
    }
    assert set(DemandStat.objects.values_list("category", flat=True)) == {
        "girls_school",
        "textbooks",
        "toilets",
    }


# --- exports ------------------------------------------------------------------------------------


def test_csv_export_has_personal_columns_only_for_who_may_see_them(staff, demands):
    rows = csv_rows(api_as(staff.lahore).get("/api/v1/demands/", {"format": "csv"}))
    assert {r["raised_by_name"] for r in rows} == {"Shamim Bibi", "Rafiq Ahmed"}
    kasur = next(r for r in rows if r["district.code"] == "pb-kasur")
    assert kasur["history"].endswith("Submitted to the authority: Letter handed to the DEO.")
    rows = csv_rows(api_as(staff.specialist).get("/api/v1/demands/", {"format": "csv"}))
    assert len(rows) == 3 and "raised_by_name" not in rows[0] and "raised_by_phone" not in rows[0]
    events = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, subject="API demands")
    assert sorted(e.details["rows"] for e in events) == [2, 3]
    response = api_as(staff.office).get("/api/v1/demands/", {"format": "xlsx"})
    assert response.status_code == 200 and response.content[:2] == b"PK"


# --- parental bodies ----------------------------------------------------------------------------


@pytest.fixture
def bodies(staff):
    kasur = ParentalBodyFactory(name="Mothers' committee, Chak 12", district=district("pb-kasur"))
    ParentalBodyMember.objects.create(body=kasur, name="Shamim Bibi", role="chair", phone="+923001234567")
    ParentalBodyMember.objects.create(body=kasur, name="Rukhsana", role="member")
    karachi = ParentalBodyFactory(name="Lyari parents' council", district=district("sd-karachi-south"))
    demand(staff, parental_body=kasur)
    return {"kasur": kasur, "karachi": karachi}


def test_parental_bodies_per_role_with_members_phones_only_for_personal_data(staff, bodies):
    response = api_as(staff.lahore).get("/api/v1/parental-bodies/")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [b["name"] for b in results] == ["Mothers' committee, Chak 12"]
    assert results[0]["demands"] == 1
    assert results[0]["members"][0] == {
        "id": results[0]["members"][0]["id"],
        "name": "Shamim Bibi",
        "role": "chair",
        "sex": "",
        "phone": "+923001234567",
        "joined_on": None,
        "left_on": None,
    }
    response = api_as(staff.specialist).get("/api/v1/parental-bodies/")
    assert {b["name"] for b in response.json()["results"]} == {
        "Mothers' committee, Chak 12",
        "Lyari parents' council",
    }
    assert "+92" not in json.dumps(response.json()) and "phone" not in json.dumps(response.json())
    assert api_as(staff.lahore).get(f"/api/v1/parental-bodies/{bodies['karachi'].pk}/").status_code == 403
    assert api_as(staff.partner).get("/api/v1/parental-bodies/").status_code == 403


def test_parental_bodies_are_recorded_through_the_service(staff):
    uc = sub_area("pb-kasur-uc-12", Area.Level.UNION_COUNCIL, "UC 12 Kot Radha Kishan", district("pb-kasur"))
    client = api_as(staff.lahore)
    payload = {
        "name": "UC 12 parents' body",
        "level": "union_council",
        "district": "pb-kasur",
        "partner": "NRSP",
    }
    response = post_json(client, "/api/v1/parental-bodies/", payload)
    assert response.status_code == 400
    assert response.json()["union_council"] == ["A union-council body needs its union council."]
    assert not Organisation.objects.exists()  # nothing half-written
    response = post_json(client, "/api/v1/parental-bodies/", {**payload, "union_council": uc.code})
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["union_council"]["code"], data["partner"]["name"], data["organiser"]) == (
        uc.code,
        "NRSP",
        "rco-lahore",
    )
    response = post_json(
        client, "/api/v1/parental-bodies/", {**payload, "district": "sd-karachi-south", "level": "district"}
    )
    assert response.status_code == 403
    response = patch_json(
        client, f"/api/v1/parental-bodies/{data['id']}/", {"is_active": False, "partner": ""}
    )
    assert response.status_code == 200
    assert (response.json()["is_active"], response.json()["partner"]) == (False, None)
    assert ParentalBody.objects.count() == 1


def test_parental_bodies_filters_and_export(staff, bodies):
    client = api_as(staff.office)
    names = {b["name"] for b in client.get("/api/v1/parental-bodies/", {"province": "sd"}).json()["results"]}
    assert names == {"Lyari parents' council"}
    rows = csv_rows(client.get("/api/v1/parental-bodies/", {"format": "csv", "q": "mothers"}))
    assert [r["name"] for r in rows] == ["Mothers' committee, Chak 12"]
    assert AuditEvent.objects.filter(subject="API parental bodies").exists()


def test_the_schema_documents_the_demands_endpoints(client, db):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate_schema(schema)
    for path in [
        "/api/v1/demands/",
        "/api/v1/demands/{id}/",
        "/api/v1/demands/{id}/updates/",
        "/api/v1/public-demands/",
        "/api/v1/public-demands/{id}/",
        "/api/v1/parental-bodies/",
        "/api/v1/parental-bodies/{id}/",
    ]:
        assert path in schema["paths"], path
    public = schema["components"]["schemas"]["PublicDemand"]["properties"]
    assert not {"raised_by", "raised_by_name", "raised_by_phone", "parental_body"} & set(public)
    parameters = {p["name"] for p in schema["paths"]["/api/v1/demands/"]["get"]["parameters"]}
    assert {"category", "status", "district", "overdue", "open", "q", "format"} <= parameters
    assert "Never who raised a demand" in schema["paths"]["/api/v1/public-demands/"]["get"]["description"]
