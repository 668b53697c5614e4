"""Signing up in Urdu on a phone, in real Chromium, and the region's organiser (and only they)
finding the volunteer."""

import io

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_network(gazetteer, seeded):
    from django.contrib.auth import get_user_model

    from muhim.accounts import demo as accounts_demo
    from muhim.network import demo as network_demo

    out = io.StringIO()
    accounts_demo.load(stdout=out)
    network_demo.load_network(stdout=out)
    password = accounts_demo.demo_password()
    users = {}
    for username in ("organiser-lahore", "organiser-karachi"):
        user = get_user_model().objects.get(username=username)
        user.raw_password = password
        users[username] = user
    return users


def test_an_urdu_sign_up_on_a_phone_reaches_the_lahore_organiser_only(
    live_server, browser_page, browser_login, demo_network
):
    from muhim.people.models import Volunteer

    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/ur/volunteer/?district=pb-kasur")
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ur", "rtl")
    # Nothing sticks out sideways on a 360-pixel screen.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert page.locator("select[name=district]").input_value() == "pb-kasur"
    assert "میں اتفاق کرتا/کرتی ہوں" in page.locator("#consent-text").inner_text()

    page.locator("input[name=name]").fill("زینب فاطمہ")
    page.locator("input[name=phone]").fill("0301-2345678")
    page.locator("label", has_text="اسکولوں کی نگرانی").click()
    # Forgetting the consent box: told so, and nothing typed is lost.
    page.locator("#signup-form button[type=submit]").click()
    expect(page.locator("#signup-form .invalid-feedback, #signup-form .text-danger").first).to_be_visible()
    assert page.locator("input[name=name]").input_value() == "زینب فاطمہ"
    assert page.locator("input[name=phone]").input_value() == "0301-2345678"
    assert page.locator("input[name=interests][value=school-monitoring]").is_checked()
    assert page.locator("#signup-form .invalid-feedback, #signup-form .text-danger").count() >= 1
    assert not Volunteer.objects.exists()

    page.locator("input[name=consent]").check()
    page.locator("#signup-form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/ur/volunteer/thanks/")
    volunteer = Volunteer.objects.get()
    assert (volunteer.phone.as_e164, volunteer.language, volunteer.district.code) == (
        "+923012345678",
        "ur",
        "pb-kasur",
    )
    assert volunteer.organiser.username == "organiser-lahore"
    profile = volunteer.organiser.organiser_profile
    assert (profile.public_name_ur or profile.public_name) in page.locator("main").inner_text()

    # The Lahore organiser signs in and finds her.
    browser_login(page, live_server, demo_network["organiser-lahore"])
    page.goto(f"{live_server.url}/volunteers/")
    assert page.get_by_role("link", name="زینب فاطمہ").is_visible()
    page.get_by_role("link", name="زینب فاطمہ").click()
    page.wait_for_url(f"{live_server.url}/volunteers/{volunteer.pk}/")
    assert "0301 2345678" in page.locator("main").inner_text()

    # The Karachi organiser does not: not in the list, not by link, not through the API.
    page.context.clear_cookies()
    browser_login(page, live_server, demo_network["organiser-karachi"])
    page.goto(f"{live_server.url}/volunteers/")
    assert "زینب فاطمہ" not in page.locator("main").inner_text()
    assert page.goto(f"{live_server.url}/volunteers/{volunteer.pk}/").status == 403
    api = page.request.get(f"{live_server.url}/api/v1/volunteers/")
    assert api.status == 200
    assert "+923012345678" not in api.text()
    assert all(v["name"] != "زینب فاطمہ" for v in api.json()["results"])
    assert page.request.get(f"{live_server.url}/api/v1/volunteers/{volunteer.pk}/").status == 403


def test_on_a_phone_the_organiser_reaches_their_volunteers_from_the_menu_with_the_list_first(
    live_server, browser_page, browser_login, demo_network
):
    from muhim.geography.models import Area
    from muhim.people.models import ConsentText, Volunteer

    Volunteer.objects.create(
        name="Rabia Test",
        phone="+923009990001",
        district=Area.objects.get(code="pb-kasur"),
        consent_text=ConsentText.current(),
    )
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    browser_login(page, live_server, demo_network["organiser-lahore"])
    page.goto(f"{live_server.url}/")
    page.locator(".navbar-toggler").click()
    page.locator("#nav-main").get_by_role("link", name="Volunteers").click()
    page.wait_for_url(f"{live_server.url}/volunteers/")
    # The filters are folded away: the first screen shows the volunteers.
    assert not page.locator("#filters").is_visible()
    row = page.get_by_role("link", name="Rabia Test")
    assert row.is_visible()
    assert row.bounding_box()["y"] < 740
    page.get_by_role("button", name="Filters").click()
    page.locator("#filters input[name=q]").wait_for(state="visible")
    page.locator("#filters input[name=q]").fill("nobody-by-this-name")
    page.locator("#filters button[type=submit]").click()
    page.wait_for_url("**/volunteers/?**")
    assert "0 volunteers" in page.locator("#results").inner_text()
    # A page opened with a filter in use shows the filters, so it is clear why rows are missing.
    page.reload()
    assert page.locator("#filters").is_visible()
    assert page.get_by_role("button", name="Filters (1)").is_visible()
