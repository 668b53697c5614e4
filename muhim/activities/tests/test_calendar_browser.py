"""The public calendar in Urdu on a 360-pixel phone, in real Chromium: the upcoming events are
listed, an event's page opens, and the month shows as a list of days."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def events(gazetteer):
    from muhim.activities.models import Activity, ActivityType
    from muhim.activities.tests.factories import ActivityFactory, district

    soon = timezone.localdate() + timedelta(days=3)
    return {
        "katchehri": ActivityFactory(
            kind=ActivityType.KULI_KATCHEHRI,
            title="Kuli Katchehri with the DEO",
            title_ur="ڈی ای او کے ساتھ کھلی کچہری",
            description="Parents meet the District Education Officer.",
            status=Activity.Status.PLANNED,
            start_date=soon,
            start_time=time(10, 0),
            end_time=time(13, 0),
            district=district("pb-kasur"),
            venue="Government Girls High School No. 2",
            follow_up="Internal: remind the DEO's office",
            is_public=True,
        ),
        "private": ActivityFactory(
            title="Private planning meeting",
            title_ur="نجی منصوبہ بندی اجلاس",
            status=Activity.Status.PLANNED,
            start_date=soon,
            is_public=False,
        ),
    }


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_the_urdu_calendar_on_a_phone_lists_an_upcoming_event_and_opens_it(live_server, browser_page, events):
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/ur/calendar/")
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ur", "rtl")
    assert no_sideways_scroll(page)

    upcoming = page.locator("#upcoming")
    link = upcoming.get_by_role("link", name="ڈی ای او کے ساتھ کھلی کچہری")
    assert link.is_visible()
    assert "Government Girls High School No. 2" in upcoming.inner_text()
    assert "نجی منصوبہ بندی اجلاس" not in page.locator("main").inner_text()

    link.click()
    katchehri = events["katchehri"]
    page.wait_for_url(f"{live_server.url}/ur/events/{katchehri.pk}/")
    assert page.locator("h1").inner_text() == "ڈی ای او کے ساتھ کھلی کچہری"
    main = page.locator("main").inner_text()
    assert "10:00–13:00" in main
    assert "Parents meet the District Education Officer." in main
    assert "remind the DEO" not in main
    assert page.locator("#add-to-calendar").get_attribute("href") == f"/ur/events/{katchehri.pk}.ics"
    assert no_sideways_scroll(page)

    # The month: on a phone a list of the days with events, not the grid.
    page.goto(f"{live_server.url}/ur/calendar/?view=month&month={katchehri.start_date:%Y-%m}")
    assert not page.locator("#calendar-grid").is_visible()
    day = page.locator(f'#calendar-days [data-date="{katchehri.start_date:%Y-%m-%d}"]')
    assert day.get_by_role("link", name="ڈی ای او کے ساتھ کھلی کچہری").is_visible()
    assert no_sideways_scroll(page)

    # On a wide screen the grid is there, with the event on its day.
    page.set_viewport_size({"width": 1280, "height": 900})
    assert page.locator("#calendar-grid").is_visible()
    cell = page.locator(f'#calendar-grid td[data-date="{katchehri.start_date:%Y-%m-%d}"]')
    assert cell.get_by_role("link", name="ڈی ای او کے ساتھ کھلی کچہری").is_visible()


def test_the_filters_redraw_the_calendar_on_a_phone(live_server, browser_page, events):
    from muhim.activities.models import ActivityType
    from muhim.activities.tests.factories import ActivityFactory, district

    ActivityFactory(
        title="Theatre in Karachi",
        kind=ActivityType.THEATRE,
        status="planned",
        start_date=timezone.localdate() + timedelta(days=5),
        district=district("sd-karachi-south"),
        is_public=True,
    )
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/calendar/")
    assert page.get_by_role("link", name="Theatre in Karachi").is_visible()
    page.get_by_role("button", name="Filters").click()
    page.locator("select[name=province]").select_option("pb")
    page.wait_for_url(f"{live_server.url}/calendar/?*province=pb*")
    page.get_by_role("link", name="Kuli Katchehri with the DEO").wait_for()
    assert page.get_by_role("link", name="Theatre in Karachi").count() == 0
    assert page.locator("#calendar-feeds").get_by_role("link", name="Subscribe").count() == 2
