"""The staff pages of demands and parental bodies: who sees what, recording and updating a
demand through the forms (every bad input told next to its field, nothing typed lost), the
statistics and their lists, parental bodies and their members' privacy."""

import csv
import io
import re
from datetime import timedelta
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from muhim.activities import services as activity_services
from muhim.activities.models import Activity, ActivityType
from muhim.activities.tests.factories import district, sub_area
from muhim.core.models import AuditEvent
from muhim.demands import services
from muhim.demands.models import Category, Demand, DemandUpdate, ParentalBody, ParentalBodyMember, Status
from muhim.geography.models import Area

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def record(user, **fields):
    values = {
        "title": "Two teachers for GPS Chak 12",
        "category": Category.TEACHERS,
        "district": district("pb-kasur"),
        "authority": Demand.Authority.EDUCATION_OFFICER,
        "authority_name": "District Education Officer (Male), Kasur",
        "raised_on": TODAY - timedelta(days=20),
        "raised_by_name": "Shamim Bibi",
        "raised_by_phone": "+923001234567",
    }
    values.update(fields)
    resolved_on_the_spot = values.pop("resolved_on_the_spot", False)
    return services.record_demand(
        demand=Demand(**values), user=user, resolved_on_the_spot=resolved_on_the_spot
    )


def katchehri(
    user, code="pb-kasur", day=None, kind=ActivityType.KULI_KATCHEHRI, title="Kuli Katchehri, Kasur"
):
    return activity_services.save_activity(
        activity=Activity(
            kind=kind,
            title=title,
            start_date=day or TODAY - timedelta(days=3),
            district=district(code),
            status=Activity.Status.HELD,
        ),
        user=user,
    )


def titles(response):
    return {row.record.title for row in response.context["table"].rows}


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(b"".join(response).decode("utf-8-sig"))))


def field_errors(response, name):
    form = response.context["form"]
    return " ".join(str(e) for e in form.errors.get(name, []))


def png_file(name="letter.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def form_data(**overrides):
    data = {
        "title": "A boundary wall for GGPS Kot Radha Kishan",
        "title_ur": "",
        "category": Category.BOUNDARY_WALL,
        "description": "The wall fell in the rains.",
        "school": "GGPS Kot Radha Kishan",
        "school_emis": "35110123",
        "district": "pb-kasur",
        "place": "",
        "raised_by": Demand.RaisedBy.PARENT,
        "raised_by_name": "Nasreen Akhtar",
        "raised_by_phone": "0300-7654321",
        "parental_body": "",
        "activity": "",
        "authority": Demand.Authority.EDUCATION_OFFICER,
        "authority_name": "District Education Officer (Female), Kasur",
        "raised_on": (TODAY - timedelta(days=2)).isoformat(),
        "follow_up_on": (TODAY + timedelta(days=14)).isoformat(),
        "note": "",
    }
    data.update(overrides)
    return data


# --- who sees what --------------------------------------------------------------------------------


@pytest.fixture
def demands(staff):
    return {
        "kasur": record(staff.lahore),
        "karachi": record(
            staff.karachi,
            title="A girls' middle school in Korangi",
            category=Category.GIRLS_SCHOOL,
            district=district("sd-karachi-south"),
            raised_by_name="Zubeda Khatoon",
            raised_by_phone="+923211112222",
        ),
    }


def test_an_organiser_lists_only_their_regions_demands(client, staff, demands):
    client.force_login(staff.lahore)
    response = client.get("/field/demands/")
    assert response.status_code == 200
    assert titles(response) == {"Two teachers for GPS Chak 12"}
    assert "1 demand" in response.content.decode()


def test_another_regions_demand_is_refused_saying_why(client, staff, demands):
    client.force_login(staff.lahore)
    karachi = demands["karachi"]
    for url in (f"/field/demands/{karachi.pk}/", f"/field/demands/{karachi.pk}/edit/"):
        response = client.get(url)
        assert response.status_code == 403
        assert "outside your regions" in unescape(response.content.decode())
    response = client.post(
        f"/field/demands/{karachi.pk}/", {"update-status": "submitted", "update-on": TODAY}
    )
    assert response.status_code == 403
    assert client.get("/field/demands/999999/").status_code == 404
    assert karachi.updates.count() == 1


def test_signed_out_visitors_and_roles_without_demands_are_kept_out(client, staff, demands):
    response = client.get("/field/demands/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(staff.partner)
    assert client.get("/field/demands/").status_code == 403
    assert client.get(f"/field/demands/{demands['kasur'].pk}/").status_code == 403
    assert client.get("/field/parental-bodies/").status_code == 403


def test_a_specialist_reads_demands_without_who_raised_them(client, staff, demands):
    client.force_login(staff.specialist)
    response = client.get("/field/demands/")
    assert titles(response) == {"Two teachers for GPS Chak 12", "A girls' middle school in Korangi"}
    html = client.get(f"/field/demands/{demands['kasur'].pk}/").content.decode()
    assert "Two teachers for GPS Chak 12" in html
    assert "Shamim Bibi" not in html and "0300 1234567" not in html and "+923001234567" not in html
    assert "Add an update" not in html
    exported = csv_rows(client.get("/field/demands/?export=csv"))
    assert len(exported) == 2
    assert "Name of who raised it" not in exported[0] and "Their mobile number" not in exported[0]
    assert not any("Shamim" in value for row in exported for value in row.values())
    # Reading is not changing.
    assert client.get("/field/demands/new/").status_code == 403
    response = client.post(
        f"/field/demands/{demands['kasur'].pk}/", {"update-status": "submitted", "update-on": TODAY}
    )
    assert response.status_code == 403


def test_the_organiser_sees_who_raised_it_and_exports_it(client, staff, demands):
    client.force_login(staff.lahore)
    html = client.get(f"/field/demands/{demands['kasur'].pk}/").content.decode()
    assert "Shamim Bibi" in html and 'href="tel:+923001234567"' in html
    rows = csv_rows(client.get("/field/demands/?export=csv"))
    assert [(r["Demand"], r["Name of who raised it"], r["Their mobile number"]) for r in rows] == [
        ("Two teachers for GPS Chak 12", "Shamim Bibi", "+923001234567")
    ]
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert (event.user, event.details["rows"]) == (staff.lahore, 1)
    response = client.get("/field/demands/?export=xlsx&category=teachers")
    sheet = load_workbook(io.BytesIO(b"".join(response))).active
    header, *rows = list(sheet.values)
    assert len(rows) == 1
    assert dict(zip(header, rows[0], strict=True))["Their mobile number"] == "+923001234567"


def test_the_list_filters(client, staff, demands):
    kasur = demands["kasur"]
    overdue = record(
        staff.lahore,
        title="Toilets for GBPS Pattoki",
        category=Category.TOILETS,
        follow_up_on=TODAY - timedelta(days=1),
        raised_on=TODAY - timedelta(days=40),
    )
    activity = katchehri(staff.lahore)
    at_katchehri = record(
        staff.lahore,
        title="Textbooks for GPS Khudian",
        category=Category.TEXTBOOKS,
        activity=activity,
        raised_on=activity.start_date,
        resolved_on_the_spot=True,
    )
    services.update_status(demand=kasur, status=Status.REJECTED, user=staff.lahore)
    client.force_login(staff.office)
    cases = {
        "q=pattoki": {overdue.title},
        "category=textbooks": {at_katchehri.title},
        "status=rejected": {kasur.title},
        "state=open": {overdue.title, demands["karachi"].title},
        "state=closed": {kasur.title, at_katchehri.title},
        "overdue=true": {overdue.title},
        # As the dashboard links: several statuses, 1 for yes, resolution dates.
        "status=rejected&status=resolved": {kasur.title, at_katchehri.title},
        "overdue=1": {overdue.title},
        "overdue=false&state=open": {demands["karachi"].title},
        f"resolved_after={activity.start_date}&resolved_before={activity.start_date}": {at_katchehri.title},
        "district=sd-karachi-south": {demands["karachi"].title},
        "province=pb": {kasur.title, overdue.title, at_katchehri.title},
        f"activity={activity.pk}": {at_katchehri.title},
        "on_the_spot=true": {at_katchehri.title},
        "authority=education_officer&published=false&raised_after="
        + (TODAY - timedelta(days=25)).isoformat(): {
            kasur.title,
            at_katchehri.title,
            demands["karachi"].title,
        },
        "raised_before=" + (TODAY - timedelta(days=30)).isoformat(): {overdue.title},
    }
    for query, expected in cases.items():
        assert titles(client.get(f"/field/demands/?{query}")) == expected, query
    # The organiser's district filter offers their districts only.
    client.force_login(staff.lahore)
    html = client.get("/field/demands/").content.decode()
    assert 'value="pb-kasur"' in html and 'value="sd-karachi-south"' not in html


# --- recording a demand -------------------------------------------------------------------------


def test_recording_a_demand_through_the_form(client, staff):
    client.force_login(staff.lahore)
    page = client.get("/field/demands/new/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="pb-kasur"' in html and 'value="sd-karachi-south"' not in html
    response = client.post("/field/demands/new/", form_data())
    demand = Demand.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/field/demands/{demand.pk}/"
    assert (demand.district.code, demand.raised_by_phone.as_e164, demand.organiser) == (
        "pb-kasur",
        "+923007654321",
        staff.lahore,
    )
    assert demand.status == Status.RAISED
    assert list(demand.updates.values_list("status", flat=True)) == [Status.RAISED]


def test_a_demand_outside_the_organisers_region_is_refused_keeping_what_was_typed(client, staff):
    client.force_login(staff.lahore)
    response = client.post("/field/demands/new/", form_data(district="sd-karachi-south"))
    assert response.status_code == 200
    assert not Demand.objects.exists()
    message = field_errors(response, "district")
    assert "Karachi South is outside your regions (Lahore" in message
    html = unescape(response.content.decode())
    assert "Karachi South is outside your regions" in html
    for typed in ("A boundary wall for GGPS Kot Radha Kishan", "Nasreen Akhtar", "0300-7654321", "35110123"):
        assert f'value="{typed}"' in html, typed
    assert "The wall fell in the rains." in html


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"raised_on": (TODAY + timedelta(days=1)).isoformat()}, "raised_on", "cannot be in the future"),
        ({"title": ""}, "title", "Say in a few words"),
        ({"category": ""}, "category", "Choose the category"),
        ({"raised_by_phone": "12345"}, "raised_by_phone", "Enter a mobile number like 0300 1234567"),
        ({"district": "pb-nowhere"}, "district", "not a district we know"),
        ({"resolved_on_the_spot": "on"}, "activity", "resolved at an activity: choose it"),
        (
            {"follow_up_on": (TODAY - timedelta(days=10)).isoformat()},
            "follow_up_on",
            "before the day it was raised",
        ),
    ],
)
def test_each_bad_input_is_told_next_to_its_field(client, staff, changes, field, message):
    client.force_login(staff.lahore)
    response = client.post("/field/demands/new/", form_data(**changes))
    assert response.status_code == 200
    assert message in field_errors(response, field)
    assert not Demand.objects.exists()
    html = unescape(response.content.decode())
    assert message in html
    assert "Nasreen Akhtar" in html


def test_a_place_must_be_inside_the_district(client, staff):
    elsewhere = sub_area("pb-lahore-cantt", Area.Level.TEHSIL, "Lahore Cantt", district("pb-lahore"))
    inside = sub_area("pb-kasur-pattoki", Area.Level.TEHSIL, "Pattoki", district("pb-kasur"))
    client.force_login(staff.lahore)
    page = client.get("/field/demands/new/?district=pb-kasur").content.decode()
    assert "Pattoki tehsil" in page and "Lahore Cantt" not in page
    response = client.post("/field/demands/new/", form_data(place=elsewhere.pk))
    assert "not a tehsil or union council of Kasur" in field_errors(response, "place")
    client.post("/field/demands/new/", form_data(place=inside.pk))
    assert Demand.objects.get().place == inside


def test_the_district_choice_brings_its_places_bodies_and_activities(client, staff):
    sub_area("pb-kasur-pattoki", Area.Level.TEHSIL, "Pattoki", district("pb-kasur"))
    ParentalBody.objects.create(name="Pattoki parents", level="district", district=district("pb-kasur"))
    ParentalBody.objects.create(name="Lahore parents", level="district", district=district("pb-lahore"))
    katchehri(staff.lahore)
    client.force_login(staff.lahore)
    response = client.get("/field/demands/new/?district=pb-kasur&place=&activity=", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'id="place-field" hx-swap-oob="true"' in html
    assert "Pattoki tehsil" in html and "Pattoki parents" in html and "Kuli Katchehri, Kasur" in html
    assert "Lahore parents" not in html
    assert "<html" not in html


def test_from_a_kuli_katchehri_demands_are_added_one_after_another(client, staff):
    activity = katchehri(staff.lahore)
    client.force_login(staff.lahore)
    page = client.get(f"/field/demands/new/?activity={activity.pk}")
    form = page.context["form"]
    assert form["district"].value() == "pb-kasur"
    assert str(form["activity"].value()) == str(activity.pk)
    assert form["raised_on"].value() == activity.start_date
    assert "Raised at" in page.content.decode() and "Save and add another" in page.content.decode()

    first = form_data(
        activity=activity.pk,
        raised_on=activity.start_date.isoformat(),
        resolved_on_the_spot="on",
        on_the_spot_note="The DEO posted a teacher there and then.",
        another="1",
    )
    response = client.post(f"/field/demands/new/?activity={activity.pk}", first)
    assert response.status_code == 302
    assert response["Location"] == f"/field/demands/new/?activity={activity.pk}"
    resolved = Demand.objects.get()
    assert (resolved.status, resolved.resolved_on_the_spot, resolved.resolved_on) == (
        Status.RESOLVED,
        True,
        activity.start_date,
    )
    # The next form starts from the same activity and authority, and lists what is recorded.
    page = client.get(response["Location"])
    assert page.context["form"]["authority_name"].value() == "District Education Officer (Female), Kasur"
    assert "1 demand recorded here so far" in page.content.decode()
    second = form_data(
        title="Water for GGPS Chak 7",
        category=Category.WATER,
        activity=activity.pk,
        raised_on=activity.start_date,
    )
    response = client.post(f"/field/demands/new/?activity={activity.pk}", second)
    other = Demand.objects.get(title="Water for GGPS Chak 7")
    assert response["Location"] == f"/field/demands/{other.pk}/"
    assert other.status == Status.RAISED and other.activity == activity
    assert titles(client.get(f"/field/demands/?activity={activity.pk}")) == {resolved.title, other.title}


def test_an_activity_of_another_region_is_not_offered(client, staff):
    activity = katchehri(staff.karachi, code="sd-karachi-south", title="Kuli Katchehri, Korangi")
    client.force_login(staff.lahore)
    response = client.get(f"/field/demands/new/?activity={activity.pk}")
    assert response.status_code == 200
    assert response.context["form"]["activity"].value() in (None, "")
    assert "not one of your regions' activities" in unescape(response.content.decode())


# --- a demand's page: updates, editing, publishing --------------------------------------------------


def update_data(**overrides):
    data = {
        "update-status": Status.SUBMITTED,
        "update-on": (TODAY - timedelta(days=5)).isoformat(),
        "update-note": "Submitted to the DEO's office with 40 parents' signatures.",
        "update-internal_note": "The clerk asked for a follow-up call next week.",
        "update-evidence_url": "",
    }
    data.update(overrides)
    return data


def test_an_update_moves_the_status_on_with_its_evidence(client, staff):
    demand = record(staff.lahore)
    client.force_login(staff.lahore)
    page = client.get(f"/field/demands/{demand.pk}/")
    offered = [value for value, _label in page.context["form"].fields["status"].choices]
    assert offered == ["", *demand.next_statuses()]
    response = client.post(f"/field/demands/{demand.pk}/", {**update_data(), "update-evidence": png_file()})
    assert response.status_code == 302
    demand.refresh_from_db()
    assert (demand.status, demand.status_on) == (Status.SUBMITTED, TODAY - timedelta(days=5))
    update = demand.updates.get(status=Status.SUBMITTED)
    assert update.evidence.name.endswith(".png")
    html = client.get(f"/field/demands/{demand.pk}/").content.decode()
    assert "Submitted to the DEO&#x27;s office" in html and "The clerk asked" in html
    assert f"/field/demands/updates/{update.pk}/evidence/" in html


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"update-on": (TODAY - timedelta(days=25)).isoformat()}, "on", "a new one cannot be earlier"),
        ({"update-on": (TODAY + timedelta(days=1)).isoformat()}, "on", "cannot be in the future"),
        ({"update-status": Status.RAISED}, "status", "cannot become that"),
        ({"update-status": ""}, "status", "Choose the new status"),
        ({"update-evidence_url": "not a link"}, "evidence_url", "Give a web address"),
    ],
)
def test_a_bad_update_is_told_next_to_its_field_keeping_the_notes(client, staff, changes, field, message):
    demand = record(staff.lahore)
    client.force_login(staff.lahore)
    response = client.post(f"/field/demands/{demand.pk}/", update_data(**changes))
    assert response.status_code == 200
    assert message in field_errors(response, field)
    html = unescape(response.content.decode())
    assert message in html
    assert "Submitted to the DEO's office with 40 parents' signatures." in html
    assert "The clerk asked for a follow-up call next week." in html
    assert demand.updates.count() == 1
    demand.refresh_from_db()
    assert demand.status == Status.RAISED


def test_a_file_that_is_not_a_pdf_or_an_image_is_refused(client, staff):
    demand = record(staff.lahore)
    client.force_login(staff.lahore)
    fake = SimpleUploadedFile("letter.pdf", b"MZ\x90\x00 this is a program", content_type="application/pdf")
    response = client.post(f"/field/demands/{demand.pk}/", {**update_data(), "update-evidence": fake})
    assert response.status_code == 200
    assert "Attach a PDF or a photo" in field_errors(response, "evidence")
    html = unescape(response.content.decode())
    assert "Choose the evidence file again" in html
    assert "Submitted to the DEO's office with 40 parents' signatures." in html
    assert demand.updates.count() == 1
    assert not DemandUpdate.objects.exclude(evidence="").exists()


def test_the_overdue_warning(client, staff):
    demand = record(staff.lahore, follow_up_on=TODAY - timedelta(days=2))
    client.force_login(staff.lahore)
    assert 'id="overdue"' in client.get(f"/field/demands/{demand.pk}/").content.decode()
    services.update_status(demand=demand, status=Status.RESOLVED, user=staff.lahore)
    assert 'id="overdue"' not in client.get(f"/field/demands/{demand.pk}/").content.decode()


def test_editing_a_demand(client, staff):
    demand = record(staff.lahore)
    client.force_login(staff.lahore)
    page = client.get(f"/field/demands/{demand.pk}/edit/")
    assert page.context["form"]["district"].value() in ("pb-kasur", demand.district_id)
    assert 'value="pb-kasur" selected' in page.content.decode()
    data = form_data(title="Three teachers for GPS Chak 12", raised_on=demand.raised_on.isoformat())
    response = client.post(f"/field/demands/{demand.pk}/edit/", data)
    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.title == "Three teachers for GPS Chak 12"
    response = client.post(f"/field/demands/{demand.pk}/edit/", {**data, "district": "sd-karachi-south"})
    assert "outside your regions" in field_errors(response, "district")
    assert 'value="Three teachers for GPS Chak 12"' in response.content.decode()
    demand.refresh_from_db()
    assert demand.district.code == "pb-kasur"


def test_publishing_and_unpublishing(client, staff):
    demand = record(staff.lahore)
    assert client.get(f"/demands/{demand.pk}/").status_code == 404
    client.force_login(staff.lahore)
    response = client.post(f"/field/demands/{demand.pk}/publish/", {"publish": "1"})
    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.is_published
    html = client.get(f"/field/demands/{demand.pk}/").content.decode()
    assert f'href="/demands/{demand.pk}/"' in html
    assert client.get(f"/demands/{demand.pk}/").status_code == 200
    client.post(f"/field/demands/{demand.pk}/publish/", {"publish": "0"})
    demand.refresh_from_db()
    assert not demand.is_published
    client.force_login(staff.karachi)
    assert client.post(f"/field/demands/{demand.pk}/publish/", {"publish": "1"}).status_code == 403
    demand.refresh_from_db()
    assert not demand.is_published


def test_evidence_is_downloaded_only_by_staff_who_may_see_the_demand(client, staff):
    demand = record(staff.lahore)
    update = services.update_status(
        demand=demand, status=Status.SUBMITTED, evidence=png_file(), user=staff.lahore
    )
    url = f"/field/demands/updates/{update.pk}/evidence/"
    assert client.get(url).status_code == 302
    client.force_login(staff.karachi)
    assert client.get(url).status_code == 403
    client.force_login(staff.lahore)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD, user=staff.lahore).count() == 1
    no_file = demand.updates.get(status=Status.RAISED)
    assert client.get(f"/field/demands/updates/{no_file.pk}/evidence/").status_code == 404


# --- statistics -------------------------------------------------------------------------------------


def test_every_statistic_equals_the_list_it_links_to(client, staff):
    activity = katchehri(staff.lahore, day=TODAY - timedelta(days=30))
    record(staff.lahore, activity=activity, raised_on=activity.start_date, resolved_on_the_spot=True)
    slow = record(
        staff.lahore,
        title="Water for GGPS Chak 7",
        category=Category.WATER,
        raised_on=TODAY - timedelta(days=30),
    )
    services.update_status(
        demand=slow, status=Status.RESOLVED, on=TODAY - timedelta(days=10), user=staff.lahore
    )
    record(staff.lahore, title="Toilets", category=Category.TOILETS, district=district("pb-lahore"))
    record(
        staff.lahore,
        title="Late wall",
        category=Category.BOUNDARY_WALL,
        follow_up_on=TODAY - timedelta(days=1),
    )
    record(staff.karachi, title="Korangi school", district=district("sd-karachi-south"))

    client.force_login(staff.lahore)
    response = client.get("/field/demands/statistics/")
    assert response.status_code == 200
    context = response.context
    assert context["total"]["n"] == 4  # Karachi's demand is not the Lahore organiser's
    assert context["resolved"]["n"] == 2 and context["on_the_spot"]["n"] == 1
    assert context["on_the_spot_share"] == 50
    assert (context["average_days"], context["median_days"]) == (10.0, 10.0)
    html = response.content.decode()
    links = re.findall(r'<a href="([^"]+)" class="stat-link">(\d+)</a>', html)
    assert len(links) >= 10
    for url, number in links:
        listed = client.get(unescape(url))
        assert listed.context["table"].paginator.count == int(number), url

    # With a filter, the figures and their lists narrow together.
    response = client.get("/field/demands/statistics/?district=pb-kasur")
    assert response.context["total"]["n"] == 3
    for url, number in re.findall(
        r'<a href="([^"]+)" class="stat-link">(\d+)</a>', response.content.decode()
    ):
        assert "district=pb-kasur" in url
        assert client.get(unescape(url)).context["table"].paginator.count == int(number), url


def test_the_statistics_answer_htmx_with_the_figures_only(client, staff):
    record(staff.lahore)
    client.force_login(staff.lahore)
    html = client.get("/field/demands/statistics/?category=teachers", HTTP_HX_REQUEST="true").content.decode()
    assert html.lstrip().startswith('<div id="results">') and "<html" not in html


# --- parental bodies ----------------------------------------------------------------------------------


def body_data(**overrides):
    data = {
        "name": "Kasur district parents' committee",
        "name_ur": "",
        "level": ParentalBody.Level.DISTRICT,
        "district": "pb-kasur",
        "union_council": "",
        "partner_name": "Punjab Rural Support Programme",
        "formed_on": (TODAY - timedelta(days=100)).isoformat(),
        "is_active": "on",
        "notes": "Meets on the first Monday.",
    }
    data.update(overrides)
    return data


def test_creating_a_parental_body_and_its_partner(client, staff):
    client.force_login(staff.lahore)
    response = client.post("/field/parental-bodies/new/", body_data())
    body = ParentalBody.objects.get()
    assert response["Location"] == f"/field/parental-bodies/{body.pk}/"
    assert body.partner.name == "Punjab Rural Support Programme"
    client.post(
        f"/field/parental-bodies/{body.pk}/edit/",
        body_data(name="Kasur parents", partner_name="punjab rural support programme"),
    )
    body.refresh_from_db()
    assert body.name == "Kasur parents"
    assert body.partner.name == "Punjab Rural Support Programme"


def test_a_union_council_body_needs_a_union_council_of_its_district(client, staff):
    from muhim.partners.models import Organisation

    tehsil = sub_area("pb-kasur-kasur", Area.Level.TEHSIL, "Kasur", district("pb-kasur"))
    uc = sub_area("pb-kasur-kasur-uc-12", Area.Level.UNION_COUNCIL, "UC 12", tehsil)
    lahore_tehsil = sub_area("pb-lahore-city", Area.Level.TEHSIL, "Lahore City", district("pb-lahore"))
    lahore_uc = sub_area("pb-lahore-city-uc-1", Area.Level.UNION_COUNCIL, "UC 1", lahore_tehsil)
    client.force_login(staff.lahore)
    response = client.post(
        "/field/parental-bodies/new/", body_data(level="union_council", partner_name="New NGO")
    )
    assert "needs its union council" in field_errors(response, "union_council")
    assert 'value="Kasur district parents&#x27; committee"' in response.content.decode()
    # Nothing half-written: the partner typed is not added when the body is refused.
    assert not Organisation.objects.filter(name="New NGO").exists()
    response = client.post(
        "/field/parental-bodies/new/", body_data(level="union_council", union_council=lahore_uc.pk)
    )
    assert "not a tehsil or union council of Kasur" in field_errors(response, "union_council")
    response = client.post("/field/parental-bodies/new/", body_data(district="sd-karachi-south"))
    assert "outside your regions" in field_errors(response, "district")
    assert not ParentalBody.objects.exists()
    response = client.post(
        "/field/parental-bodies/new/", body_data(level="union_council", union_council=uc.pk)
    )
    assert response.status_code == 302
    assert ParentalBody.objects.get().union_council == uc


def test_parental_bodies_are_listed_and_filtered_by_region(client, staff):
    kasur = services.save_body(
        body=ParentalBody(name="Kasur parents", level="district", district=district("pb-kasur")),
        user=staff.lahore,
    )
    services.save_body(
        body=ParentalBody(name="Korangi parents", level="district", district=district("sd-karachi-south")),
        user=staff.karachi,
    )
    services.save_member(
        member=ParentalBodyMember(body=kasur, name="Rukhsana", role="chair"), user=staff.lahore
    )
    client.force_login(staff.lahore)
    response = client.get("/field/parental-bodies/")
    rows = [(row.record.name, row.record.member_count) for row in response.context["table"].rows]
    assert rows == [("Kasur parents", 1)]
    client.force_login(staff.office)
    assert {
        r.record.name
        for r in client.get("/field/parental-bodies/?district=sd-karachi-south").context["table"].rows
    } == {"Korangi parents"}
    assert not client.get("/field/parental-bodies/?active=false").context["table"].rows
    assert len(client.get("/field/parental-bodies/?level=district").context["table"].rows) == 2
    client.force_login(staff.lahore)
    korangi = ParentalBody.objects.get(name="Korangi parents")
    response = client.get(f"/field/parental-bodies/{korangi.pk}/")
    assert response.status_code == 403 and "outside your regions" in unescape(response.content.decode())


@pytest.fixture
def body(staff):
    body = services.save_body(
        body=ParentalBody(name="Kasur parents", level="district", district=district("pb-kasur")),
        user=staff.lahore,
    )
    services.save_member(
        member=ParentalBodyMember(body=body, name="Rukhsana Kausar", role="chair", phone="+923331234567"),
        user=staff.lahore,
    )
    return body


def test_members_names_are_for_the_regions_staff_and_phones_for_those_who_may_see_personal_data(
    client, staff, body
):
    url = f"/field/parental-bodies/{body.pk}/"
    client.force_login(staff.lahore)
    html = client.get(url).content.decode()
    assert "Rukhsana Kausar" in html and "0333 1234567" in html
    client.force_login(staff.specialist)
    html = client.get(url).content.decode()
    assert "Rukhsana Kausar" in html and "Chair" in html
    assert "0333 1234567" not in html and "+923331234567" not in html
    assert "Add a member" not in html
    assert (
        client.post(url, {"action": "member", "member-name": "X", "member-role": "member"}).status_code == 403
    )
    client.force_login(staff.karachi)
    assert client.get(url).status_code == 403


def test_adding_editing_and_leaving_members(client, staff, body):
    url = f"/field/parental-bodies/{body.pk}/"
    client.force_login(staff.lahore)
    response = client.post(
        url,
        {
            "action": "member",
            "member-name": "Parveen Akhtar",
            "member-role": "secretary",
            "member-sex": "female",
            "member-phone": "0300 111 2222",
            "member-joined_on": (TODAY - timedelta(days=10)).isoformat(),
            "member-left_on": (TODAY - timedelta(days=20)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "cannot leave before joining" in " ".join(response.context["member_form"].errors["left_on"])
    assert 'value="Parveen Akhtar"' in response.content.decode()
    response = client.post(
        url,
        {
            "action": "member",
            "member-name": "Parveen Akhtar",
            "member-role": "secretary",
            "member-phone": "0300 111 2222",
            "member-phone_typo": "",
        },
    )
    assert response.status_code == 302
    member = body.members.get(name="Parveen Akhtar")
    assert member.phone.as_e164 == "+923001112222"
    response = client.post(
        f"/field/parental-bodies/members/{member.pk}/edit/",
        {"member-name": "Parveen Akhtar", "member-role": "treasurer", "member-phone": "0300 111 2222"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.role == "treasurer"
    client.post(url, {"action": "leave", "member": member.pk})
    member.refresh_from_db()
    assert member.left_on == TODAY
    assert client.get(url).context["members"][-1] == member  # former members come last


def test_meetings_are_logged_or_attached(client, staff, body):
    meeting = katchehri(
        staff.lahore, kind=ActivityType.PARENTAL_BODY_MEETING, title="Committee meeting, March"
    )
    katchehri(staff.lahore, kind=ActivityType.SEMINAR, title="A seminar")
    elsewhere = katchehri(
        staff.lahore, code="pb-lahore", kind=ActivityType.PARENTAL_BODY_MEETING, title="Lahore meeting"
    )
    url = f"/field/parental-bodies/{body.pk}/"
    client.force_login(staff.lahore)
    html = unescape(client.get(url).content.decode())
    assert f"/field/activities/new/?kind=parental_body_meeting&district=pb-kasur&body={body.pk}" in html
    assert "Committee meeting, March" in html and "A seminar" not in html and "Lahore meeting" not in html
    response = client.post(url, {"action": "meeting", "meeting-activity": elsewhere.pk})
    assert "Choose one of the parental body meetings of this district" in " ".join(
        response.context["meeting_form"].errors["activity"]
    )
    response = client.post(url, {"action": "meeting", "meeting-activity": meeting.pk})
    assert response.status_code == 302
    assert list(body.meetings.all()) == [meeting]
    assert f'href="/field/activities/{meeting.pk}/"' in client.get(url).content.decode()


def test_the_demands_a_body_carries(client, staff, body):
    record(staff.lahore, parental_body=body)
    record(staff.lahore, title="Unrelated")
    client.force_login(staff.lahore)
    html = client.get(f"/field/parental-bodies/{body.pk}/").content.decode()
    assert f'href="/field/demands/?parental_body={body.pk}"' in html and "1 demand" in html
    assert titles(client.get(f"/field/demands/?parental_body={body.pk}")) == {"Two teachers for GPS Chak 12"}
    page = client.get(f"/field/demands/new/?district=pb-kasur&parental_body={body.pk}")
    assert str(page.context["form"]["parental_body"].value()) == str(body.pk)


# --- Urdu and phones ------------------------------------------------------------------------------


def test_the_staff_pages_work_in_urdu(client, staff, body):
    demand = record(staff.lahore, parental_body=body)
    client.force_login(staff.lahore)
    for url in (
        "/ur/field/demands/",
        "/ur/field/demands/new/",
        f"/ur/field/demands/{demand.pk}/",
        f"/ur/field/demands/{demand.pk}/edit/",
        "/ur/field/demands/statistics/",
        "/ur/field/parental-bodies/",
        f"/ur/field/parental-bodies/{body.pk}/",
        "/ur/field/parental-bodies/new/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="ur" dir="rtl">' in response.content.decode(), url


def test_the_admin_shows_demands_with_their_history_read_only(client, staff, make_user, body):
    demand = record(staff.lahore, parental_body=body)
    services.update_status(demand=demand, status=Status.SUBMITTED, evidence=png_file(), user=staff.lahore)
    client.force_login(make_user("administrator", is_staff=True, is_superuser=True))
    for url in (
        "/admin/demands/demand/",
        f"/admin/demands/demand/{demand.pk}/change/",
        "/admin/demands/parentalbody/",
        f"/admin/demands/parentalbody/{body.pk}/change/",
        "/admin/demands/demandstat/",
        "/admin/demands/demanddistrictstat/",
    ):
        assert client.get(url).status_code == 200, url
    html = client.get(f"/admin/demands/demand/{demand.pk}/change/").content.decode()
    assert "/field/demands/updates/" in html and "Submitted to the authority" in html
    assert client.get("/admin/demands/demand/add/").status_code == 403
