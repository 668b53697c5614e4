"""/api/v1/activities/: the public calendar's activities for everyone, the staff shape for the
regions a user covers, and writes through the same services as the pages."""

import csv
import io
import json
from datetime import date, timedelta

import pytest
import yaml
from django.db.models import Count, Sum
from drf_spectacular.validation import validate_schema
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from muhim.activities import services, stats
from muhim.activities.models import (
    Activity,
    ActivityOfficial,
    ActivityPhoto,
    ActivityStat,
    ActivityType,
    CaravanStop,
    MediaCoverage,
)
from muhim.activities.tests.factories import ActivityFactory, district, sub_area
from muhim.core.models import AuditEvent
from muhim.geography.models import Area
from muhim.network.models import OrganiserProfile
from muhim.partners.models import Organisation

pytestmark = pytest.mark.django_db

STAFF_ONLY = {"follow_up", "follow_up_on", "created_by", "organiser", "is_public", "is_overdue", "url"}


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
    return {a["title"] for a in response.json()["results"]}


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def field(staff):
    """Activities in Lahore division (Lahore, Kasur) and in Karachi, public or not."""
    lahore_public = ActivityFactory(
        title="Seminar on girls' schooling",
        district=district("pb-lahore"),
        is_public=True,
        follow_up="Send the DEO the list of schools.",
        follow_up_on=date(2026, 11, 20),
        created_by=staff.lahore,
        organiser=staff.lahore,
        women=40,
        men=25,
        venue="Alhamra Hall",
    )
    kasur_internal = ActivityFactory(
        kind=ActivityType.KULI_KATCHEHRI,
        title="Kuli Katchehri, Kasur",
        district=district("pb-kasur"),
        start_date=date(2026, 10, 3),
        organiser=staff.lahore,
    )
    lahore_cancelled = ActivityFactory(
        title="Cancelled rally", kind=ActivityType.RALLY, is_public=True, status=Activity.Status.CANCELLED
    )
    karachi_public = ActivityFactory(
        kind=ActivityType.THEATRE,
        title="Theatre in Lyari",
        district=district("sd-karachi-south"),
        is_public=True,
        status=Activity.Status.PLANNED,
        start_date=date(2026, 12, 12),
        organiser=staff.karachi,
    )
    karachi_internal = ActivityFactory(
        title="Karachi planning meeting",
        district=district("sd-karachi-south"),
        follow_up="Book the hall.",
        organiser=staff.karachi,
    )
    return {
        "lahore_public": lahore_public,
        "kasur_internal": kasur_internal,
        "lahore_cancelled": lahore_cancelled,
        "karachi_public": karachi_public,
        "karachi_internal": karachi_internal,
    }


def new_activity_payload(**changes):
    payload = {
        "kind": "kuli_katchehri",
        "title": "Kuli Katchehri with the DEO",
        "start_date": "2026-11-12",
        "district": "pb-kasur",
        "status": "held",
        "women": 40,
        "men": 25,
        "girls": 3,
        "boys": 0,
        "partners": ["Rural Support Programmes Network", "Idara-e-Taleem-o-Aagahi"],
        "is_public": True,
    }
    payload.update(changes)
    return payload


# --- reading ----------------------------------------------------------------------------------


def test_the_public_sees_only_the_public_calendar_without_the_campaigns_own_fields(staff, field):
    OrganiserProfile.objects.create(user=staff.lahore, public_name="Ayesha Khan")
    response = api_as().get("/api/v1/activities/")
    assert titles(response) == {"Seminar on girls' schooling", "Theatre in Lyari"}
    seminar = next(a for a in response.json()["results"] if a["title"] == "Seminar on girls' schooling")
    assert not STAFF_ONLY & set(seminar)
    assert seminar["organiser_name"] == "Ayesha Khan"  # the public name, not the staff account
    assert "Send the DEO" not in json.dumps(response.json())
    assert seminar["district"] == {
        "code": "pb-lahore",
        "name": "Lahore",
        "name_ur": "لاہور",
        "province": "pb",
    }
    assert (seminar["attendance"], seminar["venue"], seminar["page"]) == (
        65,
        "Alhamra Hall",
        f"http://testserver/events/{field['lahore_public'].pk}/",
    )
    # Not public, or cancelled: not there, not even by its number.
    for name in ("kasur_internal", "lahore_cancelled", "karachi_internal"):
        assert api_as().get(f"/api/v1/activities/{field[name].pk}/").status_code == 404


def test_an_organiser_sees_their_regions_activities_with_the_follow_up(staff, field):
    response = api_as(staff.lahore).get("/api/v1/activities/")
    assert titles(response) == {"Seminar on girls' schooling", "Kuli Katchehri, Kasur", "Cancelled rally"}
    seminar = next(a for a in response.json()["results"] if a["title"] == "Seminar on girls' schooling")
    assert (seminar["follow_up"], seminar["organiser"], seminar["created_by"]) == (
        "Send the DEO the list of schools.",
        "rco-lahore",
        "rco-lahore",
    )
    assert seminar["is_overdue"] is True
    assert titles(api_as(staff.karachi).get("/api/v1/activities/")) == {
        "Theatre in Lyari",
        "Karachi planning meeting",
    }


@pytest.mark.parametrize("role", ["office", "specialist", "partner"])
def test_national_roles_see_every_activity(staff, field, role):
    response = api_as(getattr(staff, role)).get("/api/v1/activities/")
    assert len(titles(response)) == 5
    assert response.json()["count"] == 5
    assert "follow_up" in response.json()["results"][0]


def test_another_regions_activity_is_refused_unless_it_is_public(staff, field):
    client = api_as(staff.lahore)
    response = client.get(f"/api/v1/activities/{field['karachi_internal'].pk}/")
    assert response.status_code == 403
    assert "another region" in response.json()["detail"]
    # A public one is what anyone may read: in the public shape.
    response = client.get(f"/api/v1/activities/{field['karachi_public'].pk}/")
    assert response.status_code == 200
    assert response.json()["title"] == "Theatre in Lyari" and "follow_up" not in response.json()
    assert client.get("/api/v1/activities/999999/").status_code == 404
    # … but not to change.
    response = patch_json(client, f"/api/v1/activities/{field['karachi_public'].pk}/", {"title": "Mine"})
    assert response.status_code == 403
    assert Activity.objects.get(pk=field["karachi_public"].pk).title == "Theatre in Lyari"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "kuli_katchehri"}, {"Kuli Katchehri, Kasur"}),
        ({"status": "planned"}, {"Theatre in Lyari"}),
        ({"province": "sd"}, {"Theatre in Lyari", "Karachi planning meeting"}),
        ({"district": "pb-kasur"}, {"Kuli Katchehri, Kasur"}),
        (
            {"district": "pb-lahore-division"},
            {"Seminar on girls' schooling", "Kuli Katchehri, Kasur", "Cancelled rally"},
        ),
        ({"district": "atlantis"}, set()),
        ({"organiser": "rco-karachi"}, {"Theatre in Lyari", "Karachi planning meeting"}),
        ({"from": "2026-12-01"}, {"Theatre in Lyari"}),
        ({"to": "2026-10-31"}, {"Kuli Katchehri, Kasur"}),
        ({"from": "2026-10-01", "to": "2026-10-31"}, {"Kuli Katchehri, Kasur"}),
        ({"is_public": "true", "province": "pb"}, {"Seminar on girls' schooling", "Cancelled rally"}),
        ({"q": "lyari"}, {"Theatre in Lyari"}),
        ({"q": "alhamra"}, {"Seminar on girls' schooling"}),
    ],
)
def test_filters(staff, field, query, expected):
    assert titles(api_as(staff.office).get("/api/v1/activities/", query)) == expected


def test_a_multi_day_activity_running_on_the_from_day_counts(staff):
    ActivityFactory(title="Science mela", start_date=date(2026, 11, 28), end_date=date(2026, 12, 2))
    ActivityFactory(title="Over before", start_date=date(2026, 11, 28))
    assert titles(api_as(staff.office).get("/api/v1/activities/", {"from": "2026-12-01"})) == {"Science mela"}


def test_officials_coverage_photos_and_partners_come_nested(staff, field):
    seminar = field["lahore_public"]
    ActivityOfficial.objects.create(
        activity=seminar, kind="education", name="Nasreen Akhtar", designation="DEO (Female), Lahore"
    )
    MediaCoverage.objects.create(
        activity=seminar, outlet="Daily Jang", date=date(2026, 11, 11), url="https://jang.com.pk/x"
    )
    photo = ActivityPhoto.objects.create(
        activity=seminar, image="a.jpg", thumbnail="a-t.jpg", caption="Hall", width=800, height=600
    )
    seminar.partners.add(Organisation.objects.create(name="Idara-e-Taleem-o-Aagahi"))
    data = api_as().get(f"/api/v1/activities/{seminar.pk}/").json()
    assert data["officials"] == [
        {
            "kind": "education",
            "name": "Nasreen Akhtar",
            "designation": "DEO (Female), Lahore",
            "constituency": None,
        }
    ]
    assert data["coverage"][0]["outlet"] == "Daily Jang"
    assert data["partners"] == ["Idara-e-Taleem-o-Aagahi"]
    assert data["photos"][0]["caption"] == "Hall"
    assert data["photos"][0]["thumbnail_url"] == f"http://testserver/field/photos/{photo.pk}/thumb/"


def test_a_caravan_has_its_stops_in_order_and_its_progress(staff):
    caravan = services.save_activity(
        activity=Activity(
            kind=ActivityType.CARAVAN,
            title="15 districts in 15 days",
            start_date=date(2026, 11, 1),
            end_date=date(2026, 11, 15),
            district=district("pb-lahore"),
            is_public=True,
        ),
        user=staff.office,
    )
    for day, code in enumerate(["pb-lahore", "pb-kasur", "pb-okara"], start=1):
        services.add_stop(
            caravan=caravan, date=date(2026, 11, day), district=district(code), user=staff.office
        )
    first = caravan.stops.get(sequence=1)
    services.log_stop_activity(
        stop=first,
        activity=Activity(
            kind=ActivityType.THEATRE, title="Street theatre", status="held", women=30, girls=12
        ),
        user=staff.office,
    )
    data = api_as(staff.lahore).get(f"/api/v1/activities/{caravan.pk}/").json()
    assert [(s["sequence"], s["district"]["code"], s["is_held"]) for s in data["stops"]] == [
        (1, "pb-lahore", True),
        (2, "pb-kasur", False),
        (3, "pb-okara", False),
    ]
    assert data["stops"][0]["activity"] == first.activity_id
    assert data["progress"] == {
        "stops": 3,
        "held": 1,
        "districts": 3,
        "days": 3,
        "women": 30,
        "men": 0,
        "girls": 12,
        "boys": 0,
        "attendance": 42,
    }
    theatre = api_as(staff.lahore).get(f"/api/v1/activities/{first.activity_id}/").json()
    assert theatre["held_at_stop"] == {"caravan": caravan.pk, "sequence": 1}
    assert theatre["stops"] == [] and theatre["progress"] is None
    # The public sees the route, not which activity was logged where.
    public = api_as().get(f"/api/v1/activities/{caravan.pk}/stops/").json()
    assert [s["sequence"] for s in public] == [1, 2, 3] and "activity" not in public[0]
    response = api_as(staff.office).get(f"/api/v1/activities/{caravan.pk}/stops/", {"format": "csv"})
    assert [r["district.code"] for r in csv_rows(response)] == ["pb-lahore", "pb-kasur", "pb-okara"]
    assert AuditEvent.objects.get(action=AuditEvent.Action.EXPORT).details["rows"] == 3


def test_a_page_of_activities_takes_the_same_few_queries_however_many_there_are(
    staff, django_assert_max_num_queries
):
    def make(n):
        for i in range(n):
            activity = ActivityFactory(
                district=district("pb-kasur" if i % 2 else "pb-lahore"),
                organiser=staff.lahore,
                is_public=True,
            )
            ActivityOfficial.objects.create(
                activity=activity, kind="elected", name=f"MPA {i}", designation="MPA"
            )
            MediaCoverage.objects.create(activity=activity, outlet="Dawn", date=date(2026, 11, 11))
            ActivityPhoto.objects.create(activity=activity, image=f"{i}.jpg", thumbnail=f"{i}t.jpg")
            activity.partners.add(Organisation.objects.get_or_create(name=f"Partner {i % 3}")[0])

    caravan = ActivityFactory(kind=ActivityType.CARAVAN, end_date=date(2026, 11, 20))
    for day in range(3):
        services.add_stop(caravan=caravan, date=date(2026, 11, 10 + day), district=district("pb-okara"))
    make(3)
    client = api_as(staff.lahore)
    client.get("/api/v1/activities/")  # the token and the user's regions are looked up once per request
    for many in (False, True):
        if many:
            make(35)
        with django_assert_max_num_queries(14) as captured:
            response = client.get("/api/v1/activities/", {"page_size": 100})
        assert response.status_code == 200
        if not many:
            few = len(captured)
        else:
            assert len(captured) == few
    assert response.json()["count"] == 39
    with django_assert_max_num_queries(12):
        assert api_as().get("/api/v1/activities/", {"page_size": 100}).json()["count"] == 38


# --- writing ----------------------------------------------------------------------------------


def test_an_organiser_logs_an_activity_in_their_region_through_the_services(staff):
    response = post_json(api_as(staff.lahore), "/api/v1/activities/", new_activity_payload())
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["organiser"], data["created_by"], data["attendance"]) == ("rco-lahore", "rco-lahore", 68)
    assert sorted(data["partners"]) == ["Idara-e-Taleem-o-Aagahi", "Rural Support Programmes Network"]
    assert Organisation.objects.count() == 2
    # The dashboard's figures count it at once.
    stat = ActivityStat.objects.get(kind="kuli_katchehri", status="held")
    assert (stat.activities, stat.women, stat.men, stat.girls) == (1, 40, 25, 3)
    # A partner named again (in another case) is the same organisation.
    payload = new_activity_payload(title="Another", partners=["rural support programmes network"])
    assert post_json(api_as(staff.lahore), "/api/v1/activities/", payload).status_code == 201
    assert Organisation.objects.count() == 2


def test_an_organiser_cannot_log_one_outside_their_region(staff):
    response = post_json(
        api_as(staff.lahore), "/api/v1/activities/", new_activity_payload(district="sd-karachi-south")
    )
    assert response.status_code == 403
    assert "Karachi South is outside your regions (Lahore)" in response.json()["detail"]
    assert not Activity.objects.exists() and not Organisation.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"start_date": "2026-11-12", "end_date": "2026-11-10"}, "end_date", "cannot end before it starts"),
        ({"women": -3}, "women", "greater than or equal to 0"),
        ({"district": "atlantis"}, "district", "does not exist"),
        ({"kind": "picnic"}, "kind", "not a valid choice"),
        ({"title": ""}, "title", "may not be blank"),
    ],
)
def test_bad_input_answers_400_with_the_fields_message(staff, changes, field, message):
    response = post_json(api_as(staff.lahore), "/api/v1/activities/", new_activity_payload(**changes))
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])
    assert not Activity.objects.exists() and not Organisation.objects.exists()


def test_a_service_refusal_answers_400_with_its_message(staff):
    tehsil = sub_area("sd-karachi-south-saddar", Area.Level.TEHSIL, "Saddar", district("sd-karachi-south"))
    response = post_json(api_as(staff.lahore), "/api/v1/activities/", new_activity_payload(place=tehsil.code))
    assert response.status_code == 400
    assert response.json()["place"] == ["Saddar is not a tehsil or union council of Kasur."]
    assert not Activity.objects.exists() and not Organisation.objects.exists()  # nothing half-written


@pytest.mark.parametrize("role", ["partner", None])
def test_roles_that_do_not_manage_activities_cannot_write(staff, role):
    client = api_as(getattr(staff, role) if role else None)
    response = post_json(client, "/api/v1/activities/", new_activity_payload())
    assert response.status_code in (401, 403)
    assert not Activity.objects.exists()


def test_a_specialist_logs_a_press_briefing_anywhere(staff):
    payload = new_activity_payload(kind="press_briefing", district="sd-karachi-south", partners=[])
    assert post_json(api_as(staff.specialist), "/api/v1/activities/", payload).status_code == 201


def test_patch_changes_an_activity_and_keeps_the_figures_right(staff, field):
    client = api_as(staff.lahore)
    url = f"/api/v1/activities/{field['kasur_internal'].pk}/"
    stats.rebuild()
    response = patch_json(client, url, {"status": "cancelled", "women": 12, "partners": ["ITA"]})
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["women"], response.json()["partners"]) == (
        "cancelled",
        12,
        ["ITA"],
    )
    assert ActivityStat.objects.get(kind="kuli_katchehri").status == "cancelled"
    assert client.put(url, new_activity_payload(), format="json").status_code == 405
    # Not into another region, nor in another region.
    response = patch_json(client, url, {"district": "sd-karachi-south"})
    assert response.status_code == 403
    assert Activity.objects.get(pk=field["kasur_internal"].pk).district.code == "pb-kasur"
    response = patch_json(client, f"/api/v1/activities/{field['karachi_internal'].pk}/", {"title": "x"})
    assert response.status_code == 403
    response = patch_json(client, url, {"end_date": "2026-09-01"})
    assert response.status_code == 400 and "end_date" in response.json()


def test_stops_are_added_through_the_caravan_rules(staff):
    caravan = ActivityFactory(
        kind=ActivityType.CARAVAN,
        start_date=date(2026, 11, 1),
        end_date=date(2026, 11, 15),
        organiser=staff.lahore,
    )
    client = api_as(staff.lahore)
    url = f"/api/v1/activities/{caravan.pk}/stops/"
    for day, code in [(1, "pb-lahore"), (2, "pb-kasur")]:
        response = post_json(client, url, {"date": f"2026-11-0{day}", "district": code, "venue": "Chowk"})
        assert response.status_code == 201, response.json()
    assert response.json()["sequence"] == 2
    response = post_json(client, url, {"date": "2026-11-20", "district": "pb-sheikhupura"})
    assert response.status_code == 400
    assert "this stop's date is outside it" in response.json()["date"][0]
    response = post_json(client, url, {"date": "2026-11-03", "district": "sd-karachi-south"})
    assert response.status_code == 403 and "outside your regions" in response.json()["detail"]
    # Stop 1 on the 1st: a new first stop cannot come after it.
    response = post_json(client, url, {"date": "2026-11-05", "district": "pb-sheikhupura", "sequence": 1})
    assert (
        response.status_code == 400 and "stops follow each other in date order" in response.json()["date"][0]
    )
    seminar = ActivityFactory(district=district("pb-lahore"))
    response = post_json(
        client, f"/api/v1/activities/{seminar.pk}/stops/", {"date": "2026-11-10", "district": "pb-lahore"}
    )
    assert response.status_code == 400 and "Only a caravan has stops." in json.dumps(response.json())
    listed = client.get(url).json()
    assert [(s["sequence"], s["district"]["code"], s["venue"]) for s in listed] == [
        (1, "pb-lahore", "Chowk"),
        (2, "pb-kasur", "Chowk"),
    ]
    assert CaravanStop.objects.count() == 2
    assert (
        post_json(api_as(staff.partner), url, {"date": "2026-11-03", "district": "pb-lahore"}).status_code
        == 403
    )


# --- exports and schema --------------------------------------------------------------------------


def test_csv_export_follows_the_same_visibility_and_is_audited(staff, field):
    response = api_as(staff.lahore).get("/api/v1/activities/", {"format": "csv"})
    assert response.status_code == 200
    rows = csv_rows(response)
    assert {r["title"] for r in rows} == {
        "Seminar on girls' schooling",
        "Kuli Katchehri, Kasur",
        "Cancelled rally",
    }
    assert "follow_up" in rows[0] and rows[0]["district.code"]
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert (event.user, event.subject, event.details["rows"]) == (staff.lahore, "API activities", 3)
    public = csv_rows(api_as().get("/api/v1/activities/", {"format": "csv"}))
    assert {r["title"] for r in public} == {"Seminar on girls' schooling", "Theatre in Lyari"}
    assert "follow_up" not in public[0] and "created_by" not in public[0]
    response = api_as(staff.office).get("/api/v1/activities/", {"format": "xlsx"})
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_the_figures_equal_the_activities_after_api_writes(staff):
    client = api_as(staff.lahore)
    for i in range(4):
        payload = new_activity_payload(
            title=f"Seminar {i}",
            kind="seminar",
            start_date=str(date(2026, 10, 28) + timedelta(days=3 * i)),
            women=i,
        )
        assert post_json(client, "/api/v1/activities/", payload).status_code == 201
    first = Activity.objects.order_by("pk").first()
    patch_json(client, f"/api/v1/activities/{first.pk}/", {"start_date": "2026-11-30", "status": "planned"})
    raw = Activity.objects.aggregate(n=Count("pk"), women=Sum("women"))
    figures = ActivityStat.objects.aggregate(n=Sum("activities"), women=Sum("women"))
    assert figures == raw
    assert ActivityStat.objects.filter(month=date(2026, 10, 1)).get().activities == 1


def test_the_schema_documents_the_activities_endpoints(client, db):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate_schema(schema)
    for path in ["/api/v1/activities/", "/api/v1/activities/{id}/", "/api/v1/activities/{id}/stops/"]:
        assert path in schema["paths"], path
    parameters = {p["name"] for p in schema["paths"]["/api/v1/activities/"]["get"]["parameters"]}
    assert {
        "kind",
        "status",
        "province",
        "district",
        "organiser",
        "from",
        "to",
        "is_public",
        "q",
        "format",
    } <= parameters
    assert "public calendar" in schema["paths"]["/api/v1/activities/"]["get"]["description"]
    assert "sequence" in schema["paths"]["/api/v1/activities/{id}/stops/"]["post"]["description"]
    assert "caravan" in schema["components"]["schemas"]["ActivityKind"]["enum"]
