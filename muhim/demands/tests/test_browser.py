"""An organiser on a 360-pixel phone, in real Chromium: two demands raised at a Kuli
Katchehri (one settled on the spot), an update on the other, and its public page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 360, "height": 740}


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.fixture
def katchehri(staff):
    from muhim.activities import services as activity_services
    from muhim.activities.models import Activity, ActivityType
    from muhim.geography.models import Area

    return activity_services.save_activity(
        activity=Activity(
            kind=ActivityType.KULI_KATCHEHRI,
            title="Kuli Katchehri, Kot Radha Kishan",
            start_date=timezone.localdate() - timedelta(days=1),
            district=Area.objects.get(code="pb-kasur"),
            status=Activity.Status.HELD,
        ),
        user=staff.lahore,
    )


def test_an_organiser_records_a_kuli_katchehris_demands_and_follows_one_up_on_a_phone(
    live_server, browser_page, browser_login, staff, katchehri
):
    from muhim.demands.models import Demand, Status

    page = browser_page
    page.set_viewport_size(PHONE)
    browser_login(page, live_server, staff.lahore)

    # The first demand, settled there and then by the education officer.
    page.goto(f"{live_server.url}/field/demands/new/?activity={katchehri.pk}")
    assert "Kuli Katchehri, Kot Radha Kishan" in page.locator("#raised-at").inner_text()
    assert page.locator("select[name=district]").input_value() == "pb-kasur"
    assert page.locator("select[name=activity]").input_value() == str(katchehri.pk)
    assert no_sideways_scroll(page)
    page.locator("input[name=title]").fill("A teacher for GPS Chak 12")
    page.locator("select[name=category]").select_option("teachers")
    page.locator("input[name=raised_by_name]").fill("Shamim Bibi")
    page.locator("input[name=raised_by_phone]").fill("0300 1234567")
    page.locator("select[name=authority]").select_option("education_officer")
    page.locator("input[name=authority_name]").fill("District Education Officer (Male), Kasur")
    page.locator("input[name=resolved_on_the_spot]").check()
    page.locator("textarea[name=on_the_spot_note]").fill("The DEO posted a teacher from the next school.")
    page.locator("#save-another").click()
    page.wait_for_url(f"{live_server.url}/field/demands/new/?activity={katchehri.pk}")
    assert "1 demand recorded here so far" in page.locator("#raised-at").inner_text()
    # The same officer was there for the next one.
    assert (
        page.locator("input[name=authority_name]").input_value() == "District Education Officer (Male), Kasur"
    )

    # The second: a boundary wall, to be followed up.
    page.locator("input[name=title]").fill("A boundary wall for GGPS Kot Radha Kishan")
    page.locator("select[name=category]").select_option("boundary_wall")
    page.locator("input[name=raised_by_name]").fill("Nasreen Akhtar")
    page.locator("#save").click()
    page.wait_for_url(f"{live_server.url}/field/demands/*/")
    settled = Demand.objects.get(title="A teacher for GPS Chak 12")
    wall = Demand.objects.get(title="A boundary wall for GGPS Kot Radha Kishan")
    assert (settled.status, settled.resolved_on_the_spot, settled.activity) == (
        Status.RESOLVED,
        True,
        katchehri,
    )
    assert (wall.status, wall.activity, wall.authority) == (Status.RAISED, katchehri, "education_officer")
    assert page.url == f"{live_server.url}/field/demands/{wall.pk}/"
    assert no_sideways_scroll(page)

    # An update on the wall.
    page.locator("select[name=update-status]").select_option("submitted")
    page.locator("textarea[name=update-note]").fill(
        "Submitted to the DEO's office with 40 parents' signatures."
    )
    page.locator("textarea[name=update-internal_note]").fill("Call the clerk again on Monday.")
    page.locator("#update-form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/field/demands/{wall.pk}/#history")
    history = page.locator("#history").inner_text()
    assert "Submitted to the authority" in history and "Call the clerk again on Monday." in history

    # Published, its public page shows the dated history and nothing private.
    page.locator("#publish").click()
    page.wait_for_url(f"{live_server.url}/field/demands/{wall.pk}/")
    page.locator("#public-link").click()
    page.wait_for_url(f"{live_server.url}/demands/{wall.pk}/")
    assert no_sideways_scroll(page)
    steps = page.locator("#history li")
    assert steps.count() == 2
    assert "Raised" in steps.nth(0).inner_text()
    assert "Submitted to the authority" in steps.nth(1).inner_text()
    assert "40 parents' signatures" in steps.nth(1).inner_text()
    text = page.locator("body").inner_text()
    assert "Nasreen" not in text and "Call the clerk" not in text
    assert page.title().startswith("A boundary wall for GGPS Kot Radha Kishan")

    # Anyone can read it, in Urdu too, on a phone.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/ur/demands/{wall.pk}/")
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ur", "rtl")
    assert page.locator("#history li").count() == 2
    assert no_sideways_scroll(page)


def test_choosing_the_district_offers_its_parental_bodies_and_bad_input_keeps_what_was_typed(
    live_server, browser_page, browser_login, staff, katchehri
):
    from muhim.activities.tests.factories import district
    from muhim.demands import services
    from muhim.demands.models import Demand, ParentalBody

    services.save_body(
        body=ParentalBody(name="Kasur mothers' committee", level="district", district=district("pb-kasur")),
        user=staff.lahore,
    )
    page = browser_page
    page.set_viewport_size(PHONE)
    browser_login(page, live_server, staff.lahore)
    page.goto(f"{live_server.url}/field/demands/new/")
    assert page.locator("select[name=parental_body] option").count() == 1
    with page.expect_response(lambda r: "district=pb-kasur" in r.url):
        page.locator("select[name=district]").select_option("pb-kasur")
    page.locator("select[name=parental_body] option", has_text="Kasur mothers' committee").wait_for(
        state="attached"
    )
    assert (
        page.locator("select[name=activity] option", has_text="Kuli Katchehri, Kot Radha Kishan").count() == 1
    )

    page.locator("input[name=title]").fill("Water for GGPS Chak 7")
    page.locator("select[name=category]").select_option("water")
    page.locator("select[name=authority]").select_option("education_officer")
    page.locator("input[name=raised_by_name]").fill("Parveen")
    page.locator("input[name=raised_on]").fill((timezone.localdate() + timedelta(days=3)).isoformat())
    page.locator("#save").click()
    expect(page.locator("#demand-form")).to_contain_text("cannot be in the future")
    assert page.locator("input[name=title]").input_value() == "Water for GGPS Chak 7"
    assert page.locator("input[name=raised_by_name]").input_value() == "Parveen"
    assert page.locator("select[name=district]").input_value() == "pb-kasur"
    assert no_sideways_scroll(page)
    assert not Demand.objects.exists()
