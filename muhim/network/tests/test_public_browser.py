"""The public network pages in real Chromium, on a phone-sized screen: finding an organiser,
applying for a vacancy in Urdu with a PDF CV, and the coverage map."""

import io

import pytest

from muhim.network.models import Application, Post
from muhim.network.tests.test_cv import make_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def network(gazetteer):
    from muhim.accounts import demo as accounts_demo
    from muhim.network import demo

    accounts_demo.load(stdout=io.StringIO())
    demo.load_network(stdout=io.StringIO())


def no_sideways_scrolling(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_finding_the_organiser_for_a_district_on_a_phone(network, live_server, browser_page):
    page = browser_page
    page.set_viewport_size(PHONE)
    profile = Post.objects.get(code="rco-pb-multan").current_assignment().holder.organiser_profile

    page.goto(f"{live_server.url}/network/find/")
    assert no_sideways_scrolling(page)
    page.get_by_label("or choose it from the list").select_option("pb-khanewal")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(f"{live_server.url}/network/find/pb-khanewal/")

    card = page.locator("#organiser")
    assert card.locator(".organiser-name").inner_text() == profile.public_name
    call = page.locator("a.contact-phone")
    assert call.get_attribute("href") == f"tel:{profile.phone.as_e164}"
    assert call.is_visible()
    assert no_sideways_scrolling(page)


def test_searching_a_former_name_on_a_phone(network, live_server, browser_page):
    page = browser_page
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/network/find/")
    page.get_by_label("Type your district's name").fill("Nawabshah")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(f"{live_server.url}/network/find/sd-shaheed-benazirabad/")
    assert "Shaheed Benazirabad" in page.locator("h1").inner_text()


def test_applying_for_a_vacancy_in_urdu_with_a_pdf(network, live_server, browser_page, tmp_path):
    page = browser_page
    page.set_viewport_size(PHONE)
    vacancy = Post.objects.get(code="rco-sd-mirpur-khas").open_vacancy()
    cv = tmp_path / "cv.pdf"
    cv.write_bytes(make_pdf())

    page.goto(f"{live_server.url}/ur/vacancies/{vacancy.pk}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("#women-encouraged").is_visible()
    assert vacancy.description_ur in page.locator("#vacancy-description").inner_text()
    page.locator("#apply-link").click()
    page.wait_for_url(f"{live_server.url}/ur/vacancies/{vacancy.pk}/apply/")
    assert no_sideways_scrolling(page)

    page.locator("#id_full_name").fill("Sadia Parveen")
    page.locator("#id_email").fill("sadia@example.org")
    page.locator("#id_phone").fill("0301 2345678")
    page.locator("#id_sex_0").check()
    page.locator("#id_district").select_option("sd-tharparkar")
    page.locator("#id_cover_note").fill("میں تھرپارکر میں والدین کی کمیٹی چلاتی ہوں۔")
    page.locator("#id_cv").set_input_files(str(cv))
    page.locator("#id_consent").check()
    page.locator("#apply-form button[type=submit]").click()

    page.wait_for_url(f"{live_server.url}/ur/vacancies/{vacancy.pk}/applied/")
    assert page.locator("#applied h1").is_visible()
    application = Application.objects.get()
    assert (application.full_name, application.cv_kind, application.district.code) == (
        "Sadia Parveen",
        "pdf",
        "sd-tharparkar",
    )
    assert application.cover_note == "میں تھرپارکر میں والدین کی کمیٹی چلاتی ہوں۔"


def test_the_coverage_map_colours_covered_districts_and_leaves_vacant_ones_uncoloured(
    network, live_server, browser_page
):
    from muhim.network.coverage import COVERED, NONE, VACANT, district_covers

    expected = {COVERED: 0, VACANT: 0, NONE: 0}
    for cover in district_covers(with_geometry=False):
        expected[cover.status] += 1

    page = browser_page
    page.goto(f"{live_server.url}/network/")
    page.wait_for_selector("#coverage-map.muhim-map--ready", timeout=30000)
    element = page.locator("#coverage-map")
    assert element.get_attribute("data-covered") == str(expected[COVERED])
    assert element.get_attribute("data-vacant") == str(expected[VACANT])
    assert element.get_attribute("data-none") == str(expected[NONE])
    assert int(element.get_attribute("data-markers")) == sum(expected.values())
    # Vacant districts are outlines only; covered ones are filled.
    filled = page.locator("#coverage-map path.leaflet-interactive[fill-opacity='0.9']").count()
    hollow = page.locator("#coverage-map path.leaflet-interactive[fill-opacity='0']").count()
    assert (filled, hollow) == (expected[COVERED], expected[VACANT])

    # A district's popup leads to its organiser.
    # (Dispatched to the marker itself: markers of neighbouring districts overlap.)
    page.locator("#coverage-map path.leaflet-interactive[fill-opacity='0']").first.dispatch_event("click")
    link = page.locator(".leaflet-popup-content a")
    assert link.get_attribute("href").startswith("/network/find/")
    # The popup may pan the map to show itself; a click while it moves can miss the link.
    page.wait_for_selector("#coverage-map.muhim-map--ready:not(.muhim-map--moving)")
    link.click()
    page.wait_for_url(f"{live_server.url}/network/find/**")
    assert "vacant" in page.locator("#find-status").inner_text()
