"""The staff pages of field activities: who sees and changes what, logging and editing through
the forms (bad input is named next to its field and nothing typed is lost), an activity's
page and its small forms, caravans and their route, the list's filters and exports."""

import csv
import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from muhim.activities import services
from muhim.activities.models import Activity, ActivityStat, ActivityType
from muhim.activities.tests.factories import DemandFactory, district
from muhim.activities.tests.test_photos import jpeg
from muhim.core.models import AuditEvent
from muhim.partners.models import Organisation

pytestmark = pytest.mark.django_db


def activity_in(code="pb-kasur", *, user=None, **fields):
    values = {
        "kind": ActivityType.KULI_KATCHEHRI,
        "title": "Kuli Katchehri with the DEO",
        "start_date": date(2026, 11, 12),
        "district": district(code),
        "status": Activity.Status.PLANNED,
    }
    values.update(fields)
    return services.save_activity(activity=Activity(**values), user=user)


def form_data(**overrides):
    data = {
        "kind": ActivityType.KULI_KATCHEHRI,
        "title": "Kuli Katchehri at GGHS Pattoki",
        "title_ur": "کھلی کچہری",
        "status": Activity.Status.HELD,
        "start_date": "2026-11-12",
        "end_date": "",
        "start_time": "10:00",
        "end_time": "13:00",
        "district": "pb-kasur",
        "venue": "Government Girls High School, Pattoki",
        "women": "40",
        "men": "25",
        "girls": "12",
        "boys": "",
        "attendance_count": Activity.Count.COUNTED,
        "outcomes": "The DEO promised two teachers.",
        "follow_up": "Ask the DEO in a month.",
        "follow_up_on": "2026-12-12",
        "new_partners": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def names(response):
    return {row.record.title for row in response.context["table"].rows}


def html(response):
    return response.content.decode()


# --- who sees what ----------------------------------------------------------------------------


def test_an_organiser_lists_only_their_regions_activities(client, staff):
    activity_in("pb-kasur", title="Kasur seminar")
    activity_in("pb-lahore", title="Lahore theatre")
    activity_in("sd-karachi-south", title="Karachi jirga")
    client.force_login(staff.lahore)
    response = client.get("/field/activities/")
    assert response.status_code == 200
    assert names(response) == {"Kasur seminar", "Lahore theatre"}
    assert "2 activities" in html(response)
    assert "Karachi jirga" not in html(response)
    client.force_login(staff.office)
    assert names(client.get("/field/activities/")) == {"Kasur seminar", "Lahore theatre", "Karachi jirga"}


def test_another_regions_activity_is_refused_with_the_reason(client, staff):
    karachi = activity_in("sd-karachi-south")
    client.force_login(staff.lahore)
    for url in (f"/field/activities/{karachi.pk}/", f"/field/activities/{karachi.pk}/edit/"):
        response = client.get(url)
        assert response.status_code == 403
        assert "This activity is in Karachi South, outside your regions" in html(response)
    response = client.post(f"/field/activities/{karachi.pk}/", {"action": "status", "status": "held"})
    assert response.status_code == 403
    karachi.refresh_from_db()
    assert karachi.status == Activity.Status.PLANNED
    assert client.get("/field/activities/999999/").status_code == 404


def test_a_partner_reads_activities_but_cannot_log_or_change_them(client, staff):
    activity = activity_in()
    client.force_login(staff.partner)
    assert client.get("/field/activities/").status_code == 200
    page = client.get(f"/field/activities/{activity.pk}/")
    assert page.status_code == 200
    assert "Kuli Katchehri with the DEO" in html(page)
    assert 'name="action"' not in html(page) and "/edit/" not in html(page)
    assert "Log an activity" not in html(client.get("/field/activities/"))
    refused = client.get("/field/activities/new/")
    assert refused.status_code == 403
    assert "can read activities but not log or change them" in html(refused)
    assert client.post("/field/activities/new/", form_data()).status_code == 403
    assert client.get(f"/field/activities/{activity.pk}/edit/").status_code == 403
    post = client.post(
        f"/field/activities/{activity.pk}/",
        {"action": "official", "official-name": "X", "official-kind": "other"},
    )
    assert post.status_code == 403
    assert not activity.officials.exists()
    assert Activity.objects.count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(client, staff):
    activity = activity_in()
    for url in ("/field/activities/", "/field/activities/new/", f"/field/activities/{activity.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_accounts_without_a_role_are_refused(client, make_user, staff):
    client.force_login(make_user(""))
    assert client.get("/field/activities/").status_code == 403


# --- logging an activity ----------------------------------------------------------------------


def test_an_organiser_logs_a_kuli_katchehri_through_the_form(client, staff):
    known = Organisation.objects.create(name="Rural Support Programmes Network", abbreviation="RSPN")
    client.force_login(staff.lahore)
    page = client.get("/field/activities/new/?kind=kuli_katchehri")
    assert 'value="pb-kasur"' in html(page) and "sd-karachi-south" not in html(page)
    assert 'inputmode="numeric"' in html(page)
    # An organiser is the organiser unless they choose another.
    assert f'<option value="{staff.lahore.pk}" selected>' in html(page)
    response = client.post(
        "/field/activities/new/",
        form_data(
            partners=[known.pk], new_partners="rspn, Idara-e-Taleem-o-Aagahi", organiser=staff.lahore.pk
        ),
    )
    activity = Activity.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/field/activities/{activity.pk}/"
    assert (activity.kind, activity.district.code, activity.created_by) == (
        ActivityType.KULI_KATCHEHRI,
        "pb-kasur",
        staff.lahore,
    )
    assert (activity.women, activity.men, activity.girls, activity.boys, activity.attendance) == (
        40,
        25,
        12,
        None,
        77,
    )
    assert activity.organiser == staff.lahore
    # RSPN typed again by its abbreviation is the one already known; the new one is created.
    assert sorted(p.name for p in activity.partners.all()) == [
        "Idara-e-Taleem-o-Aagahi",
        "Rural Support Programmes Network",
    ]
    assert Organisation.objects.count() == 2
    assert ActivityStat.objects.get(kind=ActivityType.KULI_KATCHEHRI, status="held").women == 40
    detail = client.get(response["Location"])
    assert "The activity was logged." in html(detail)
    assert "77" in html(detail) and "Idara-e-Taleem-o-Aagahi" in html(detail)


def test_urdu_digits_count_as_numbers(client, staff):
    client.force_login(staff.lahore)
    client.post("/field/activities/new/", form_data(women="۴۰", men="٢٥"))
    assert (Activity.objects.get().women, Activity.objects.get().men) == (40, 25)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"start_date": "2026-11-12", "end_date": "2026-11-10"},
            "end_date",
            "The activity cannot end before it starts",
        ),
        ({"women": "-3"}, "women", "Attendance cannot be negative"),
        ({"girls": "many"}, "girls", "Write a whole number"),
        ({"district": "sd-karachi-south"}, "district", "Karachi South is outside your regions (Lahore)"),
        ({"district": ""}, "district", "Choose the district where it takes place."),
        ({"title": "  "}, "title", "Give the activity a title."),
        ({"start_time": "14:00", "end_time": "11:00"}, "end_time", "end time must be after the start time"),
    ],
)
def test_bad_input_is_named_next_to_its_field_and_nothing_typed_is_lost(
    client, staff, overrides, field, message
):
    client.force_login(staff.lahore)
    response = client.post("/field/activities/new/", form_data(**overrides))
    assert response.status_code == 200
    assert not Activity.objects.exists()
    form = response.context["form"]
    assert any(message in error for error in form.errors[field])
    page = html(response)
    assert message in page
    assert "everything you typed is still here" in page
    # What was typed comes back.
    assert 'value="Government Girls High School, Pattoki"' in page
    assert "The DEO promised two teachers." in page
    assert 'value="کھلی کچہری"' in page
    typed = form_data(**overrides)
    for name in ("title", "women", "men", "girls", "district", "start_date", "end_date", "follow_up_on"):
        assert form[name].value() == typed[name]
    if typed["women"]:
        assert f'value="{typed["women"]}"' in page


def test_a_failed_submission_with_photos_says_to_choose_them_again(client, staff):
    client.force_login(staff.lahore)
    response = client.post("/field/activities/new/", {**form_data(women="-1"), "photos": [jpeg()]})
    assert response.status_code == 200
    assert "choose the photos again" in html(response)
    assert not Activity.objects.exists()


def test_an_organiser_edits_their_activity_and_a_refused_change_keeps_the_heading(client, staff):
    activity = activity_in(title="Seminar on enrolment", kind=ActivityType.SEMINAR)
    client.force_login(staff.lahore)
    page = client.get(f"/field/activities/{activity.pk}/edit/")
    assert 'value="Seminar on enrolment"' in html(page)
    assert '<option value="pb-kasur" selected>' in html(page)
    refused = client.post(
        f"/field/activities/{activity.pk}/edit/",
        form_data(kind="seminar", title="Moved seminar", district="sd-karachi-south"),
    )
    assert refused.status_code == 200
    assert "outside your regions" in html(refused)
    assert "Edit Seminar on enrolment" in html(refused)
    assert 'value="Moved seminar"' in html(refused)
    saved = client.post(
        f"/field/activities/{activity.pk}/edit/",
        form_data(kind="seminar", title="Seminar on girls' enrolment"),
    )
    assert saved.status_code == 302
    activity.refresh_from_db()
    assert (activity.title, activity.women, activity.status) == ("Seminar on girls' enrolment", 40, "held")


def test_the_tehsil_choices_follow_the_district(client, staff):
    from muhim.activities.tests.factories import sub_area
    from muhim.geography.models import Area

    pattoki = sub_area("pb-kasur-pattoki", Area.Level.TEHSIL, "Pattoki", district("pb-kasur"))
    client.force_login(staff.lahore)
    fragment = client.get("/field/activities/new/?district=pb-kasur", headers={"HX-Request": "true"})
    assert 'id="place-field"' in html(fragment) and "Pattoki" in html(fragment)
    assert "<html" not in html(fragment)
    other = client.get("/field/activities/new/?district=pb-lahore", headers={"HX-Request": "true"})
    assert "Pattoki" not in html(other)
    client.post("/field/activities/new/", form_data(place=pattoki.pk))
    assert Activity.objects.get().place == pattoki
    wrong = client.post("/field/activities/new/", form_data(district="pb-lahore", place=pattoki.pk))
    assert wrong.status_code == 200 and Activity.objects.count() == 1


@pytest.mark.parametrize("url", ["/ur/field/activities/", "/ur/field/activities/new/"])
def test_the_pages_work_in_urdu(client, staff, url):
    client.force_login(staff.lahore)
    response = client.get(url)
    assert response.status_code == 200
    assert '<html lang="ur" dir="rtl">' in html(response)


# --- an activity's page -----------------------------------------------------------------------


def test_the_page_of_a_kuli_katchehri_shows_what_happened_and_the_demands_raised(client, staff):
    activity = activity_in(women=40, men=25, outcomes="Two teachers promised.")
    demand = DemandFactory(activity=activity, title="Two teachers for GPS Chak 12")
    DemandFactory(title="Raised elsewhere")
    services.add_official(activity=activity, kind="elected", name="Rana Asif", designation="MPA, PP-180")
    services.add_coverage(
        activity=activity, outlet="Daily Jang, Lahore", date=date(2026, 11, 13), url="https://jang.example/1"
    )
    client.force_login(staff.lahore)
    page = html(client.get(f"/field/activities/{activity.pk}/"))
    assert "Who parents met" in page and "Rana Asif" in page and "MPA, PP-180" in page
    assert "Daily Jang, Lahore" in page and 'href="https://jang.example/1"' in page
    assert "Two teachers promised." in page and "<strong>65</strong>" in page
    assert f'href="{demand.get_absolute_url()}"' in page and "Raised elsewhere" not in page
    assert f'href="/field/demands/new/?activity={activity.pk}"' in page
    urdu = client.get(f"/ur/field/activities/{activity.pk}/")
    assert urdu.status_code == 200 and 'dir="rtl"' in html(urdu)


def test_a_partner_sees_no_demands_section(client, staff):
    activity = activity_in()
    DemandFactory(activity=activity, title="Boundary wall")
    client.force_login(staff.partner)
    assert "Boundary wall" not in html(client.get(f"/field/activities/{activity.pk}/"))


def test_officials_are_added_by_htmx_and_by_a_plain_post(client, staff):
    activity = activity_in()
    client.force_login(staff.lahore)
    url = f"/field/activities/{activity.pk}/"
    data = {
        "action": "official",
        "official-kind": "education",
        "official-name": "Shazia Malik",
        "official-designation": "District Education Officer (Female), Kasur",
    }
    fragment = client.post(url, data, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in html(fragment) and 'id="officials"' in html(fragment)
    assert "Shazia Malik was added to the officials present." in html(fragment)
    plain = client.post(url, {**data, "official-name": "Rana Asif", "official-kind": "elected"})
    assert plain.status_code == 302 and plain["Location"].endswith("#officials")
    assert sorted(activity.officials.values_list("name", flat=True)) == ["Rana Asif", "Shazia Malik"]
    # A missing name is asked for, and the office typed stays.
    missing = client.post(url, {**data, "official-name": ""}, headers={"HX-Request": "true"})
    assert "Write their name." in html(missing)
    assert 'value="District Education Officer (Female), Kasur"' in html(missing)
    assert activity.officials.count() == 2


def test_media_coverage_is_added_and_a_bad_link_is_named(client, staff):
    activity = activity_in()
    client.force_login(staff.lahore)
    url = f"/field/activities/{activity.pk}/"
    data = {
        "action": "coverage",
        "coverage-outlet": "Dawn",
        "coverage-medium": "print",
        "coverage-date": "2026-11-13",
        "coverage-headline": "Parents meet the DEO",
        "coverage-url": "not a link",
    }
    bad = client.post(url, data)
    assert bad.status_code == 200 and "Give the full link" in html(bad)
    assert 'value="Parents meet the DEO"' in html(bad)
    assert not activity.coverage.exists()
    client.post(url, {**data, "coverage-url": "https://www.dawn.com/news/1"})
    assert activity.coverage.get().headline == "Parents meet the DEO"


def test_the_status_changes_from_planned_to_held(client, staff):
    activity = activity_in()
    client.force_login(staff.lahore)
    response = client.post(
        f"/field/activities/{activity.pk}/", {"action": "status", "status": "held"}, follow=True
    )
    activity.refresh_from_db()
    assert activity.status == Activity.Status.HELD
    assert "Marked as held" in html(response)
    assert ActivityStat.objects.get(status="held").activities == 1
    assert not ActivityStat.objects.filter(status="planned").exists()
    client.post(f"/field/activities/{activity.pk}/", {"action": "status", "status": "cancelled"})
    activity.refresh_from_db()
    assert activity.status == Activity.Status.CANCELLED


# --- caravans ---------------------------------------------------------------------------------


CARAVAN_CODES = ["pb-lahore", "pb-kasur", "pb-sheikhupura", "pb-nankana-sahib"]


@pytest.fixture
def caravan(staff):
    caravan = activity_in(
        "pb-lahore",
        kind=ActivityType.CARAVAN,
        title="Taleemi Caravan",
        start_date=date(2026, 11, 1),
        end_date=date(2026, 11, 10),
        user=staff.office,
    )
    for day, code in enumerate(CARAVAN_CODES):
        services.add_stop(
            caravan=caravan, date=date(2026, 11, 1) + timedelta(days=day), district=district(code)
        )
    return caravan


def test_the_caravan_page_lists_its_stops_progress_and_totals(client, staff, caravan):
    first = caravan.stops.get(sequence=1)
    services.log_stop_activity(
        stop=first,
        activity=Activity(kind=ActivityType.THEATRE, title="Puppet show", status="held", women=30, girls=50),
    )
    client.force_login(staff.lahore)
    response = client.get(f"/field/activities/{caravan.pk}/")
    page = html(response)
    assert "1 of 4 stops held" in page and "4 districts in 4 days" in page
    assert 'id="caravan-attendance">80<' in page
    assert page.index("Lahore") < page.index("Sheikhupura") < page.index("Nankana Sahib")
    assert 'data-style="route"' in page and f'data-url="/field/activities/{caravan.pk}/route.geojson"' in page
    assert page.count("Log what happened at this stop") == 3
    assert f'href="{first.activity.get_absolute_url()}"' in page
    # The stop's own page points back to the caravan.
    stop_page = html(client.get(first.activity.get_absolute_url()))
    assert "Stop 1 of the caravan" in stop_page


def test_stops_are_added_inserted_edited_and_removed(client, staff, caravan):
    client.force_login(staff.office)
    url = f"/field/activities/{caravan.pk}/"
    added = client.post(
        url,
        {"action": "add-stop", "stop-date": "2026-11-02", "stop-district": "pb-okara", "stop-sequence": "2"},
        headers={"HX-Request": "true"},
    )
    assert "Stop 2, Okara, was added." in html(added)
    assert added["HX-Trigger"] == "muhim:route-changed"
    assert [s.district.code for s in caravan.stops.order_by("sequence")] == [
        "pb-lahore",
        "pb-okara",
        "pb-kasur",
        "pb-sheikhupura",
        "pb-nankana-sahib",
    ]
    late = client.post(url, {"action": "add-stop", "stop-date": "2026-12-25", "stop-district": "pb-okara"})
    assert late.status_code == 200 and "date is outside it" in html(late)
    assert 'value="2026-12-25"' in html(late)
    stop = caravan.stops.get(sequence=3)
    edit_url = f"/field/activities/{caravan.pk}/stops/{stop.pk}/edit/"
    assert (
        client.post(
            edit_url, {"stop-date": "2026-11-03", "stop-district": "pb-kasur", "stop-venue": "Town hall"}
        ).status_code
        == 302
    )
    stop.refresh_from_db()
    assert stop.venue == "Town hall"
    removed = client.post(url, {"action": "remove-stop", "stop": caravan.stops.get(sequence=2).pk})
    assert removed.status_code == 302
    assert list(caravan.stops.order_by("sequence").values_list("sequence", "district__code")) == [
        (1, "pb-lahore"),
        (2, "pb-kasur"),
        (3, "pb-sheikhupura"),
        (4, "pb-nankana-sahib"),
    ]
    client.post(edit_url, {"action": "remove"})
    assert caravan.stops.count() == 3


def test_an_organiser_cannot_add_a_stop_outside_their_region(client, staff, caravan):
    client.force_login(staff.lahore)
    response = client.post(
        f"/field/activities/{caravan.pk}/",
        {"action": "add-stop", "stop-date": "2026-11-06", "stop-district": "pb-multan"},
    )
    assert "Multan is outside your regions (Lahore)" in html(response)
    assert caravan.stops.count() == 4


def test_what_happened_at_a_stop_is_logged_from_its_own_form(client, staff, caravan):
    stop = caravan.stops.get(sequence=2)
    client.force_login(staff.lahore)
    url = f"/field/activities/{caravan.pk}/stops/{stop.pk}/log/"
    page = client.get(url)
    assert '<option value="pb-kasur" selected>' in html(page) and 'value="2026-11-02"' in html(page)
    bad = client.post(
        url, form_data(kind="theatre", title="Theatre at stop 2", boys="-2", start_date="2026-11-02")
    )
    assert "Attendance cannot be negative" in html(bad)
    stop.refresh_from_db()
    assert stop.activity is None
    done = client.post(url, form_data(kind="theatre", title="Theatre at stop 2", start_date="2026-11-02"))
    assert done.status_code == 302 and done["Location"].endswith(f"/field/activities/{caravan.pk}/#itinerary")
    stop.refresh_from_db()
    assert (stop.activity.title, stop.activity.district.code, stop.is_held) == (
        "Theatre at stop 2",
        "pb-kasur",
        True,
    )
    assert "1 of 4 stops held" in html(client.get(f"/field/activities/{caravan.pk}/"))
    again = client.get(url)
    assert again.status_code == 302 and again["Location"] == stop.activity.get_absolute_url()


def test_the_route_geojson_lists_the_stops_in_stop_order(client, staff, caravan):
    # A stop inserted first: the order is the sequence, not the order stops were added in.
    services.add_stop(caravan=caravan, date=date(2026, 11, 1), district=district("pb-okara"), sequence=1)
    client.force_login(staff.lahore)
    response = client.get(f"/field/activities/{caravan.pk}/route.geojson")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert "private" in response["Cache-Control"]
    features = response.json()["features"]
    points = [f for f in features if f["geometry"]["type"] == "Point"]
    lines = [f for f in features if f["geometry"]["type"] == "LineString"]
    order = ["pb-okara", *CARAVAN_CODES]
    assert [p["properties"]["sequence"] for p in points] == [1, 2, 3, 4, 5]
    assert [p["properties"]["district"] for p in points] == order
    assert len(lines) == 1 and lines[0]["properties"]["kind"] == "route"
    expected = [[float(district(c).centroid_lon), float(district(c).centroid_lat)] for c in order]
    assert lines[0]["geometry"]["coordinates"] == expected
    assert points[0]["properties"]["held"] is False and points[0]["properties"]["label"] == "1. Okara"


def test_the_route_of_a_private_caravan_is_staff_only_and_a_public_one_links_only_public_pages(
    client, staff, caravan
):
    stop = caravan.stops.get(sequence=1)
    services.log_stop_activity(
        stop=stop, activity=Activity(kind=ActivityType.RALLY, title="Rally", status="held")
    )
    url = f"/field/activities/{caravan.pk}/route.geojson"
    assert client.get(url).status_code == 404
    caravan.is_public = True
    services.save_activity(activity=caravan)
    public = client.get(url)
    assert public.status_code == 200 and "public" in public["Cache-Control"]
    assert all("/field/" not in (f["properties"].get("url") or "") for f in public.json()["features"])
    client.force_login(staff.karachi)  # staff elsewhere see it as the public does
    assert client.get(url).status_code == 200
    assert (
        client.get(f"/field/activities/{activity_in().pk}/route.geojson").status_code == 404
    )  # not a caravan


# --- the list: filters and exports ------------------------------------------------------------


@pytest.fixture
def many(staff):
    return {
        "seminar": activity_in(
            "pb-kasur",
            kind="seminar",
            title="Seminar on enrolment",
            start_date=date(2026, 10, 5),
            is_public=True,
        ),
        "theatre": activity_in(
            "pb-lahore",
            kind="theatre",
            title="Puppet show",
            venue="Alhamra hall",
            start_date=date(2026, 11, 20),
            status="held",
            women=12,
            organiser=staff.lahore,
        ),
        "karachi": activity_in(
            "sd-karachi-south",
            kind="jirga",
            title="Karachi jirga",
            start_date=date(2026, 11, 1),
            organiser=staff.karachi,
        ),
        "long": activity_in(
            "pb-sheikhupura",
            kind="training",
            title="Training week",
            start_date=date(2026, 10, 28),
            end_date=date(2026, 11, 3),
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "alhamra"}, {"Puppet show"}),
        ({"q": "enrolment"}, {"Seminar on enrolment"}),
        ({"kind": "theatre"}, {"Puppet show"}),
        ({"status": "held"}, {"Puppet show"}),
        ({"province": "sd"}, {"Karachi jirga"}),
        ({"district": "pb-kasur"}, {"Seminar on enrolment"}),
        ({"is_public": "true"}, {"Seminar on enrolment"}),
        ({"is_public": "false"}, {"Puppet show", "Karachi jirga", "Training week"}),
        ({"date_from": "2026-11-01"}, {"Puppet show", "Karachi jirga", "Training week"}),
        ({"date_to": "2026-10-31"}, {"Seminar on enrolment", "Training week"}),
        ({"date_from": "2026-11-02", "date_to": "2026-11-30"}, {"Puppet show", "Training week"}),
    ],
)
def test_the_list_filters(client, staff, many, query, expected):
    client.force_login(staff.office)
    response = client.get("/field/activities/", query)
    assert names(response) == expected


def test_the_organiser_filter_offers_the_organisers_of_activities_one_may_see(client, staff, many):
    client.force_login(staff.lahore)
    response = client.get("/field/activities/", {"organiser": staff.lahore.pk})
    assert names(response) == {"Puppet show"}
    choices = [str(c[1]) for c in response.context["filter"].form.fields["organiser"].choices]
    assert "rco-karachi" not in choices
    # The Karachi division is not offered to the Lahore organiser.
    assert "sd-karachi-south" not in html(client.get("/field/activities/"))


def test_htmx_filtering_returns_only_the_results(client, staff, many):
    client.force_login(staff.office)
    response = client.get("/field/activities/", {"kind": "jirga"}, headers={"HX-Request": "true"})
    assert 'id="results"' in html(response) and "<html" not in html(response)
    assert "1 activity" in html(response)


def test_the_filtered_rows_export_as_csv_and_xlsx_and_are_audited(client, staff, many):
    client.force_login(staff.lahore)
    response = client.get("/field/activities/", {"status": "held", "export": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response).decode("utf-8-sig"))))
    assert [r["Activity"] for r in rows] == ["Puppet show"]
    assert rows[0]["Women"] == "12" and rows[0]["Venue"] == "Alhamra hall" and rows[0]["Type"] == "theatre"
    assert rows[0]["District"] == "Lahore" and rows[0]["Province"] == "Punjab"
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.subject == "activities" and event.details["rows"] == 1
    xlsx = client.get("/field/activities/", {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(xlsx))).active
    titles = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert titles == {"Seminar on enrolment", "Puppet show", "Training week"}  # not Karachi's


# --- the admin --------------------------------------------------------------------------------


def test_the_admin_keeps_the_dashboards_figures_when_it_deletes_an_activity(admin_client, staff):
    activity = activity_in(women=10)
    services.add_photo(activity=activity, uploaded=jpeg())
    assert admin_client.get("/admin/activities/activity/").status_code == 200
    assert admin_client.get(f"/admin/activities/activity/{activity.pk}/change/").status_code == 200
    assert admin_client.get("/admin/activities/activity/add/").status_code == 200
    assert admin_client.get("/admin/activities/activitystat/").status_code == 200
    assert ActivityStat.objects.get().women == 10
    response = admin_client.post(f"/admin/activities/activity/{activity.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Activity.objects.exists()
    assert not ActivityStat.objects.exists()


def test_a_meeting_logged_from_a_parental_bodys_page_is_recorded_on_that_body(client, staff):
    from muhim.activities.tests.factories import ParentalBodyFactory

    body = ParentalBodyFactory(name="Kasur parents' committee", district=district("pb-kasur"))
    client.force_login(staff.lahore)
    url = f"/field/activities/new/?kind=parental_body_meeting&district=pb-kasur&body={body.pk}"
    page = html(client.get(url))
    assert "This will be recorded as a meeting of Kasur parents" in page
    assert 'value="Meeting of Kasur parents' in page
    response = client.post(url, form_data(kind="parental_body_meeting", title="Monthly meeting"))
    assert response.status_code == 302, html(response)
    meeting = Activity.objects.get(title="Monthly meeting")
    assert list(body.meetings.all()) == [meeting]

    # Another region's body is not offered, and nothing is attached to it.
    other = ParentalBodyFactory(name="Karachi committee", district=district("sd-karachi-south"))
    client.post(f"/field/activities/new/?body={other.pk}", form_data(title="Another meeting"))
    assert not other.meetings.exists()


@pytest.mark.parametrize("url", ["/field/activities/", "/field/demands/"])
def test_list_pages_never_load_the_areas_outlines(client, staff, url):
    """A province's outline is tens of kilobytes: a list of names must not read it per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    activity_in("pb-kasur", user=staff.lahore)
    DemandFactory(district=district("pb-kasur"))
    client.force_login(staff.lahore)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    loaded = [q["sql"] for q in queries if '"boundary"' in q["sql"]]
    assert not loaded, [sql[sql.index("FROM") :][:200] for sql in loaded]
