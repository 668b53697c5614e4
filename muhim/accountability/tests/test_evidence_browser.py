"""The campaign office in real Chromium on a phone: records a voter-demand survey with more
demands than the form first offers (a mistyped share loses nothing), then a media story about
the same seat; both show on the seat's public scorecard."""

from datetime import date

import pytest
from playwright.sync_api import expect

from muhim.accountability.models import MediaStory, VoterSurvey

from .test_surveys import make_seat

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 360, "height": 740}


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_the_office_records_a_survey_and_a_story_and_the_seat_scorecard_shows_them(
    gazetteer, live_server, browser_page, browser_login, make_user
):
    from muhim.elections.models import Election

    election = Election.objects.create(
        name="General election 2018", slug="ge-2018", polling_date=date(2018, 7, 25), delimitation_year=2018
    )
    make_seat("NA-125", "pb", "pb-lahore")
    office = make_user("campaign_office", username="office")
    page = browser_page
    page.set_viewport_size(PHONE)
    browser_login(page, live_server, office)

    page.goto(f"{live_server.url}/surveys/new/")
    page.locator("#id_constituency_code").fill("na-125")
    page.locator("#id_election").select_option(str(election.pk))
    page.locator("#id_conducted_on").fill("2018-05-20")
    page.locator("#id_respondents").fill("400")
    demands = ["Gas load-shedding", "Schools and teachers", "Clean water", "Roads", "Jobs"]
    rows = page.locator("#demand-list .demand-row")
    assert rows.count() == 3
    add = page.get_by_role("button", name="Add another demand")
    add.click()
    add.click()
    expect(rows).to_have_count(5)
    for i, text in enumerate(demands):
        rows.nth(i).locator("input[name$=-rank]").fill(str(i + 1))
        rows.nth(i).locator("input[name$=-demand]").fill(text)
    rows.nth(1).locator("input[name$=-share]").fill("140")  # a typo for 40
    assert no_sideways_scroll(page)
    page.get_by_role("button", name="Save").click()

    # Told what to fix; all five rows and what was typed in them are still there.
    expect(page.locator("#survey-form")).to_contain_text("less than or equal to 100")
    expect(rows).to_have_count(5)
    assert [rows.nth(i).locator("input[name$=-demand]").input_value() for i in range(5)] == demands
    assert not VoterSurvey.objects.exists()
    rows.nth(1).locator("input[name$=-share]").fill("40")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/surveys/*/")
    stored = VoterSurvey.objects.get()
    assert [(d.rank, d.demand) for d in stored.demands.all()] == list(enumerate(demands, 1))
    assert [d.demand for d in stored.demands.all() if d.is_education] == ["Schools and teachers"]
    expect(page.get_by_text("The survey of NA-125 was saved.")).to_be_visible()

    # A story about the seat's schools.
    page.goto(f"{live_server.url}/media-stories/new/")
    page.locator("#id_outlet").fill("Dawn")
    page.locator("#id_published_on").fill("2018-06-12")
    page.locator("#id_title").fill("Candidates in NA-125 promise new schools")
    page.locator("#id_constituency_codes").fill("NA-125")
    page.locator("#id_is_education").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/media-stories/*/")
    story = MediaStory.objects.get()
    assert [c.code for c in story.constituencies.all()] == ["NA-125"]

    # The public scorecard of the seat: voters' ranked demands and the story.
    page.goto(f"{live_server.url}/elections/ge-2018/seats/NA-125/")
    expect(page.locator("body")).to_contain_text("Schools and teachers (40%)")
    expect(page.locator("#education-rank")).to_have_text("Education ranks 2.")
    expect(page.locator("body")).to_contain_text("Candidates in NA-125 promise new schools")
    assert no_sideways_scroll(page)
