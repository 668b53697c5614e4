"""An organiser in a real browser: their own region's edit page opens, another region's is
refused with an explanation, on the page and through the API with the same session."""

import pytest
from playwright.sync_api import expect

from muhim.accounts.models import Role


@pytest.mark.browser
def test_an_organiser_edits_their_region_and_is_refused_another(
    browser_page, browser_login, live_server, gazetteer, make_user
):
    page = browser_page
    organiser = make_user(Role.ORGANISER, ["pb-lahore-division"], first_name="Ayesha")
    browser_login(page, live_server, organiser)
    expect(page.get_by_role("heading", name="Welcome, Ayesha")).to_be_visible()

    response = page.goto(f"{live_server.url}/areas/pb-lahore/edit/")
    assert response.status == 200
    expect(page.get_by_label("Name (English)")).to_have_value("Lahore")
    page.get_by_label("Headquarters").fill("Lahore city")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/areas/pb-lahore/")
    expect(page.get_by_text("Lahore was saved.")).to_be_visible()

    response = page.goto(f"{live_server.url}/areas/sd-karachi-south/edit/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="You are not allowed to see this page")).to_be_visible()
    expect(page.get_by_text("You can edit areas only inside your own regions.")).to_be_visible()
    expect(page.locator("#your-access").get_by_role("link", name="Lahore")).to_be_visible()

    # The API with the browser's session: refused outside the region, not for want of CSRF.
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    headers = {"X-CSRFToken": csrf, "Referer": f"{live_server.url}/"}
    other = page.request.patch(
        f"{live_server.url}/api/v1/areas/sd-karachi-south/", data={"headquarters": "X"}, headers=headers
    )
    assert other.status == 403
    assert "CSRF" not in other.text()
    own = page.request.patch(
        f"{live_server.url}/api/v1/areas/pb-lahore/", data={"name_ur": "لاہور"}, headers=headers
    )
    assert own.status == 200
    assert own.json()["headquarters"] == "Lahore city"
