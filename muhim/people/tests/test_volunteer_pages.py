"""The organisers' pages: their volunteers and nobody else's, each volunteer's history, and
what they change and record."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from muhim.core.models import AuditEvent
from muhim.people.models import Interaction, Tag, Volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(network, volunteer_in):
    return {
        "kasur": volunteer_in(
            "pb-kasur", name="Sana Kasur", phone="+923001234567", email="sana@example.org", sex="female"
        ),
        "lahore": volunteer_in("pb-lahore", name="Ali Lahore", phone="+923211111111", level="active"),
        "karachi": volunteer_in("sd-karachi-south", name="Zara Karachi", phone="+923332222222"),
        "rajanpur": volunteer_in("pb-rajanpur", name="Omar Rajanpur", phone="+923453333333"),
    }


def names(response):
    return {row.record.name for row in response.context["table"].rows}


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(b"".join(response).decode("utf-8-sig"))))


def test_an_organiser_sees_only_their_regions_volunteers(client, network, people):
    client.force_login(network.lahore)
    response = client.get("/volunteers/")
    assert response.status_code == 200
    assert names(response) == {"Sana Kasur", "Ali Lahore"}
    html = response.content.decode()
    assert "2 volunteers" in html
    assert 'href="tel:+923001234567"' in html and "0300 1234567" in html
    assert "Zara Karachi" not in html


def test_the_campaign_office_sees_everyone(client, network, people):
    client.force_login(network.office)
    assert names(client.get("/volunteers/")) == {"Sana Kasur", "Ali Lahore", "Zara Karachi", "Omar Rajanpur"}


@pytest.mark.parametrize("role", ["specialist", "partner", ""])
def test_other_roles_are_refused(client, make_user, people, role):
    client.force_login(make_user(role))
    assert client.get("/volunteers/").status_code == 403
    assert client.get(f"/volunteers/{people['kasur'].pk}/").status_code == 403
    assert client.get("/volunteers/add/").status_code == 403


def test_an_organiser_without_regions_is_refused(client, make_user, people):
    client.force_login(make_user("organiser"))
    assert client.get("/volunteers/").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, people):
    response = client.get("/volunteers/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.get(f"/volunteers/{people['kasur'].pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "sana"}, {"Sana Kasur"}),
        ({"q": "0300-1234567"}, {"Sana Kasur"}),
        ({"q": "+92 321 1111111"}, {"Ali Lahore"}),
        ({"q": "1111"}, {"Ali Lahore"}),
        ({"q": "sana@example"}, {"Sana Kasur"}),
        ({"district": "pb-lahore"}, {"Ali Lahore"}),
        ({"level": "active"}, {"Ali Lahore"}),
        ({"sex": "female"}, {"Sana Kasur"}),
        ({"sex": "undisclosed"}, {"Ali Lahore"}),
    ],
)
def test_search_and_filters(client, network, people, query, expected):
    client.force_login(network.lahore)
    assert names(client.get("/volunteers/", query)) == expected


def test_filters_by_interest_tag_organiser_and_date(client, network, people):
    from muhim.people.models import Interest

    kasur = people["kasur"]
    kasur.interests.add(Interest.objects.get(code="media"))
    kasur.tags.add(Tag.objects.create(name="speaker"))
    kasur.organiser = network.lahore
    kasur.save()
    client.force_login(network.lahore)
    assert names(client.get("/volunteers/", {"interest": "media"})) == {"Sana Kasur"}
    tag = Tag.objects.get(name="speaker")
    assert names(client.get("/volunteers/", {"tag": tag.pk})) == {"Sana Kasur"}
    assert names(client.get("/volunteers/", {"organiser": network.lahore.pk})) == {"Sana Kasur"}
    Volunteer.objects.filter(pk=people["lahore"].pk).update(created_at="2025-01-10T10:00:00+05:00")
    assert names(client.get("/volunteers/", {"signed_up_to": "2025-06-30"})) == {"Ali Lahore"}
    assert names(client.get("/volunteers/", {"signed_up_from": "2025-06-30"})) == {"Sana Kasur"}


def test_an_organiser_cannot_filter_their_way_into_another_region(client, network, people):
    client.force_login(network.lahore)
    response = client.get("/volunteers/", {"district": "sd-karachi-south"})
    assert "Zara Karachi" not in names(response)
    assert "district" in response.context["filter"].form.errors
    options = response.context["filter"].form.fields["district"].queryset
    assert {d.code for d in options} == {"pb-kasur", "pb-lahore", "pb-nankana-sahib", "pb-sheikhupura"}


def test_exports_hold_exactly_the_filtered_rows_and_are_audited(client, network, people):
    client.force_login(network.lahore)
    response = client.get("/volunteers/", {"q": "sana", "export": "csv"})
    rows = csv_rows(response)
    assert [r["Name"] for r in rows] == ["Sana Kasur"]
    assert rows[0]["Mobile"] == "+923001234567"
    assert rows[0]["E-mail"] == "sana@example.org"
    assert rows[0]["Consent wording"] == "2026-11"
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert (event.user, event.subject, event.details["rows"], event.details["format"]) == (
        network.lahore,
        "volunteers",
        1,
        "csv",
    )
    assert event.details["filters"] == {"q": "sana"}
    response = client.get("/volunteers/", {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response))).active
    exported = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert exported == {"Sana Kasur", "Ali Lahore"}
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count() == 2


def test_the_list_updates_by_htmx(client, network, people):
    client.force_login(network.lahore)
    response = client.get("/volunteers/", {"q": "ali"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and "Ali Lahore" in html and "Sana Kasur" not in html


def test_another_regions_volunteer_is_refused_not_hidden(client, network, people):
    client.force_login(network.lahore)
    response = client.get(f"/volunteers/{people['karachi'].pk}/")
    assert response.status_code == 403
    assert "Zara Karachi" not in response.content.decode()
    response = client.post(
        f"/volunteers/{people['karachi'].pk}/",
        {"action": "contact", "contact-kind": "note", "contact-text": "x"},
    )
    assert response.status_code == 403
    assert not people["karachi"].interactions.filter(kind="note").exists()
    assert client.get("/volunteers/999999/").status_code == 404


def test_the_volunteer_page_shows_details_consent_and_history(client, network, people):
    kasur = people["kasur"]
    client.force_login(network.lahore)
    html = client.get(f"/volunteers/{kasur.pk}/").content.decode()
    assert "Sana Kasur" in html and "0300 1234567" in html and "sana@example.org" in html
    assert "Agreed to wording version 2026-11" in html
    assert "میں اتفاق کرتا/کرتی ہوں" in html  # the wording as they saw it (in Urdu, their language)
    assert "Signed up" in html


def test_level_notes_tags_and_contacts_are_recorded_in_the_history(client, network, people):
    kasur = people["kasur"]
    Tag.objects.create(name="Speaker")
    client.force_login(network.lahore)
    url = f"/volunteers/{kasur.pk}/"
    response = client.post(
        url,
        {
            "action": "update",
            "update-level": "leader",
            "update-notes": "Runs the Kasur parents' group.",
            "update-tags": "speaker, Kasur team ,  kasur team",
        },
    )
    assert response.status_code == 302
    kasur.refresh_from_db()
    assert kasur.level == "leader"
    assert kasur.notes == "Runs the Kasur parents' group."
    assert sorted(t.name for t in kasur.tags.all()) == ["Kasur team", "Speaker"]
    assert Tag.objects.count() == 2  # "speaker" is the existing "Speaker"

    response = client.post(
        url, {"action": "contact", "contact-kind": "call", "contact-text": "Will bring five parents."}
    )
    assert response.status_code == 302
    earlier = (timezone.localdate() - timedelta(days=10)).isoformat()
    response = client.post(url, {"action": "contact", "contact-kind": "whatsapp", "contact-on": earlier})
    assert response.status_code == 302

    page = client.get(url)
    history = list(page.context["history"])
    kinds = [i.kind for i in history]
    assert kinds.index(Interaction.Kind.CALL) < kinds.index(Interaction.Kind.SIGNUP)
    assert set(kinds) == {"call", "level", "signup", "whatsapp"}
    ats = [i.at for i in history]
    assert ats == sorted(ats, reverse=True)  # newest first
    call = next(i for i in history if i.kind == "call")
    assert (call.text, call.by) == ("Will bring five parents.", network.lahore)
    level = next(i for i in history if i.kind == "level")
    assert level.text == "Supporter → Volunteer leader"
    html = page.content.decode()
    assert "Will bring five parents." in html and "Phone call" in html and "Level changed" in html
    assert "Kasur team" in html


def test_a_note_without_text_is_refused_and_keeps_the_form(client, network, people):
    client.force_login(network.lahore)
    response = client.post(
        f"/volunteers/{people['kasur'].pk}/", {"action": "contact", "contact-kind": "note"}
    )
    assert response.status_code == 200
    assert "Write the note." in response.content.decode()
    assert not people["kasur"].interactions.filter(kind="note").exists()


def test_an_organiser_adds_someone_they_met(client, network, outboxes, django_capture_on_commit_callbacks):
    client.force_login(network.lahore)
    page = client.get("/volunteers/add/")
    district_codes = {
        code for _group, options in page.context["form"].fields["district"].choices[1:] for code, _ in options
    }
    assert district_codes == {"pb-kasur", "pb-lahore", "pb-nankana-sahib", "pb-sheikhupura"}
    data = {
        "name": "Hamid",
        "phone": "0345 7654321",
        "district": "pb-sheikhupura",
        "language": "ur",
        "interests": ["outreach"],
        "consent": "on",
        "consent_version": "2026-11",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/volunteers/add/", data)
    volunteer = Volunteer.objects.get(name="Hamid")
    assert response.status_code == 302 and response["Location"] == f"/volunteers/{volunteer.pk}/"
    assert (volunteer.source, volunteer.language, volunteer.organiser) == ("organiser", "ur", network.lahore)
    assert volunteer.interactions.get().by == network.lahore
    # Adding the same number again updates the one record.
    response = client.post("/volunteers/add/", {**data, "name": "Hamid Ali", "interests": ["events"]})
    assert Volunteer.objects.filter(phone="+923457654321").count() == 1
    volunteer.refresh_from_db()
    assert volunteer.name == "Hamid Ali"
    assert set(volunteer.interests.values_list("code", flat=True)) == {"outreach", "events"}


def test_an_organiser_cannot_add_outside_their_regions_nor_take_anothers_volunteer(client, network, people):
    client.force_login(network.lahore)
    data = {
        "name": "Zara",
        "phone": "0333 2222222",  # Zara Karachi's number
        "district": "pb-lahore",
        "language": "ur",
        "consent": "on",
        "consent_version": "2026-11",
    }
    response = client.post("/volunteers/add/", data)
    assert response.status_code == 200
    assert "belongs to a volunteer in another region" in response.content.decode()
    assert Volunteer.objects.get(phone="+923332222222").district.code == "sd-karachi-south"
    response = client.post(
        "/volunteers/add/", {**data, "phone": "0300 7777777", "district": "sd-karachi-south"}
    )
    assert response.status_code == 200
    assert "not one of the districts in your regions" in response.content.decode()
    assert not Volunteer.objects.filter(phone="+923007777777").exists()


def test_adding_needs_their_consent(client, network):
    client.force_login(network.lahore)
    response = client.post(
        "/volunteers/add/",
        {
            "name": "Hamid",
            "phone": "0345 7654321",
            "district": "pb-lahore",
            "language": "ur",
            "consent_version": "2026-11",
        },
    )
    assert response.status_code == 200
    assert "Only people who agreed to be contacted can be added" in response.content.decode()
    assert not Volunteer.objects.exists()
