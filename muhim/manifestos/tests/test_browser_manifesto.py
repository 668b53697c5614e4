"""A specialist on a 360-pixel phone, in real Chromium: uploads a party's manifesto as plain
text, waits for its analysis, corrects one sentence and confirms another, and sees the
education share change without a page load; then the party's scorecard and the objectives
dashboard show the reviewed share, and once she publishes it, so does the public scorecard."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 360, "height": 740}

TEXT = """Education first

We will enrol every out-of-school child in a primary school within five years.
We will recruit and train one hundred thousand new teachers.
We will raise public spending on education to 4% of GDP.

The economy

We will reduce the fiscal deficit.
We will build new roads and motorways.
Power cuts will end by the end of our term.
"""


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_specialist_uploads_a_manifesto_and_reviews_its_sentences_on_a_phone(
    live_server, browser_page, browser_login, make_user
):
    import datetime

    from django.test import Client

    from muhim.elections.models import Election, Party
    from muhim.manifestos.models import Manifesto, share

    party = Party.objects.create(name="Pakistan Progress Party", abbreviation="PPP-D")
    election = Election.objects.create(
        name="General election 2018",
        slug="ge-2018",
        polling_date=datetime.date(2018, 7, 25),
        delimitation_year=2018,
    )
    specialist = make_user("specialist", username="analyst")
    page = browser_page
    page.set_viewport_size(PHONE)
    browser_login(page, live_server, specialist)

    page.goto(f"{live_server.url}/manifestos/upload/")
    assert no_sideways_scroll(page)
    page.locator("select[name=party]").select_option(str(party.pk))
    page.locator("select[name=election]").select_option(str(election.pk))
    page.locator("input[name=title]").fill("Manifesto 2018")
    page.locator("input[name=file]").set_input_files(
        {"name": "manifesto.txt", "mimeType": "text/plain", "buffer": TEXT.encode()}
    )
    page.locator("#upload").click()
    page.wait_for_url(f"{live_server.url}/manifestos/*/")
    manifesto = Manifesto.objects.get()
    page.locator("#share").wait_for()  # the analysis is done (tests run it at once)
    assert manifesto.status == "ready" and manifesto.quasi_sentences == 6
    assert page.locator("#share").inner_text() == f"{manifesto.education_share:.3f}%"
    assert page.locator("#quasi-sentences").inner_text() == "6"
    assert "heading, not counted" in page.locator(".sentence-heading").first.inner_text()
    assert no_sideways_scroll(page)

    # Correct a sentence the classifier did not count: the share goes up at once.
    roads = manifesto.sentences.get(text="We will build new roads and motorways.")
    assert not roads.predicted_education
    before = page.locator("#share").inner_text()
    expected = share(manifesto.education_sentences + 1, 6)
    row = page.locator(f"#sentence-{roads.pk}")
    row.locator("select[name=topic]").select_option("infrastructure")
    row.get_by_role("button", name="Education", exact=True).click()
    page.locator("#reviewed-sentences", has_text="1").wait_for()
    assert page.locator("#share").inner_text() == f"{expected:.3f}%" != before
    assert "Reviewer: education Infrastructure" in " ".join(
        page.locator(f"#sentence-{roads.pk}").inner_text().split()
    )

    # Confirm one the classifier counted: reviewed, the share unchanged.
    teachers = manifesto.sentences.get(text__startswith="We will recruit and train")
    kept = teachers.predicted_education
    page.locator(f"#sentence-{teachers.pk}").get_by_role(
        "button", name="Education" if kept else "Not education", exact=True
    ).click()
    page.locator("#reviewed-sentences", has_text="2").wait_for()
    assert page.locator("#share").inner_text() == f"{expected:.3f}%"
    manifesto.refresh_from_db()
    assert (manifesto.reviewed_sentences, manifesto.education_share) == (2, expected)
    assert no_sideways_scroll(page)

    # The party's scorecard and the objectives dashboard count the reviewed share.
    page.goto(f"{live_server.url}/parties/{party.slug}/")
    assert page.locator("#education-share").inner_text() == f"{expected:.3f}%"
    assert "not published" in page.locator("#manifesto").inner_text()
    assert no_sideways_scroll(page)
    page.goto(f"{live_server.url}/objectives/")
    objective = page.locator("#objective-manifestos")
    assert "1 of 1 parties" in objective.inner_text()
    assert f"{expected:.3f}%" in objective.inner_text()
    # The public sees it once it is published.
    public = Client()
    assert "No analysed manifesto" in public.get(f"/parties/{party.slug}/").content.decode()
    page.goto(f"{live_server.url}/manifestos/{manifesto.pk}/")
    page.locator("#publish").click()
    page.locator("#published-badge").wait_for()
    assert f"{expected:.3f}%" in public.get(f"/parties/{party.slug}/").content.decode()
    assert "1 of 1 parties" in public.get("/objectives/").content.decode()
