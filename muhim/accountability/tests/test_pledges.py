"""Pledges and their promise-tracker ratings: the services' rules (who made it, when, where),
the staff pages (list, new, edit, rate) with every bad input told next to its field and nothing
typed lost, organisers kept to their regions, and the public page of a published pledge."""

import csv
import io
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from muhim.accountability import pledge_services as services
from muhim.accountability.models import Pledge, PledgeRating, Rating
from muhim.elections.models import Candidacy, Election, Party, Person
from muhim.geography.models import Area, Constituency, ConstituencyArea
from muhim.manifestos.models import Topic

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
MADE_ON = date(2018, 7, 1)


# --- the world the tests share (imported by the other test_pledges_* modules) -------------------


def seat(code, number, name, province, district):
    constituency = Constituency.objects.create(
        code=code,
        assembly=code.split("-")[0],
        number=number,
        name=name,
        delimitation_year=2018,
        province=Area.objects.get(code=province),
    )
    ConstituencyArea.objects.create(constituency=constituency, area=Area.objects.get(code=district))
    return constituency


def make_world():
    election = Election.objects.create(
        name="General election 2018", slug="ge-2018", polling_date=date(2018, 7, 25), delimitation_year=2018
    )
    pti = Party.objects.create(name="Pakistan Tehreek-e-Insaf", abbreviation="PTI", slug="pti")
    pmln = Party.objects.create(name="Pakistan Muslim League (N)", abbreviation="PML-N", slug="pml-n")
    lahore = seat("NA-125", 125, "Lahore-III", "pb", "pb-lahore")
    karachi = seat("NA-246", 246, "Karachi South-I", "sd", "sd-karachi-south")

    def stand(name, constituency, party):
        person = Person.objects.create(name=name)
        return Candidacy.objects.create(
            election=election, constituency=constituency, person=person, party=party
        )

    return SimpleNamespace(
        election=election,
        pti=pti,
        pmln=pmln,
        lahore=lahore,
        karachi=karachi,
        ali=stand("Ali Raza", lahore, pti),
        bilal=stand("Bilal Ahmed", lahore, pmln),
        sana=stand("Sana Baloch", karachi, pti),
    )


def make_staff(make_user):
    return SimpleNamespace(
        lahore=make_user("organiser", ["pb-lahore-division"], username="rco-lahore"),
        karachi=make_user("organiser", ["sd-karachi-division"], username="rco-karachi"),
        office=make_user("campaign_office", username="office"),
        specialist=make_user("specialist", username="specialist"),
        partner=make_user("partner", username="partner"),
    )


def record(user, world, **fields):
    data = {
        "election": world.election,
        "candidacy": world.ali,
        "made_on": MADE_ON,
        "source_type": Pledge.SourceType.CORNER_MEETING,
        "text": "Two more teachers for every girls' primary school in Lahore-III.",
        "is_education": True,
        "topic": Topic.TEACHERS,
    }
    data.update(fields)
    return services.save_pledge(user, data)


def png_file(name="proof.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), "white").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def fake_image(name="proof.jpg"):
    return SimpleUploadedFile(name, b"this is a text file, not a photo", content_type="image/jpeg")


@pytest.fixture
def world(gazetteer):
    return make_world()


@pytest.fixture
def staff(gazetteer, make_user):
    return make_staff(make_user)


def errors_of(exc):
    return {field: " ".join(messages) for field, messages in exc.value.message_dict.items()}


# --- the services ---------------------------------------------------------------------------------


def test_a_candidates_pledge_takes_their_party_and_seat(world, staff):
    pledge = record(staff.lahore, world)
    assert pledge.party == world.pti
    assert pledge.constituency == world.lahore
    assert pledge.recorded_by == staff.lahore
    assert pledge.rating == Rating.NOT_RATED


def test_a_pledge_needs_a_maker(world, staff):
    with pytest.raises(ValidationError) as exc:
        record(staff.office, world, candidacy=None)
    assert "candidate or a party" in errors_of(exc)["candidacy"]
    assert not Pledge.objects.exists()


def test_a_party_other_than_the_candidates_is_refused(world, staff):
    with pytest.raises(ValidationError) as exc:
        record(staff.office, world, party=world.pmln)
    message = errors_of(exc)["party"]
    assert "Ali Raza stood for PTI in NA-125" in message
    assert "not PML-N" in message


def test_a_candidacy_of_another_election_is_refused(world, staff):
    other = Election.objects.create(
        name="General election 2024", slug="ge-2024", polling_date=date(2024, 2, 8), delimitation_year=2018
    )
    with pytest.raises(ValidationError) as exc:
        record(staff.office, world, election=other, made_on=date(2024, 1, 20))
    assert "not in General election 2024" in errors_of(exc)["candidacy"]


def test_dates_in_the_future_or_long_before_the_election_are_refused(world, staff):
    with pytest.raises(ValidationError) as exc:
        record(staff.office, world, made_on=TODAY + timedelta(days=1))
    assert "cannot be in the future" in errors_of(exc)["made_on"]
    with pytest.raises(ValidationError) as exc:
        record(staff.office, world, made_on=date(2008, 1, 1))
    assert "check the year" in errors_of(exc)["made_on"]


def test_four_percent_only_with_education_and_links_must_be_web_addresses(world, staff):
    with pytest.raises(ValidationError) as exc:
        record(
            staff.office,
            world,
            is_education=False,
            topic="",
            commits_four_percent=True,
            source_url="ftp://example.org/pledge",
        )
    errors = errors_of(exc)
    assert "about education" in errors["commits_four_percent"]
    assert "http:// or https://" in errors["source_url"]


def test_a_new_pledges_four_percent_left_out_is_read_from_its_words(world, staff):
    said = record(staff.office, world, text="4% of GDP for education, every year of our government.")
    assert said.commits_four_percent
    urdu = record(staff.office, world, text="Schools.", text_ur="تعلیم کے لیے جی ڈی پی کا چار فیصد")
    assert urdu.commits_four_percent
    assert not record(staff.office, world, text="3% of GDP for education.").commits_four_percent
    # Said either way, it is what was said; and a pledge not about education never commits it.
    assert not record(
        staff.office, world, text="4% of GDP for education.", commits_four_percent=False
    ).commits_four_percent
    other = record(
        staff.office, world, text="4% of GDP for education and roads.", is_education=False, topic=""
    )
    assert not other.commits_four_percent
    # Editing the words later does not change it: only a new pledge is read.
    services.save_pledge(staff.office, {"text": "Two more teachers."}, pledge=said)
    said.refresh_from_db()
    assert said.commits_four_percent


def test_a_source_document_must_be_a_pdf_or_an_image(world, staff):
    with pytest.raises(ValidationError) as exc:
        record(staff.office, world, source_document=fake_image())
    assert "PDF or a photo" in errors_of(exc)["source_document"]
    pledge = record(staff.office, world, source_document=png_file())
    assert pledge.source_document.name.endswith(".png")


def test_an_organiser_records_only_for_seats_in_their_regions(world, staff):
    with pytest.raises(ValidationError) as exc:
        record(staff.lahore, world, candidacy=world.sana, text="A college for Lyari.")
    message = errors_of(exc)["candidacy"]
    assert "NA-246 Karachi South-I is in Karachi South" in message
    assert "outside your regions (Lahore" in message
    with pytest.raises(ValidationError) as exc:
        record(staff.lahore, world, candidacy=None, party=world.pti)
    assert "national pledge" in errors_of(exc)["constituency"]
    # A party's pledge made at a seat of their region is theirs to record.
    pledge = record(staff.lahore, world, candidacy=None, party=world.pmln, constituency=world.lahore)
    assert pledge.constituency == world.lahore and pledge.candidacy is None


def test_ratings_keep_a_dated_history_and_the_latest_by_date_is_current(world, staff):
    pledge = record(staff.office, world)
    services.rate_pledge(staff.office, pledge, Rating.IN_THE_WORKS, date(2019, 1, 10), "Posts advertised.")
    services.rate_pledge(
        staff.office, pledge, Rating.KEPT, date(2020, 3, 1), "Teachers in post.", "https://example.org/list"
    )
    # Found later: a note of an earlier stall. It joins the history; the current rating stays.
    services.rate_pledge(staff.lahore, pledge, Rating.STALLED, date(2019, 6, 1), evidence_file=png_file())
    pledge.refresh_from_db()
    assert pledge.rating == Rating.KEPT
    assert [r.rating for r in pledge.ratings.order_by("-rated_on")] == ["kept", "stalled", "in_the_works"]
    with pytest.raises(ValidationError) as exc:
        services.rate_pledge(staff.office, pledge, Rating.BROKEN, date(2018, 1, 1))
    assert "cannot have been rated before" in errors_of(exc)["rated_on"]
    with pytest.raises(ValidationError) as exc:
        services.rate_pledge(staff.office, pledge, Rating.BROKEN, TODAY, evidence_file=fake_image())
    assert "PDF or a photo" in errors_of(exc)["evidence_file"]
    with pytest.raises(ValidationError) as exc:
        services.rate_pledge(staff.karachi, pledge, Rating.BROKEN, TODAY)
    assert "outside your regions" in errors_of(exc)["rating"]
    assert pledge.ratings.count() == 3


def test_who_sees_which_pledges(world, staff):
    lahore = record(staff.lahore, world)
    karachi = record(staff.office, world, candidacy=world.sana, text="A college for Lyari.")
    national = record(
        staff.office, world, candidacy=None, party=world.pti, is_published=True, text="4% of GDP."
    )
    assert set(services.visible_pledges(staff.lahore)) == {lahore, national}
    assert set(services.visible_pledges(staff.karachi)) == {karachi, national}
    assert set(services.visible_pledges(staff.office)) == {lahore, karachi, national}
    # A partner reads what is published, as the public does (drafts are the campaign's).
    assert set(services.visible_pledges(staff.partner)) == {national}
    assert set(services.editable_pledges(staff.lahore)) == {lahore}
    assert not services.editable_pledges(staff.partner).exists()
    assert set(services.published_pledges()) == {national}


# --- the pages ------------------------------------------------------------------------------------


def form_data(world, **overrides):
    data = {
        "election": world.election.pk,
        "candidacy": "NA-125 ali",
        "party": "",
        "constituency": "",
        "made_on": "2018-07-02",
        "source_type": Pledge.SourceType.CORNER_MEETING,
        "text": "A science lab in every boys' high school of Lahore-III.",
        "text_ur": "",
        "is_education": "on",
        "topic": Topic.QUALITY,
        "source_url": "",
    }
    data.update(overrides)
    return data


def field_errors(response, name):
    return " ".join(str(e) for e in response.context["form"].errors.get(name, []))


def test_recording_needs_signing_in_and_a_role_without_staff_pages_reads_the_public_tracker(
    client, world, staff, make_user
):
    draft = record(staff.office, world, text="A draft nobody checked.")
    response = client.get(reverse("accountability:pledge-new"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(make_user(""))
    assert client.get(reverse("accountability:pledge-new")).status_code == 403
    response = client.get(reverse("accountability:pledge-list"))
    assert response.status_code == 200 and response.context["public"]
    assert draft.text not in response.content.decode()


def test_the_partner_reads_the_list_but_records_and_rates_nothing(client, world, staff):
    draft = record(staff.office, world, text="A draft nobody checked.", source_document=png_file())
    pledge = record(staff.office, world, is_published=True, source_document=png_file())
    services.rate_pledge(staff.office, pledge, Rating.IN_THE_WORKS, MADE_ON, "", "", png_file())
    client.force_login(staff.partner)
    response = client.get(reverse("accountability:pledge-list"))
    assert response.status_code == 200
    assert [row.record for row in response.context["table"].rows] == [pledge]
    refused = client.get(draft.get_absolute_url())
    assert refused.status_code == 403 and "not published yet" in refused.content.decode()
    # The private files stay with those who record pledges, published or not.
    page = client.get(pledge.get_absolute_url()).content.decode()
    assert "source-document" not in page and "Evidence file" not in page
    source = client.get(reverse("accountability:pledge-source", args=[pledge.pk]))
    assert source.status_code == 403 and "private" in source.content.decode()
    evidence = pledge.ratings.get()
    assert client.get(reverse("accountability:pledge-evidence", args=[evidence.pk])).status_code == 403
    assert b"new-pledge" not in response.content
    response = client.get(reverse("accountability:pledge-new"))
    assert response.status_code == 403
    assert "may read pledges but not record" in response.content.decode()
    detail = client.get(pledge.get_absolute_url())
    assert detail.status_code == 200 and detail.context["form"] is None
    response = client.post(reverse("accountability:pledge-rate", args=[pledge.pk]), {"rate-rating": "kept"})
    assert response.status_code == 403
    assert client.get(reverse("accountability:pledge-edit", args=[pledge.pk])).status_code == 403
    client.force_login(staff.office)
    assert client.get(reverse("accountability:pledge-source", args=[pledge.pk])).status_code == 200


def test_recording_a_pledge_by_typing_the_seat_and_name(client, world, staff):
    client.force_login(staff.lahore)
    response = client.post(reverse("accountability:pledge-new"), form_data(world))
    pledge = Pledge.objects.get()
    assert response.status_code == 302 and response["Location"] == pledge.get_absolute_url()
    assert pledge.candidacy == world.ali and pledge.party == world.pti
    assert pledge.recorded_by == staff.lahore


def test_the_candidate_options_follow_what_is_typed(client, world, staff):
    client.force_login(staff.office)
    response = client.get(
        reverse("accountability:pledge-candidates"), {"election": world.election.pk, "candidacy": "NA-125"}
    )
    text = response.content.decode()
    assert "Ali Raza (PTI)" in text and "Bilal Ahmed (PML-N)" in text and "Sana" not in text


def test_a_failed_submission_keeps_everything_typed_and_says_what_to_fix(client, world, staff):
    client.force_login(staff.office)
    data = form_data(world, made_on=(TODAY + timedelta(days=3)).isoformat(), party=world.pmln.pk)
    response = client.post(reverse("accountability:pledge-new"), data)
    assert response.status_code == 200
    assert not Pledge.objects.exists()
    assert "cannot be in the future" in field_errors(response, "made_on")
    page = response.content.decode()
    assert "A science lab in every boys&#x27; high school" in page
    assert 'value="NA-125 ali"' in page
    # The party mismatch is the service's, told once the date is right.
    response = client.post(reverse("accountability:pledge-new"), {**data, "made_on": "2018-07-02"})
    assert "stood for PTI in NA-125" in field_errors(response, "party")
    response = client.post(reverse("accountability:pledge-new"), form_data(world, candidacy=""))
    assert "candidate or a party" in field_errors(response, "candidacy")
    response = client.post(
        reverse("accountability:pledge-new"),
        {**form_data(world), "source_document": fake_image()},
    )
    assert "PDF or a photo" in field_errors(response, "source_document")
    assert b"file-lost" in response.content


def test_an_organiser_in_lahore_cannot_record_a_pledge_for_a_karachi_seat(client, world, staff):
    client.force_login(staff.lahore)
    response = client.post(reverse("accountability:pledge-new"), form_data(world, candidacy="NA-246 Sana"))
    assert response.status_code == 200
    assert "NA-246 Karachi South-I is in Karachi South, outside your regions" in field_errors(
        response, "candidacy"
    )
    assert not Pledge.objects.exists()
    karachi = record(staff.karachi, world, candidacy=world.sana)
    assert client.get(karachi.get_absolute_url()).status_code == 403
    assert client.get(reverse("accountability:pledge-edit", args=[karachi.pk])).status_code == 403


def test_an_unticked_four_percent_on_the_page_is_read_from_the_words_and_said(client, world, staff):
    client.force_login(staff.lahore)
    text = "We will spend 4% of GDP on education, and a science lab in every boys' high school."
    response = client.post(reverse("accountability:pledge-new"), form_data(world, text=text), follow=True)
    pledge = Pledge.objects.get()
    assert pledge.commits_four_percent
    assert "so it is marked as committing 4%" in response.content.decode()
    ticked = form_data(world, made_on="2018-07-03", commits_four_percent="on")
    response = client.post(reverse("accountability:pledge-new"), ticked, follow=True)
    assert Pledge.objects.get(made_on=date(2018, 7, 3)).commits_four_percent
    assert "so it is marked" not in response.content.decode()
    response = client.post(reverse("accountability:pledge-new"), form_data(world, made_on="2018-07-04"))
    assert not Pledge.objects.get(made_on=date(2018, 7, 4)).commits_four_percent


def test_editing_a_pledge(client, world, staff):
    pledge = record(staff.lahore, world)
    client.force_login(staff.lahore)
    url = reverse("accountability:pledge-edit", args=[pledge.pk])
    form = client.get(url).context["form"]
    assert form.initial["candidacy"].startswith("NA-125 · Ali Raza (PTI)")
    data = {**form.initial, "election": world.election.pk, "made_on": "2018-07-03", "is_published": "on"}
    data = {k: v for k, v in data.items() if v not in (None, False)}
    data.update(text="Two more teachers, and a science teacher, for each girls' school.", is_education="on")
    response = client.post(url, data)
    assert response.status_code == 302
    pledge.refresh_from_db()
    assert pledge.text.startswith("Two more teachers, and a science teacher")
    assert pledge.is_published and pledge.made_on == date(2018, 7, 3)
    assert pledge.candidacy == world.ali and pledge.recorded_by == staff.lahore


def test_rating_on_the_page_shows_the_history_newest_first(client, world, staff):
    pledge = record(staff.lahore, world)
    client.force_login(staff.lahore)
    url = reverse("accountability:pledge-rate", args=[pledge.pk])
    client.post(
        url, {"rate-rating": "in_the_works", "rate-rated_on": "2019-01-10", "rate-note": "Advertised."}
    )
    response = client.post(
        url,
        {
            "rate-rating": "kept",
            "rate-rated_on": "2020-03-01",
            "rate-evidence_url": "https://example.org/teachers",
            "rate-evidence_file": png_file(),
        },
    )
    assert response.status_code == 302
    page = client.get(pledge.get_absolute_url())
    assert [c.rating for c in page.context["history"]] == ["kept", "in_the_works"]
    assert page.context["pledge"].rating == "kept"
    change = PledgeRating.objects.get(rating="kept")
    download = client.get(reverse("accountability:pledge-evidence", args=[change.pk]))
    assert download.status_code == 200 and download["Cache-Control"] == "private, no-store"
    response = client.post(
        url, {"rate-rating": "broken", "rate-rated_on": (TODAY + timedelta(days=2)).isoformat()}
    )
    assert response.status_code == 200
    assert "cannot be in the future" in " ".join(response.context["form"].errors["rated_on"])


def test_the_list_filters_and_exports(client, world, staff):
    record(staff.office, world, commits_four_percent=True, topic=Topic.FUNDING, text="4% of GDP for schools.")
    record(staff.office, world, candidacy=world.sana, text="A college for Lyari.")
    client.force_login(staff.office)
    url = reverse("accountability:pledge-list")
    rows = client.get(url, {"four_percent": "true"}).context["table"].rows
    assert [r.record.text for r in rows] == ["4% of GDP for schools."]
    rows = client.get(url, {"q": "NA-246"}).context["table"].rows
    assert [r.record.text for r in rows] == ["A college for Lyari."]
    rows = client.get(url, {"province": "pb"}).context["table"].rows
    assert [r.record.text for r in rows] == ["4% of GDP for schools."]
    export = client.get(url, {"export": "csv"})
    lines = list(csv.DictReader(io.StringIO(b"".join(export).decode("utf-8-sig"))))
    assert {line["Seat"] for line in lines} == {"NA-125", "NA-246"}
    assert lines[0]["Recorded by"] == "office"
    client.force_login(staff.specialist)  # no personal data: no column of who recorded it
    export = client.get(url, {"export": "csv"})
    assert "Recorded by" not in b"".join(export).decode("utf-8-sig")


# --- the public -----------------------------------------------------------------------------------


def test_the_public_sees_only_a_published_pledge_and_not_who_recorded_it(client, world, staff):
    draft = record(staff.office, world)
    published = record(
        staff.office,
        world,
        is_published=True,
        text="Free textbooks in every school.",
        source_document=png_file(),
    )
    services.rate_pledge(staff.office, published, Rating.BROKEN, date(2021, 1, 1), "No textbooks in 2020.")
    assert client.get(draft.get_absolute_url()).status_code == 404
    response = client.get(published.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Free textbooks in every school." in page
    assert "Promise broken" in page and "No textbooks in 2020." in page
    assert "office" not in page and "Recorded by" not in page
    assert reverse("accountability:pledge-source", args=[published.pk]) not in page
    source = client.get(reverse("accountability:pledge-source", args=[published.pk]))
    assert source.status_code == 302 and "/accounts/login/" in source["Location"]


def test_the_public_tracker_lists_published_pledges_with_filters_and_exports(client, world, staff):
    record(staff.office, world, text="A draft nobody checked.")
    kept = record(
        staff.office, world, is_published=True, text="Free textbooks in every school.", topic=Topic.ACCESS
    )
    services.rate_pledge(staff.office, kept, Rating.KEPT, date(2020, 3, 1), "Textbooks handed out.")
    record(
        staff.office,
        world,
        candidacy=world.sana,
        is_published=True,
        commits_four_percent=True,
        topic=Topic.FUNDING,
        text="4% of GDP for education.",
    )
    url = reverse("accountability:pledge-list")
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Pledge tracker" in page and "2 published pledges" in page
    assert "Free textbooks in every school." in page and "A draft nobody checked." not in page
    assert 'name="published"' not in page and "Published</th>" not in page
    assert reverse("accountability:pledge-new") not in page
    assert kept.get_absolute_url() in page
    assert [r.record.text for r in client.get(url, {"rating": "kept"}).context["table"].rows] == [
        "Free textbooks in every school."
    ]
    assert [r.record.text for r in client.get(url, {"four_percent": "true"}).context["table"].rows] == [
        "4% of GDP for education."
    ]
    assert [r.record.text for r in client.get(url, {"province": "sd"}).context["table"].rows] == [
        "4% of GDP for education."
    ]
    # Asking for drafts shows nothing more.
    assert len(client.get(url, {"published": "false"}).context["table"].rows) == 2
    export = client.get(url, {"export": "csv"})
    assert "published-pledges.csv" in export["Content-Disposition"]
    lines = list(csv.DictReader(io.StringIO(b"".join(export).decode("utf-8-sig"))))
    assert sorted(line["Pledge"] for line in lines) == [
        "4% of GDP for education.",
        "Free textbooks in every school.",
    ]
    assert "Recorded by" not in lines[0] and "Published" not in lines[0]
    Pledge.objects.filter(pk=kept.pk).update(text_ur="ہر اسکول میں مفت درسی کتابیں۔")
    urdu = client.get("/ur/pledges/").content.decode()
    assert 'dir="rtl"' in urdu and "وعدوں کا ٹریکر" in urdu and "2 شائع شدہ وعدے" in urdu
    # An Urdu reader gets a pledge's Urdu wording where there is one; English keeps its direction.
    assert '<span dir="auto">ہر اسکول میں مفت درسی کتابیں۔</span>' in urdu
    assert '<span dir="auto">4% of GDP for education.</span>' in urdu
    # Staff still see the drafts of their list.
    client.force_login(staff.office)
    response = client.get(url)
    assert not response.context["public"] and len(response.context["table"].rows) == 3


def test_the_new_pledge_page_offers_the_organisers_seats_and_candidates(client, world, staff):
    client.force_login(staff.lahore)
    page = client.get(reverse("accountability:pledge-new")).content.decode()
    assert 'value="NA-125"' in page and 'value="NA-246"' not in page
    assert "Ali Raza (PTI)" in page and "Sana Baloch" not in page


def test_the_demo_adds_a_few_pledges_once_and_nothing_without_an_election(world):
    from muhim.accountability import demo_pledges

    demo_pledges.load()
    count = Pledge.objects.count()
    assert count == 5
    assert Pledge.objects.filter(is_published=True, ratings__isnull=False).exists()
    demo_pledges.load()
    assert Pledge.objects.count() == count


def test_the_demo_does_nothing_without_elections(db):
    from muhim.accountability import demo_pledges

    demo_pledges.load()
    assert not Pledge.objects.exists()
