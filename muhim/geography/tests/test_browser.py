"""The geography pages in real Chromium: the map draws, Urdu turns the page right-to-left, phones
do not scroll sideways, keyboards reach the content."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wait_for_map(page, selector=".muhim-map"):
    page.wait_for_selector(f"{selector}.muhim-map--ready", timeout=30000)
    return page.locator(selector).first


def import_real_boundaries(shared_data):
    from muhim.geography.boundaries import import_boundaries

    path = shared_data / "boundaries" / "pakistan-2023.topojson.json"
    report = import_boundaries(path.read_bytes(), source_name=path.name)
    assert report.matched_by_level["district"] == 156


def test_the_district_map_draws_156_polygons_from_the_real_boundaries(
    gazetteer, shared_data, live_server, browser_page
):
    import_real_boundaries(shared_data)
    page = browser_page
    page.goto(f"{live_server.url}/map/?level=district")
    element = wait_for_map(page)
    assert element.get_attribute("data-polygons") == "156"
    assert element.get_attribute("data-markers") == "0"
    assert page.locator(".muhim-map svg path.leaflet-interactive").count() == 156
    assert page.locator(".map-fallback").count() == 0
    assert page.locator("#map-mode").count() == 0  # no "shown as markers" note
    # The polygons are spread over the map, not collapsed into a corner.
    box = page.locator(".muhim-map svg").first.bounding_box()
    assert box["width"] > 300 and box["height"] > 200


def test_a_polygon_links_to_its_area(gazetteer, shared_data, live_server, browser_page):
    import_real_boundaries(shared_data)
    page = browser_page
    page.goto(f"{live_server.url}/areas/pb-lahore/")
    element = wait_for_map(page)
    # Lahore among the districts of its division, outlined.
    assert element.get_attribute("data-polygons") == "4"
    page.locator(".muhim-map path.leaflet-interactive[stroke='#b71c1c']").click(force=True)
    link = page.locator(".leaflet-popup-content a")
    assert link.get_attribute("href") == "/areas/pb-lahore/"


def test_without_boundaries_the_map_draws_a_marker_per_area(gazetteer, live_server, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/map/?level=district")
    element = wait_for_map(page)
    assert element.get_attribute("data-markers") == "156"
    assert element.get_attribute("data-polygons") == "0"
    assert page.locator(".muhim-map svg path.leaflet-interactive").count() == 156
    assert "shown as a marker" in page.locator("#map-mode").inner_text()


def test_the_home_page_map_draws_the_provinces(gazetteer, live_server, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/")
    element = wait_for_map(page)
    assert element.get_attribute("data-markers") == "7"


def test_the_language_switcher_turns_the_page_to_urdu_and_back(gazetteer, live_server, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/areas/pb-lahore/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    page.get_by_role("button", name="اردو").click()
    page.wait_for_url(f"{live_server.url}/ur/**")
    assert page.url == f"{live_server.url}/ur/areas/pb-lahore/"
    html = page.locator("html")
    assert (html.get_attribute("dir"), html.get_attribute("lang")) == ("rtl", "ur")
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Noto Nastaliq Urdu" in font
    # The font file itself arrives (it is served from the npm package, not a CDN).
    page.wait_for_function("document.fonts.check('16px \"Noto Nastaliq Urdu\"', 'لاہور')", timeout=15000)
    # Right to left: the brand sits at the right edge of the navigation bar.
    brand = page.locator(".navbar-brand").bounding_box()
    assert brand["x"] > 1280 / 2
    assert "لاہور" in page.locator("h1").inner_text()
    assert "پنجاب" in page.locator(".breadcrumb").inner_text()
    wait_for_map(page)
    assert page.locator(".muhim-map").get_attribute("data-link-prefix") == "/ur"


# Django's set_language runs unprefixed (so in English) and cannot resolve '/ur/…' to translate
# it; the switcher's `next` must be the path without '/ur' (templates/includes/language_switcher.html).
def test_the_language_switcher_turns_an_urdu_page_back_to_english(gazetteer, live_server, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/ur/areas/pb-lahore/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.get_by_role("button", name="English").click()
    page.wait_for_url(f"{live_server.url}/areas/pb-lahore/")
    html = page.locator("html")
    assert (html.get_attribute("dir"), html.get_attribute("lang")) == ("ltr", "en")
    assert "Nastaliq" not in page.evaluate("getComputedStyle(document.body).fontFamily")


@pytest.mark.parametrize("path", ["/", "/ur/", "/map/?level=district", "/areas/?level=district"])
def test_phone_pages_do_not_scroll_sideways(gazetteer, live_server, browser_page, path):
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}{path}")
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_the_area_page_is_usable_on_a_phone(gazetteer, live_server, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/areas/sd-karachi-east/")
    element = wait_for_map(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.locator("h1").is_visible()
    box = element.bounding_box()
    assert box["width"] <= 360 and box["height"] >= 200
    assert element.get_attribute("data-markers") == "7"
    # The menu folds away and opens; the language switcher is inside it.
    switcher = page.get_by_role("button", name="اردو")
    assert not switcher.is_visible()
    page.get_by_role("button", name="Menu").click()
    switcher.wait_for(state="visible")
    # Links to the parent division are large enough to tap.
    parent = page.locator(".breadcrumb a", has_text="Karachi").first
    assert parent.is_visible()
    parent.click()
    page.wait_for_url(f"{live_server.url}/areas/sd-karachi-division/")


def test_the_skip_link_is_the_first_thing_a_keyboard_reaches(gazetteer, live_server, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/areas/pb-lahore/")
    skip = page.locator("a.visually-hidden-focusable")
    assert not skip.is_visible() or skip.bounding_box()["width"] <= 1
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "[document.activeElement.tagName, document.activeElement.getAttribute('href'), document.activeElement.textContent.trim()]"
    )
    assert focused == ["A", "#main", "Skip to content"]
    assert skip.is_visible() and skip.bounding_box()["width"] > 1
    page.keyboard.press("Enter")
    # Following an in-page link updates the address a moment later; wait for it.
    page.wait_for_url("**#main", timeout=5000)
    page.keyboard.press("Tab")
    # The next stop is inside the main content, not back in the navigation.
    inside_main = page.evaluate("document.getElementById('main').contains(document.activeElement)")
    assert inside_main


def test_htmx_filters_update_the_results_without_a_page_load(gazetteer, live_server, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/areas/")
    page.evaluate("window.__same_page = true")
    page.get_by_label("Level").select_option("province")
    page.wait_for_url("**level=province**")
    page.locator("#results").get_by_text("7 areas").wait_for()
    assert page.evaluate("window.__same_page") is True
    assert page.locator("#results tbody tr").count() == 7


def test_a_name_that_looks_like_html_stays_text_on_the_map(gazetteer, live_server, browser_page):
    """Organisers correct their region's names; whatever they type is shown, never run."""
    from muhim.geography.models import Area

    Area.objects.filter(code="pb-kasur").update(name='<img src=x onerror="window.ran=1">Kasur')
    page = browser_page
    page.goto(f"{live_server.url}/map/?level=district")
    wait_for_map(page)
    page.evaluate(
        """() => { document.querySelectorAll('.muhim-map .leaflet-interactive')
              .forEach(el => el.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}))); }"""
    )
    tooltips = page.locator(".leaflet-tooltip")
    assert tooltips.count() >= 1
    assert any(t == '<img src=x onerror="window.ran=1">Kasur' for t in tooltips.all_inner_texts())
    assert page.locator(".leaflet-tooltip img").count() == 0
    assert page.evaluate("window.ran") is None
