"""A specialist adds a party in real Chromium with more spellings than the form first offers;
the importers then know the party by each of them."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_specialist_adds_a_party_with_five_spellings(live_server, browser_page, browser_login, make_user):
    from muhim.elections.models import Party
    from muhim.elections.services import PartyMatcher

    page = browser_page
    browser_login(page, live_server, make_user("specialist", username="analyst"))
    page.goto(f"{live_server.url}/parties/new/")
    page.locator("#id_name").fill("Pakistan Awami Tehreek")
    page.locator("#id_abbreviation").fill("PAT")
    spellings = ["PAT", "Pak Awami Tehreek", "Pakistan Awami Tehrik", "P.A.T.", "Pakistan Awami Tahreek"]
    rows = page.locator("#alias-list .alias-row")
    start = rows.count()
    for _ in range(len(spellings) - start):
        page.get_by_role("button", name="Add another spelling").click()
    expect(rows).to_have_count(len(spellings))
    for i, spelling in enumerate(spellings):
        rows.nth(i).locator("input[name$=-alias]").fill(spelling)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/parties/**")
    party = Party.objects.get(abbreviation="PAT")
    assert sorted(party.aliases.values_list("alias", flat=True)) == sorted(spellings)
    assert PartyMatcher().match("Pakistan Awami Tahreek").party == party
