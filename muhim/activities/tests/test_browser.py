"""Field activities in real Chromium on a 360-pixel phone screen: an organiser logs a Kuli
Katchehri (a typo in the attendance loses nothing), adds who parents met and a photo; and a
15-stop caravan's map draws its stops and its route in stop order."""

import io
from datetime import date, timedelta

import pytest
from PIL import Image
from playwright.sync_api import expect

from muhim.activities import services
from muhim.activities.models import Activity, ActivityType
from muhim.activities.tests.factories import district

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


def no_sideways_scrolling(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def jpeg_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1200), (200, 120, 40)).save(buffer, format="JPEG")
    return buffer.getvalue()


def test_an_organiser_logs_a_kuli_katchehri_on_a_phone(live_server, browser_page, browser_login, staff):
    page = browser_page
    page.set_viewport_size(PHONE)
    browser_login(page, live_server, staff.lahore)
    page.goto(f"{live_server.url}/field/activities/")
    page.get_by_role("link", name="Log an activity").click()
    page.wait_for_url(f"{live_server.url}/field/activities/new/")
    assert no_sideways_scrolling(page)

    page.locator("#id_kind").select_option(label="Kuli Katchehri")
    page.locator("#id_title").fill("Kuli Katchehri at GGHS Pattoki")
    page.locator("#id_status_1").check()  # held
    page.locator("#id_start_date").fill("2026-11-12")
    page.locator("#id_district").select_option(label="Kasur")
    page.locator("#id_venue").fill("Government Girls High School, Pattoki")
    assert page.locator("#id_women").get_attribute("inputmode") == "numeric"
    page.locator("#id_women").fill("-45")  # a slip of the thumb
    page.locator("#id_men").fill("30")
    page.locator("#id_girls").fill("12")
    page.locator("#id_boys").fill("8")
    page.locator("#id_outcomes").fill("The DEO promised two teachers for GPS Chak 12.")
    page.get_by_role("button", name="Log the activity").click()

    # Told what to fix, next to the field; everything typed is still there.
    expect(page.locator("#div_id_women")).to_contain_text("Attendance cannot be negative")
    assert page.locator("#id_title").input_value() == "Kuli Katchehri at GGHS Pattoki"
    assert page.locator("#id_district").input_value() == "pb-kasur"
    assert page.locator("#id_status_1").is_checked()
    assert (page.locator("#id_men").input_value(), page.locator("#id_boys").input_value()) == ("30", "8")
    assert "two teachers" in page.locator("#id_outcomes").input_value()
    assert not Activity.objects.exists()
    assert no_sideways_scrolling(page)

    page.locator("#id_women").fill("45")
    page.get_by_role("button", name="Log the activity").click()
    page.wait_for_url(f"{live_server.url}/field/activities/*/")
    activity = Activity.objects.get()
    assert (activity.kind, activity.attendance, activity.status) == (ActivityType.KULI_KATCHEHRI, 95, "held")
    expect(page.locator("#attendance")).to_contain_text("95")
    assert no_sideways_scrolling(page)

    # Who parents met: the form is open on a Kuli Katchehri that has nobody yet.
    officials = page.locator("#officials")
    officials.locator("#id_official-kind").select_option(label="Education official")
    officials.locator("#id_official-name").fill("Shazia Malik")
    officials.locator("#id_official-designation").fill("District Education Officer (Female), Kasur")
    officials.get_by_role("button", name="Add the official").click()
    expect(page.locator("#officials")).to_contain_text("Shazia Malik was added to the officials present.")
    expect(page.locator("#official-list")).to_contain_text("District Education Officer (Female), Kasur")
    assert activity.officials.get().name == "Shazia Malik"

    # A photo, uploaded without leaving the page; its thumbnail is served and links to the full size.
    page.locator("#photo-form input[type=file]").set_input_files(
        {"name": "katchehri.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}
    )
    page.locator("#photo-form").get_by_role("button", name="Upload").click()
    expect(page.locator("#photos")).to_contain_text("1 photo was added.")
    thumbnail = page.locator("#photo-list img")
    expect(thumbnail).to_have_count(1)
    page.wait_for_function("document.querySelector('#photo-list img').naturalWidth > 0")
    assert page.evaluate("document.querySelector('#photo-list img').naturalWidth") <= 360
    photo = activity.photos.get()
    assert page.locator("#photo-list a").get_attribute("href") == f"/field/photos/{photo.pk}/full/"
    assert no_sideways_scrolling(page)

    # The same page in Urdu, right to left, still fits the phone.
    page.goto(f"{live_server.url}/ur/field/activities/{activity.pk}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    expect(page.locator("#official-list")).to_contain_text("Shazia Malik")
    assert no_sideways_scrolling(page)


ROUTE = ["is-islamabad", "pb-rawalpindi", "pb-jhelum", "pb-gujrat", "pb-gujranwala", "pb-lahore", "pb-kasur",
         "pb-okara", "pb-sahiwal", "pb-khanewal", "pb-multan", "pb-lodhran", "pb-bahawalnagar", "pb-vehari",
         "pb-bahawalpur"]  # fmt: skip


def test_a_fifteen_stop_caravan_is_drawn_in_stop_order(live_server, browser_page, browser_login, staff):
    start = date(2026, 2, 1)
    caravan = services.save_activity(
        activity=Activity(
            kind=ActivityType.CARAVAN,
            title="Taleemi Caravan, Islamabad to Bahawalpur",
            start_date=start,
            end_date=start + timedelta(days=14),
            district=district("is-islamabad"),
        ),
        user=staff.office,
    )
    # Added out of order: the last stop first, then the others each at its number.
    services.add_stop(caravan=caravan, date=start + timedelta(days=14), district=district(ROUTE[-1]))
    for day, code in enumerate(ROUTE[:-1]):
        services.add_stop(
            caravan=caravan, date=start + timedelta(days=day), district=district(code), sequence=day + 1
        )
    for stop in caravan.stops.order_by("sequence")[:9]:
        services.log_stop_activity(
            stop=stop, activity=Activity(kind=ActivityType.THEATRE, title="Theatre", status="held", women=10)
        )

    page = browser_page
    page.set_viewport_size(PHONE)
    browser_login(page, live_server, staff.office)
    page.goto(f"{live_server.url}/field/activities/{caravan.pk}/")
    expect(page.locator("#held-text")).to_have_text("9 of 15 stops held")
    expect(page.locator("#reach-text")).to_have_text("15 districts in 15 days")
    expect(page.locator("#caravan-attendance")).to_have_text("90")

    route_map = page.locator("#route-map")
    expect(route_map).to_have_attribute("data-markers", "15")
    expect(route_map).to_have_attribute("data-lines", "1")
    expect(route_map).to_have_attribute("data-order", ",".join(str(n) for n in range(1, 16)))
    markers = page.locator("#route-map .leaflet-marker-pane .field-stop")
    expect(markers).to_have_count(15)
    assert markers.all_inner_texts() == [str(n) for n in range(1, 16)]
    expect(page.locator("#route-map .leaflet-marker-pane .field-stop--held")).to_have_count(9)
    expect(page.locator("#route-map .leaflet-overlay-pane path")).to_have_count(1)

    # The route joins the districts' centroids in stop order.
    geojson = page.request.get(f"{live_server.url}/field/activities/{caravan.pk}/route.geojson").json()
    line = next(f for f in geojson["features"] if f["geometry"]["type"] == "LineString")
    expected = [[float(district(c).centroid_lon), float(district(c).centroid_lat)] for c in ROUTE]
    assert line["geometry"]["coordinates"] == expected
    points = [f["properties"]["sequence"] for f in geojson["features"] if f["geometry"]["type"] == "Point"]
    assert points == list(range(1, 16))

    # Without the map the itinerary lists the same stops, in order.
    rows = page.locator("#stops .field-stop-row")
    expect(rows).to_have_count(15)
    assert [rows.nth(i).get_attribute("data-sequence") for i in range(15)] == [str(n) for n in range(1, 16)]
    assert no_sideways_scrolling(page)

    # A popup is built from the stop's data; markers work from the keyboard too (Islamabad's
    # lies under Rawalpindi's at this zoom).
    page.locator('#route-map .leaflet-marker-icon[title="1. Islamabad"]').focus()
    page.keyboard.press("Enter")
    expect(page.locator(".leaflet-popup-content")).to_contain_text("1. Islamabad")
    expect(page.locator(".leaflet-popup-content")).to_contain_text("Held")

    # Adding a stop redraws the map.
    page.locator("#itinerary summary", has_text="Add a stop").click()
    page.locator("#id_stop-date").fill((start + timedelta(days=14)).isoformat())
    page.locator("#id_stop-district").select_option(label="Rahim Yar Khan")
    page.locator("#stop-form").get_by_role("button", name="Add the stop").click()
    expect(page.locator("#itinerary")).to_contain_text("Stop 16, Rahim Yar Khan, was added.")
    expect(route_map).to_have_attribute("data-markers", "16")
    expect(page.locator("#route-map .leaflet-overlay-pane path")).to_have_count(1)


COUNTS_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<link rel="stylesheet" href="/static/vendor/leaflet/leaflet.css"></head><body>
<div class="muhim-field-map" id="counts-map" data-url="/__counts.geojson" data-style="counts"
     data-link-text="Open"></div>
<script src="/static/vendor/leaflet/leaflet.js"></script><script src="/static/js/field-map.js"></script>
</body></html>"""


def square(west, south, size=1.0):
    ring = [
        [west, south],
        [west + size, south],
        [west + size, south + size],
        [west, south + size],
        [west, south],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def test_the_counts_style_shades_areas_and_sizes_points_by_value(live_server, browser_page):
    """The style the field dashboard uses: drawn from any GeoJSON of {label, value, url, detail}."""
    features = [
        {"type": "Feature", "geometry": square(70, 30), "properties": {"label": "Most", "value": 40, "url": "/a/", "detail": "40 activities"}},
        {"type": "Feature", "geometry": square(72, 30), "properties": {"label": "Few", "value": 4, "url": "/b/", "detail": "4 activities"}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [67, 25]}, "properties": {"label": "Big", "value": 36, "url": None, "detail": ""}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [68, 26]}, "properties": {"label": '<img src=x onerror="window.hacked=1">', "value": 1, "url": "/c/", "detail": "<b>1</b>"}},
    ]  # fmt: skip
    page = browser_page
    page.route(
        f"{live_server.url}/__counts/",
        lambda route: route.fulfill(body=COUNTS_PAGE, content_type="text/html"),
    )
    page.route(
        f"{live_server.url}/__counts.geojson",
        lambda route: route.fulfill(json={"type": "FeatureCollection", "features": features}),
    )
    page.goto(f"{live_server.url}/__counts/")
    counts_map = page.locator("#counts-map")
    expect(counts_map).to_have_attribute("data-features", "4")
    expect(counts_map).to_have_attribute("data-polygons", "2")
    expect(counts_map).to_have_attribute("data-markers", "2")
    # The largest value is the darkest area; circles grow with their values.
    fills = page.locator("#counts-map path.leaflet-interactive").evaluate_all(
        "paths => paths.map(p => [p.getAttribute('fill'), p.getBoundingClientRect().width])"
    )
    polygons, circles = fills[:2], fills[2:]
    brightness = [sum(int(n) for n in fill[4:-1].split(",")) for fill, _ in polygons]
    assert brightness[0] < brightness[1]
    assert circles[0][1] > circles[1][1]
    # Popups show labels and details as text, never as HTML.
    page.evaluate(
        "() => { const m = document.querySelectorAll('#counts-map path.leaflet-interactive')[3];"
        " m.dispatchEvent(new MouseEvent('click', {bubbles: true, clientX: 1, clientY: 1})); }"
    )
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text('<img src=x onerror="window.hacked=1">')
    expect(popup).to_contain_text("<b>1</b>")
    assert popup.locator("img, b").count() == 0
    assert popup.get_by_role("link", name="Open").get_attribute("href") == "/c/"
    # Nor as tooltips.
    page.locator("#counts-map path.leaflet-interactive").nth(3).hover(force=True)
    expect(page.locator(".leaflet-tooltip")).to_contain_text('<img src=x onerror="window.hacked=1">')
    assert page.locator(".leaflet-tooltip img").count() == 0
    assert page.evaluate("window.hacked") is None
