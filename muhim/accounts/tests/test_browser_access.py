"""An organiser in a real browser: their own region's edit page opens, another region's is
refused with an explanation, on the page and through the API with the same session."""

import re

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


@pytest.mark.browser
@pytest.mark.parametrize("prefix", ["", "/ur"])
def test_an_administrators_bar_stays_on_one_line_and_signs_out_from_the_account_menu(
    browser_page, browser_login, live_server, make_user, prefix
):
    """An administrator sees every menu; on a 1280-pixel screen they still fit one line, and
    on a narrower one they fold into the menu button rather than wrapping."""
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 800})
    admin = make_user(Role.ADMINISTRATOR, username="nadia")
    browser_login(page, live_server, admin)
    page.goto(f"{live_server.url}{prefix}/accounts/")
    bar = page.locator("nav.navbar")
    page.evaluate("document.fonts.ready.then(() => true)")  # measured in its own fonts
    for width in (1200, 1280, 1440):
        page.set_viewport_size({"width": width, "height": 800})
        assert bar.bounding_box()["height"] < 80, width
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), width
    assert page.get_by_role("link", name="Imports" if not prefix else "درآمدات").is_visible()
    account = page.locator("#account-menu")
    sign_out = account.get_by_role("button", name="Sign out" if not prefix else "سائن آؤٹ")
    assert not sign_out.is_visible()

    page.set_viewport_size({"width": 1100, "height": 800})
    assert bar.bounding_box()["height"] < 80
    page.get_by_role("button", name="Menu" if not prefix else "مینو").click()
    expect(page.locator("#nav-main")).to_have_class(re.compile(r"\bshow\b"))  # unfolded

    account.get_by_role("button", name="nadia").click()
    expect(
        account.get_by_role("link", name="Security and API token" if not prefix else "سیکیورٹی اور API ٹوکن")
    ).to_be_visible()
    sign_out.click()
    page.wait_for_url(f"{live_server.url}{prefix}/")
    expect(
        page.get_by_role("link", name="Staff sign in" if not prefix else "عملے کا سائن ان")
    ).to_be_visible()
