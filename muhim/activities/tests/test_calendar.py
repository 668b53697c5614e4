"""The calendar: the public and staff month and list views, the public page of an event, and
the iCalendar feeds (parsed back with the `icalendar` library, as a calendar app would)."""

import io
from datetime import UTC, date, datetime, time, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max
from django.urls import reverse
from freezegun import freeze_time
from PIL import Image

from muhim.activities import services
from muhim.activities.calendar import event_times, feed_start, month_grid
from muhim.activities.models import Activity, ActivityType
from muhim.activities.tests.factories import ActivityFactory, DemandFactory, district
from muhim.geography.models import Area
from muhim.partners.models import Organisation

pytestmark = pytest.mark.django_db

KARACHI = ZoneInfo("Asia/Karachi")
# Every test runs on 5 November 2026, 09:00 in Pakistan.
TODAY = date(2026, 11, 5)


@pytest.fixture(autouse=True)
def _today():
    with freeze_time("2026-11-05 04:00:00"):
        yield


def event(**fields):
    """A public event in Lahore unless told otherwise."""
    values = {"is_public": True, "status": Activity.Status.PLANNED, "start_date": TODAY + timedelta(days=10)}
    values.update(fields)
    return ActivityFactory(**values)


def parse(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def events_by_uid(cal):
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def uid_of(activity):
    return f"{activity.uid}@muhim"


class CellParser(HTMLParser):
    """The events (data-event ids) in each day of the month grid and of the phone's day list."""

    def __init__(self):
        super().__init__()
        self.grid, self.days = {}, {}
        self._where = None
        self._day = None
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id") == "calendar-grid":
            self._where = self.grid
        elif attrs.get("id") == "calendar-days":
            self._where = self.days
        if self._where is not None and attrs.get("data-date"):
            self._day = attrs["data-date"]
            self._where.setdefault(self._day, [])
        if self._day and attrs.get("data-event"):
            self._where[self._day].append(int(attrs["data-event"]))

    def handle_endtag(self, tag):
        if tag in ("td", "section"):
            self._day = None


def cells(response):
    parser = CellParser()
    parser.feed(response.content.decode())
    return parser.grid, parser.days


def main_text(response):
    html = response.content.decode()
    return html[html.index("<main") :]


# --- the feeds ---------------------------------------------------------------------------------


def test_the_feed_parses_and_holds_exactly_the_public_events_of_the_last_year_and_the_future(
    gazetteer, client
):
    upcoming = event(title="Kuli Katchehri in Kasur", district=district("pb-kasur"))
    held = event(title="Seminar held in August", status=Activity.Status.HELD, start_date=date(2026, 8, 20))
    just_in = event(title="A year ago today", status=Activity.Status.HELD, start_date=date(2025, 11, 5))
    sindh = event(title="Theatre in Karachi", district=district("sd-karachi-south"))
    event(title="Too old", status=Activity.Status.HELD, start_date=date(2025, 11, 4))
    event(title="Private planning meeting", is_public=False)
    event(title="Cancelled rally", status=Activity.Status.CANCELLED)

    response = client.get("/calendar.ics")
    cal = parse(response)

    assert set(events_by_uid(cal)) == {uid_of(a) for a in (upcoming, held, just_in, sindh)}
    assert str(cal["VERSION"]) == "2.0"
    assert "Muhim" in str(cal["PRODID"])
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["X-WR-CALNAME"]) == "Muhim: campaign events"
    assert b"X-PUBLISHED-TTL:PT6H" in response.content
    assert b"Private planning" not in response.content
    assert b"Cancelled rally" not in response.content


def test_a_province_feed_holds_that_provinces_public_events_only(gazetteer, client):
    lahore = event(title="Seminar in Lahore")
    kasur = event(title="Kuli Katchehri in Kasur", district=district("pb-kasur"))
    karachi = event(title="Theatre in Karachi", district=district("sd-karachi-south"))
    event(title="Private in Kasur", district=district("pb-kasur"), is_public=False)
    event(title="Cancelled in Lahore", status=Activity.Status.CANCELLED)

    punjab = parse(client.get(reverse("activities:province-feed", args=["pb"])))
    sindh = parse(client.get("/calendar/sd.ics"))

    assert set(events_by_uid(punjab)) == {uid_of(lahore), uid_of(kasur)}
    assert str(punjab["X-WR-CALNAME"]) == "Muhim: campaign events in Punjab"
    assert set(events_by_uid(sindh)) == {uid_of(karachi)}


@pytest.mark.parametrize("code", ["xx", "pb-lahore-division", "pb-lahore"])
def test_a_feed_for_an_unknown_province_is_not_found(gazetteer, code, client):
    response = client.get(f"/calendar/{code}.ics")
    assert response.status_code == 404


def test_uids_are_stable_and_an_unchanged_feed_is_not_sent_again(gazetteer, client):
    activity = event(title="Science mela", kind=ActivityType.SCIENCE_MELA)

    first = client.get("/calendar.ics")
    second = client.get("/calendar.ics")
    assert list(events_by_uid(parse(first))) == list(events_by_uid(parse(second))) == [uid_of(activity)]
    assert first.content == second.content
    assert first["ETag"] == second["ETag"]

    # A phone that has the feed asks with its ETag, or its date: nothing is sent.
    not_modified = client.get("/calendar.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    since = client.get("/calendar.ics", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304

    # Once the event changes, the feed is sent again, with the same UID.
    with freeze_time(after_every_change()):
        stored = Activity.objects.get(pk=activity.pk)
        stored.title = "Science mela, moved"
        services.save_activity(activity=stored)
        changed = client.get("/calendar.ics", HTTP_IF_NONE_MATCH=first["ETag"])
        assert changed.status_code == 200
        assert changed["ETag"] != first["ETag"]
        assert client.get("/calendar.ics", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 200
    vevent = events_by_uid(parse(changed))[uid_of(activity)]
    assert str(vevent["SUMMARY"]) == "Science mela, moved"


def after_every_change():
    """A moment later than every stored change (the gazetteer was loaded at the real time)."""
    latest = [
        Activity.history.aggregate(m=Max("history_date"))["m"],
        Area.history.aggregate(m=Max("history_date"))["m"],
    ]
    return max(d for d in latest if d) + timedelta(hours=1)


def test_a_deleted_event_changes_the_feeds_date(gazetteer, client):
    activity = event(title="Rally")
    first = client.get("/calendar.ics")
    with freeze_time(after_every_change()):
        Activity.objects.get(pk=activity.pk).delete()
        again = client.get("/calendar.ics", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 200
    assert not list(parse(again).walk("VEVENT"))


def test_all_day_events_end_on_the_day_after_their_last_day(gazetteer, client):
    three_days = event(title="Teachers' training", start_date=date(2026, 11, 10), end_date=date(2026, 11, 12))
    one_day = event(title="School visit", start_date=date(2026, 11, 20))

    found = events_by_uid(parse(client.get("/calendar.ics")))

    training = found[uid_of(three_days)]
    assert training["DTSTART"].params["VALUE"] == "DATE"
    assert training.start == date(2026, 11, 10)
    assert training["DTEND"].params["VALUE"] == "DATE"
    assert training.end == date(2026, 11, 13)
    visit = found[uid_of(one_day)]
    assert (visit.start, visit.end) == (date(2026, 11, 20), date(2026, 11, 21))


def test_timed_events_are_in_pakistan_time_with_their_timezone(gazetteer, client):
    seminar = event(
        title="Seminar on the budget",
        start_date=date(2026, 11, 10),
        start_time=time(10, 0),
        end_time=time(13, 30),
    )
    briefing = event(title="Press briefing", start_date=date(2026, 11, 11), start_time=time(15, 0))
    jirga = event(
        title="Two-day jirga",
        start_date=date(2026, 11, 14),
        end_date=date(2026, 11, 15),
        start_time=time(9, 0),
    )

    response = client.get("/calendar.ics")
    cal = parse(response)
    found = events_by_uid(cal)

    assert [tz.tz_name for tz in cal.timezones] == ["Asia/Karachi"]
    start, end = found[uid_of(seminar)].start, found[uid_of(seminar)].end
    assert start == datetime(2026, 11, 10, 10, 0, tzinfo=KARACHI)
    assert start.astimezone(UTC) == datetime(2026, 11, 10, 5, 0, tzinfo=UTC)
    assert end == datetime(2026, 11, 10, 13, 30, tzinfo=KARACHI)
    assert b"DTSTART;TZID=Asia/Karachi:20261110T100000" in response.content
    # No end time on one day: no DTEND, the event is the moment it starts (RFC 5545).
    assert "DTEND" not in found[uid_of(briefing)]
    assert found[uid_of(briefing)].start == datetime(2026, 11, 11, 15, 0, tzinfo=KARACHI)
    # Over several days with no end time: until the end of the last day.
    assert found[uid_of(jirga)].end == datetime(2026, 11, 16, 0, 0, tzinfo=KARACHI)


def test_each_event_says_what_where_and_whether_it_is_confirmed(gazetteer, client):
    held = event(
        title="Kuli Katchehri with the DEO",
        kind=ActivityType.KULI_KATCHEHRI,
        status=Activity.Status.HELD,
        start_date=date(2026, 10, 2),
        district=district("pb-kasur"),
        venue="Government Girls High School No. 2",
        description="Parents meet the District Education Officer.",
        outcomes="Two teachers posted.",
        follow_up="Call the DEO's office on Monday",
    )
    planned = event(title="Science mela", kind=ActivityType.SCIENCE_MELA)

    response = client.get("/calendar.ics")
    found = events_by_uid(parse(response))

    katchehri = found[uid_of(held)]
    assert str(katchehri["SUMMARY"]) == "Kuli Katchehri with the DEO"
    assert str(katchehri["STATUS"]) == "CONFIRMED"
    assert [str(c) for c in katchehri.categories] == ["Kuli Katchehri"]
    assert str(katchehri["LOCATION"]) == "Government Girls High School No. 2, Kasur, Punjab"
    assert str(katchehri["URL"]) == f"http://testserver/events/{held.pk}/"
    assert "Parents meet the District Education Officer." in str(katchehri["DESCRIPTION"])
    assert "Two teachers posted." in str(katchehri["DESCRIPTION"])
    assert katchehri["DTSTAMP"].dt == held.updated_at
    assert str(found[uid_of(planned)]["STATUS"]) == "TENTATIVE"
    # Internal notes never leave the site.
    assert b"Call the DEO" not in response.content


def test_the_urdu_feed_uses_urdu_titles_where_there_are_any(gazetteer, client):
    both = event(title="Education caravan", title_ur="تعلیمی کارواں", kind=ActivityType.CARAVAN)
    english = event(title="Seminar in English only")

    found = events_by_uid(parse(client.get("/ur/calendar.ics")))

    assert str(found[uid_of(both)]["SUMMARY"]) == "تعلیمی کارواں"
    assert str(found[uid_of(both)]["URL"]) == f"http://testserver/ur/events/{both.pk}/"
    assert str(found[uid_of(english)]["SUMMARY"]) == "Seminar in English only"
    assert uid_of(both) in events_by_uid(parse(client.get("/calendar.ics")))


def test_one_event_can_be_added_to_a_calendar_alone(gazetteer, client):
    activity = event(title="Theatre for girls' education", kind=ActivityType.THEATRE)
    event(title="Another event")
    private = event(title="Private", is_public=False)

    response = client.get(reverse("activities:event-ics", args=[activity.pk]))
    found = events_by_uid(parse(response))

    assert list(found) == [uid_of(activity)]
    assert response["Content-Disposition"] == f'attachment; filename="muhim-event-{activity.pk}.ics"'
    assert client.get(f"/events/{private.pk}.ics").status_code == 404


def test_the_feed_window_is_twelve_months_back():
    assert feed_start(date(2026, 11, 5)) == date(2025, 11, 5)
    assert feed_start(date(2028, 2, 29)) == date(2027, 2, 28)
    assert feed_start(date(2026, 3, 31)) == date(2025, 3, 31)


def test_event_times_without_a_database():
    all_day = Activity(start_date=date(2026, 12, 30), end_date=date(2027, 1, 2))
    assert event_times(all_day, KARACHI) == (date(2026, 12, 30), date(2027, 1, 3))
    # An end before the start on one day is a typing slip: no DTEND rather than a negative event.
    slip = Activity(start_date=date(2026, 12, 30), start_time=time(14, 0), end_time=time(11, 0))
    assert event_times(slip, KARACHI) == (datetime(2026, 12, 30, 14, 0, tzinfo=KARACHI), None)


# --- the calendar pages ------------------------------------------------------------------------


def test_the_public_list_shows_upcoming_public_events_first_then_past_ones(gazetteer, client):
    soon = event(
        title="Kuli Katchehri in Kasur",
        kind=ActivityType.KULI_KATCHEHRI,
        district=district("pb-kasur"),
        venue="Town hall",
        start_date=date(2026, 11, 12),
        start_time=time(10, 0),
        end_time=time(12, 0),
    )
    later = event(title="Seminar in Lahore", start_date=date(2026, 12, 1))
    done = event(title="Theatre in October", status=Activity.Status.HELD, start_date=date(2026, 10, 1))
    event(title="Private planning", is_public=False)
    event(title="Cancelled rally", status=Activity.Status.CANCELLED)

    response = client.get("/calendar/")
    assert response.status_code == 200
    text = main_text(response)

    assert (
        text.index("Kuli Katchehri in Kasur")
        < text.index("Seminar in Lahore")
        < text.index("Theatre in October")
    )
    assert (
        text.index(">Upcoming")
        < text.index("Seminar in Lahore")
        < text.index(">Past")
        < text.index("Theatre in October")
    )
    assert f'href="/events/{soon.pk}/"' in text
    assert f'href="/events/{later.pk}/"' in text and f'href="/events/{done.pk}/"' in text
    for shown in ("Kasur", "Town hall", "Thu 12 Nov 2026", "10:00–12:00", "Punjab"):
        assert shown in text
    assert "Private planning" not in text
    assert "Cancelled rally" not in text
    # The feed is offered to subscribe to.
    assert 'href="/calendar.ics"' in text


def test_the_month_view_shows_a_multi_day_event_on_each_of_its_days(gazetteer, client):
    caravan = event(
        title="Education caravan",
        kind=ActivityType.CARAVAN,
        start_date=date(2026, 11, 28),
        end_date=date(2026, 12, 2),
    )
    seminar = event(title="Seminar", start_date=date(2026, 11, 29))

    november = client.get("/calendar/?view=month&month=2026-11")
    grid, days = cells(november)
    with_caravan = sorted(day for day, ids in grid.items() if caravan.pk in ids)
    assert with_caravan == ["2026-11-28", "2026-11-29", "2026-11-30"]
    assert grid["2026-11-29"] == [caravan.pk, seminar.pk]
    assert sorted(day for day, ids in days.items() if caravan.pk in ids) == with_caravan
    assert "November 2026" in main_text(november)

    grid, _days = cells(client.get("/calendar/?view=month&month=2026-12"))
    assert sorted(day for day, ids in grid.items() if caravan.pk in ids) == ["2026-12-01", "2026-12-02"]


def test_the_month_view_moves_month_by_month(gazetteer, client):
    response = client.get("/calendar/?view=month&month=2026-12&type=seminar")
    text = main_text(response)
    assert 'href="?view=month&amp;month=2026-11&amp;type=seminar"' in text
    assert 'href="?view=month&amp;month=2027-01&amp;type=seminar"' in text
    january = client.get("/calendar/?view=month&month=2027-01")
    assert "January 2027" in main_text(january)
    assert "month=2026-12" in main_text(january)
    # Without a month: this one.
    assert "November 2026" in main_text(client.get("/calendar/?view=month"))


def test_a_busy_day_names_a_few_events_and_links_to_the_rest(gazetteer, client):
    for n in range(6):
        event(title=f"School visit {n}", kind=ActivityType.SCHOOL_VISIT, start_date=date(2026, 11, 20))
    response = client.get("/calendar/?view=month&month=2026-11")
    grid, _days = cells(response)
    assert len(grid["2026-11-20"]) == 4
    assert "+ 2 more" in main_text(response)
    day = client.get("/calendar/?view=list&day=2026-11-20")
    assert all(f"School visit {n}" in main_text(day) for n in range(6))
    assert "Events on Friday 20 November 2026" in main_text(day)


def test_filters_by_province_and_type(gazetteer, client):
    seminar = event(title="Seminar in Lahore")
    katchehri = event(
        title="Kuli Katchehri in Kasur", kind=ActivityType.KULI_KATCHEHRI, district=district("pb-kasur")
    )
    karachi = event(title="Seminar in Karachi", district=district("sd-karachi-south"))

    sindh = main_text(client.get("/calendar/?province=sd"))
    assert karachi.title in sindh and seminar.title not in sindh and katchehri.title not in sindh
    # The province's own feed is offered.
    assert 'href="/calendar/sd.ics"' in sindh

    seminars = main_text(client.get("/calendar/?type=seminar"))
    assert seminar.title in seminars and karachi.title in seminars and katchehri.title not in seminars

    both = client.get("/calendar/?view=month&month=2026-11&province=pb&type=kuli_katchehri")
    grid, _days = cells(both)
    assert {pk for ids in grid.values() for pk in ids} == {katchehri.pk}


@pytest.mark.parametrize(
    "query, message",
    [
        ("month=2026-13", "“2026-13” is not a month. Write it as YYYY-MM, for example 2026-11."),
        ("month=next", "“next” is not a month."),
        ("view=month&month=1999-01", "“1999-01” is not a month."),
        ("province=xx", "“xx” is not a province or territory we know. Choose one from the list."),
        ("type=dance", "“dance” is not a type of activity. Choose one from the list."),
        ("view=year", "Choose the list or the month view."),
        ("day=2026-02-30", "“2026-02-30” is not a day. Write it as YYYY-MM-DD"),
    ],
)
def test_bad_parameters_get_a_message_not_an_error_page(gazetteer, query, message, client):
    shown = event(title="Seminar still shown", start_date=date(2026, 11, 10))
    response = client.get(f"/calendar/?{query}")
    assert response.status_code == 400
    text = main_text(response)
    assert message in text
    # The calendar is still drawn, without the bad parameter.
    assert shown.title in text


def test_a_bad_parameter_from_the_filter_form_shows_its_message_in_the_results(gazetteer, client):
    response = client.get("/calendar/?month=2026-13", HTTP_HX_REQUEST="true")
    assert response.status_code == 200  # HTMX swaps in only successful responses
    html = response.content.decode()
    assert "<html" not in html and 'id="calendar-results"' in html
    assert "“2026-13” is not a month." in html


def test_the_filters_redraw_the_calendar_alone_for_htmx(gazetteer, client):
    event(title="Seminar in Karachi", district=district("sd-karachi-south"))
    response = client.get("/calendar/?province=sd", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="calendar-results">')
    assert "Seminar in Karachi" in html


# --- the staff calendar ------------------------------------------------------------------------


def test_the_staff_calendar_shows_the_organisers_regions_including_private_and_planned(staff, client):
    lahore_private = event(title="Planning meeting in Kasur", is_public=False, district=district("pb-kasur"))
    lahore_cancelled = event(title="Cancelled rally in Lahore", status=Activity.Status.CANCELLED)
    karachi_private = event(
        title="Planning meeting in Karachi", is_public=False, district=district("sd-karachi-south")
    )
    karachi_public = event(title="Theatre in Karachi", district=district("sd-karachi-south"))

    client.force_login(staff.lahore)
    text = main_text(client.get(reverse("activities:staff-calendar")))
    assert lahore_private.title in text and lahore_cancelled.title in text
    assert f'href="/field/activities/{lahore_private.pk}/"' in text
    assert karachi_private.title not in text
    assert karachi_public.title not in text
    assert "Not public" in text

    grid, _days = cells(client.get("/field/calendar/?view=month&month=2026-11"))
    assert {pk for ids in grid.values() for pk in ids} == {lahore_private.pk, lahore_cancelled.pk}

    client.force_login(staff.office)
    text = main_text(client.get("/field/calendar/"))
    assert karachi_private.title in text and lahore_private.title in text


def test_the_staff_calendar_filters_by_status(staff, client):
    planned = event(title="Planned seminar", is_public=False)
    cancelled = event(title="Cancelled seminar", status=Activity.Status.CANCELLED)
    client.force_login(staff.office)
    text = main_text(client.get("/field/calendar/?status=cancelled"))
    assert cancelled.title in text and planned.title not in text
    response = client.get("/field/calendar/?status=lost")
    assert response.status_code == 400
    assert "“lost” is not a status." in main_text(response)
    # The public calendar has no status filter: the cancelled stay out whatever is asked.
    assert cancelled.title not in main_text(client.get("/calendar/?status=cancelled"))


def test_the_staff_calendar_offers_only_the_organisers_provinces(staff, client):
    client.force_login(staff.lahore)
    html = client.get("/field/calendar/").content.decode()
    assert '<option value="pb">Punjab</option>' in html
    assert '<option value="sd">' not in html
    response = client.get("/field/calendar/?province=sd")
    assert response.status_code == 400
    assert "Sindh is outside your regions (Lahore)." in main_text(response)


def test_the_staff_calendar_needs_a_staff_account_with_access_to_activities(gazetteer, client, make_user):
    response = client.get("/field/calendar/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")

    client.force_login(make_user("", username="no-role"))
    response = client.get("/field/calendar/")
    assert response.status_code == 403
    assert "Only campaign staff with access to field activities" in response.content.decode()


# --- the public page of an event ---------------------------------------------------------------


def photo_file():
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (30, 120, 60)).save(buffer, format="JPEG")
    return SimpleUploadedFile("stage.jpg", buffer.getvalue())


def test_the_public_page_shows_what_is_public_and_nothing_internal(staff, client):
    activity = services.save_activity(
        activity=Activity(
            kind=ActivityType.KULI_KATCHEHRI,
            title="Kuli Katchehri with the DEO",
            status=Activity.Status.HELD,
            start_date=date(2026, 11, 2),
            start_time=time(10, 0),
            end_time=time(13, 0),
            district=district("pb-kasur"),
            venue="Government Girls High School No. 2",
            description="Parents of Kasur meet the District Education Officer.",
            women=40,
            men=25,
            girls=12,
            boys=8,
            outcomes="Two teachers will be posted to GPS Chak 12.",
            follow_up="Private note: call the DEO's PA on Monday",
            follow_up_on=date(2026, 11, 9),
            is_public=True,
        ),
        user=staff.lahore,
        partners=[Organisation.objects.create(name="Rural Support Programme", abbreviation="RSP")],
    )
    services.add_official(
        activity=activity,
        user=staff.lahore,
        kind="education",
        name="Ms Ayesha Khan",
        designation="DEO (Female), Kasur",
    )
    services.add_coverage(
        activity=activity,
        user=staff.lahore,
        outlet="Daily Jang, Lahore",
        date=date(2026, 11, 3),
        headline="Parents meet the DEO",
        url="https://example.org/jang/kasur",
    )
    photo = services.add_photo(
        activity=activity, uploaded=photo_file(), caption="Parents at the school", user=staff.lahore
    )
    published = DemandFactory(title="A boundary wall for GGHS No. 2", activity=activity, is_published=True)
    DemandFactory(title="Unpublished demand", activity=activity, raised_by_name="Parent's name")

    response = client.get(f"/events/{activity.pk}/")
    assert response.status_code == 200
    text = main_text(response)
    for shown in (
        "Kuli Katchehri with the DEO",
        "Government Girls High School No. 2",
        "Kasur",
        "Monday 2 November 2026",
        "10:00–13:00",
        "Parents of Kasur meet the District Education Officer.",
        "Rural Support Programme (RSP)",
        ">85<",  # everyone who came
        ">40<",
        "Two teachers will be posted",
        "Ms Ayesha Khan",
        "DEO (Female), Kasur",
        'href="https://example.org/jang/kasur"',
        "Daily Jang, Lahore",
        f'src="{reverse("activities:photo", args=[photo.pk, "thumb"])}"',
        f'href="{reverse("activities:event-ics", args=[activity.pk])}"',
        "Add to my calendar",
        published.title,
    ):
        assert shown in text, shown
    for hidden in (
        "Private note",
        "call the DEO",
        "rco-lahore",
        "Unpublished demand",
        "Parent's name",
        "Staff page",
    ):
        assert hidden not in text, hidden


def test_attendance_and_outcomes_show_only_once_held(gazetteer, client):
    planned = event(title="Seminar", women=10, outcomes="Expected: a pledge", status=Activity.Status.PLANNED)
    text = main_text(client.get(f"/events/{planned.pk}/"))
    assert "Expected: a pledge" not in text
    assert "Who came" not in text
    assert "Planned" in text


def test_a_caravans_page_lists_its_stops_and_links_the_public_ones(staff, client):
    caravan = services.save_activity(
        activity=Activity(
            kind=ActivityType.CARAVAN,
            title="Taleemi caravan",
            start_date=date(2026, 11, 20),
            end_date=date(2026, 11, 22),
            district=district("pb-lahore"),
            is_public=True,
        ),
        user=staff.office,
    )
    first = services.add_stop(
        caravan=caravan, date=date(2026, 11, 20), district=district("pb-lahore"), user=staff.office
    )
    services.add_stop(
        caravan=caravan, date=date(2026, 11, 21), district=district("pb-kasur"), user=staff.office
    )
    show = services.log_stop_activity(
        stop=first,
        activity=Activity(kind=ActivityType.THEATRE, title="Puppet show in Lahore", is_public=True),
        user=staff.office,
    )
    text = main_text(client.get(f"/events/{caravan.pk}/"))
    assert "Itinerary" in text and "Kasur" in text
    assert f'href="/events/{show.pk}/"' in text
    show_page = main_text(client.get(f"/events/{show.pk}/"))
    assert f'href="/events/{caravan.pk}/"' in show_page and "stop 1" in show_page


def test_staff_of_the_region_get_a_link_to_the_staff_page(staff, client):
    activity = event(title="Seminar in Lahore")
    client.force_login(staff.lahore)
    assert f'href="/field/activities/{activity.pk}/"' in main_text(client.get(f"/events/{activity.pk}/"))
    client.force_login(staff.karachi)
    assert f'href="/field/activities/{activity.pk}/"' not in main_text(client.get(f"/events/{activity.pk}/"))


@pytest.mark.parametrize(
    "fields",
    [
        {"is_public": False},
        {"status": Activity.Status.CANCELLED},
        {"is_public": False, "status": Activity.Status.HELD},
    ],
)
def test_an_event_that_is_not_public_is_not_found(gazetteer, fields, client):
    activity = event(title="Not for the public", **fields)
    assert client.get(f"/events/{activity.pk}/").status_code == 404
    assert client.get(f"/ur/events/{activity.pk}/").status_code == 404
    assert client.get("/events/999999/").status_code == 404


def test_the_urdu_page_shows_the_urdu_title(gazetteer, client):
    activity = event(title="Education caravan", title_ur="تعلیمی کارواں")
    response = client.get(f"/ur/events/{activity.pk}/")
    assert 'dir="rtl"' in response.content.decode()
    assert "تعلیمی کارواں" in main_text(response)
    assert "تعلیمی کارواں" in main_text(client.get("/ur/calendar/"))


# --- the month grid (no database) --------------------------------------------------------------


def test_the_month_grid_has_whole_weeks_from_monday():
    weeks = month_grid(2026, 11, [], today=TODAY)
    assert weeks[0][0].date == date(2026, 10, 26)  # a Monday
    assert weeks[-1][-1].date == date(2026, 12, 6)
    assert all(len(week) == 7 for week in weeks)
    assert [d.date for week in weeks for d in week if d.is_today] == [TODAY]


def test_the_month_grid_puts_events_on_their_days_inside_the_month():
    caravan = Activity(pk=1, title="Caravan", start_date=date(2026, 10, 30), end_date=date(2026, 11, 2))
    timed = Activity(pk=2, title="Briefing", start_date=date(2026, 11, 1), start_time=time(15, 0))
    weeks = month_grid(2026, 11, [timed, caravan], today=TODAY)
    by_day = {d.date: [a.pk for a in d.events] for week in weeks for d in week}
    assert by_day[date(2026, 10, 30)] == []  # October's days in the first week stay empty
    assert by_day[date(2026, 11, 1)] == [1, 2]  # all-day first
    assert by_day[date(2026, 11, 2)] == [1]
    assert by_day[date(2026, 11, 3)] == []
