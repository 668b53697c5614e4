"""An organiser on a 360-pixel phone, in real Chromium, records a pledge heard at a corner
meeting in her region; a seat of another region is refused with the reason and nothing typed
is lost; the published pledge shows on the seat's public scorecard."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from muhim.accountability.models import Pledge

from .test_pledges import make_staff, make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 360, "height": 740}
PROMISE = "Two more teachers for every girls' primary school in Lahore-III."


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_an_organiser_records_a_corner_meeting_pledge_on_a_phone(
    live_server, browser_page, browser_login, make_user, gazetteer
):
    world = make_world()
    staff = make_staff(make_user)
    page = browser_page
    page.set_viewport_size(PHONE)
    browser_login(page, live_server, staff.lahore)

    page.goto(f"{live_server.url}/pledges/new/")
    assert no_sideways_scroll(page)
    # A Karachi seat first: refused with the reason, and what was typed is still there.
    page.locator("input[name=candidacy]").fill("NA-246 Sana")
    page.locator("textarea[name=text]").fill(PROMISE)
    page.locator("input[name=made_on]").fill("2018-07-10")
    page.locator("select[name=source_type]").select_option("corner_meeting")
    page.locator("input[name=is_published]").check()
    page.locator("#save").click()
    expect(page.locator("#pledge-form")).to_contain_text("outside your regions")
    assert page.locator("textarea[name=text]").input_value() == PROMISE
    assert not Pledge.objects.exists()

    # Her own seat's candidate: recorded, with the candidate's party and seat.
    page.locator("input[name=candidacy]").fill("NA-125 Ali")
    page.locator("#save").click()
    page.wait_for_url(f"{live_server.url}/pledges/*/")
    pledge = Pledge.objects.get()
    assert (pledge.candidacy, pledge.party, pledge.constituency) == (world.ali, world.pti, world.lahore)
    assert pledge.source_type == "corner_meeting" and pledge.recorded_by == staff.lahore
    assert PROMISE in page.locator("main").inner_text()
    assert no_sideways_scroll(page)

    # The public reads it on the seat's scorecard, without who recorded it.
    scorecard = Client().get("/elections/ge-2018/seats/NA-125/").content.decode()
    assert "Two more teachers for every girls&#x27; primary school" in scorecard
    assert "rco-lahore" not in scorecard
