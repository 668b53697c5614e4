"""The public sign-up form, as a volunteer on a phone meets it."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from muhim.core import sms
from muhim.people.models import Interaction, Volunteer

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "name": "Sana Riaz",
        "phone": "0300-1234567",
        "email": "sana@example.org",
        "district": "pb-kasur",
        "interests": ["events", "school-monitoring"],
        "sex": "female",
        "consent": "on",
        "consent_version": "2026-11",
        "website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_form_offers_districts_by_province_interests_and_the_consent_wording(client, network):
    page = client.get("/volunteer/?district=pb-kasur")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<optgroup label="Punjab">' in html
    assert '<option value="pb-kasur" selected>Kasur</option>' in html
    assert "School monitoring" in html
    assert "may contact me by phone, SMS, WhatsApp or e-mail" in html
    assert 'type="tel"' in html
    # The trap for bots is there but hidden from people and screen readers.
    assert 'name="website"' in html and 'aria-hidden="true"' in html


def test_the_urdu_form_speaks_urdu_right_to_left(client, network):
    html = client.get("/ur/volunteer/").content.decode()
    assert 'dir="rtl"' in html
    assert "اسکولوں کی نگرانی" in html  # an interest's Urdu label
    assert "میں اتفاق کرتا/کرتی ہوں" in html  # the Urdu consent wording, in full
    assert "قصور" in html  # districts by their Urdu names


def test_signing_up_in_english_routes_to_the_organiser_who_is_told_by_email_and_sms(
    client, network, consent, outboxes, django_capture_on_commit_callbacks
):
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/volunteer/", form_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("people:signup-thanks")
    volunteer = Volunteer.objects.get()
    assert str(volunteer.phone) == "+923001234567"
    assert volunteer.phone.as_e164 == "+923001234567"
    assert (volunteer.name, volunteer.email, volunteer.district.code, volunteer.sex) == (
        "Sana Riaz",
        "sana@example.org",
        "pb-kasur",
        "female",
    )
    assert set(volunteer.interests.values_list("code", flat=True)) == {"events", "school-monitoring"}
    assert volunteer.consent_text == consent and volunteer.consent_at >= before
    assert volunteer.language == "en"
    assert volunteer.source == Volunteer.Source.WEB
    assert volunteer.organiser == network.lahore
    assert list(volunteer.interactions.values_list("kind", flat=True)) == [Interaction.Kind.SIGNUP]
    # The organiser hears about it, by e-mail and by SMS to the phone in their profile.
    assert [m.to for m in mail.outbox] == [["lahore@example.org"]]
    assert "Sana Riaz" in mail.outbox[0].subject
    assert f"/volunteers/{volunteer.pk}/" in mail.outbox[0].body
    assert [m.to for m in sms.outbox] == ["+923001110001"]
    # The thanks page names them (their public name).
    thanks = client.get(response["Location"]).content.decode()
    assert "Ayesha Khan" in thanks
    assert "were updated" not in thanks


def test_signing_up_in_urdu_stores_the_same_and_the_language(
    client, network, consent, outboxes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ur/volunteer/", form_data(name="علی رضا", phone="+92 321 7654321", email=""))
    assert response.status_code == 302
    assert response["Location"] == "/ur/volunteer/thanks/"
    volunteer = Volunteer.objects.get()
    assert volunteer.phone.as_e164 == "+923217654321"
    assert (volunteer.name, volunteer.language, volunteer.email) == ("علی رضا", "ur", "")
    assert volunteer.consent_text.version == "2026-11" and volunteer.consent_at is not None
    thanks = client.get("/ur/volunteer/thanks/").content.decode()
    assert "عائشہ خان" in thanks  # the organiser's public name in Urdu
    assert len(sms.outbox) == 1


def test_a_region_without_an_organiser_tells_the_campaign_office(
    client, network, outboxes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/volunteer/", form_data(district="pb-rajanpur"))
    assert response.status_code == 302
    volunteer = Volunteer.objects.get()
    assert volunteer.organiser is None
    assert sorted(m.to[0] for m in mail.outbox) == ["office2@example.org", "office@example.org"]
    assert "campaign office will contact you" in client.get(response["Location"]).content.decode()


def test_signing_up_again_with_the_same_number_updates_the_same_volunteer(
    client, network, outboxes, django_capture_on_commit_callbacks
):
    client.post("/volunteer/", form_data(phone="0300 1234567", interests=["events"], email=""))
    first = Volunteer.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/volunteer/",
            form_data(
                name="Sana R. Khan",
                phone="+923001234567",
                email="sana@example.org",
                interests=["media"],
                sex="",
            ),
        )
    assert response.status_code == 302
    assert Volunteer.objects.count() == 1
    volunteer = Volunteer.objects.get()
    assert volunteer.pk == first.pk
    assert volunteer.name == "Sana R. Khan"
    assert volunteer.email == "sana@example.org"
    assert volunteer.sex == "female"  # an empty answer erased nothing
    assert set(volunteer.interests.values_list("code", flat=True)) == {"events", "media"}
    kinds = list(volunteer.interactions.order_by("at", "pk").values_list("kind", flat=True))
    assert kinds == [Interaction.Kind.SIGNUP, Interaction.Kind.SIGNUP_AGAIN]
    # The Lahore organiser reads their notices in Urdu, the language they chose.
    assert "نے دوبارہ اندراج کیا" in mail.outbox[-1].subject
    thanks = client.get(response["Location"]).content.decode()
    assert "your details were updated" in thanks


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"phone": "12345"}, "phone", "Enter a mobile number like 0300 1234567"),
        ({"phone": "042-35761234"}, "phone", "is a landline"),
        ({"phone": ""}, "phone", "Enter your mobile number."),
        ({"district": "pb-atlantis"}, "district", "pb-atlantis is not a district we know"),
        ({"district": ""}, "district", "Choose your district."),
        ({"consent": None}, "consent", "Tick the box to agree to be contacted"),
        ({"name": "   "}, "name", "Tell us your name."),
        ({"email": "sana@"}, "email", "Enter a valid email address."),
    ],
)
def test_bad_input_gets_a_clear_message_stores_nothing_and_keeps_what_was_typed(
    client, network, outboxes, overrides, field, message
):
    response = client.post("/volunteer/", form_data(**overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert not Volunteer.objects.exists()
    assert mail.outbox == [] and sms.outbox == []
    # Everything else typed is still in the form.
    html = response.content.decode()
    typed = form_data(**overrides)
    for name in ("name", "phone", "email"):
        if name != field and typed.get(name, "").strip():
            assert f'value="{typed[name]}"' in html
    assert form["interests"].value() == ["events", "school-monitoring"]
    assert form["sex"].value() == "female"


def test_a_rejected_number_is_shown_back_as_typed(client, network):
    response = client.post("/volunteer/", form_data(phone="12345", name="Sana Riaz"))
    html = response.content.decode()
    assert 'value="12345"' in html
    assert 'value="Sana Riaz"' in html
    assert 'value="sana@example.org"' in html
    assert '<option value="pb-kasur" selected>' in html
    assert html.count("checked") >= 3  # two interests and the sex
    assert Volunteer.objects.count() == 0


def test_an_unknown_district_in_a_link_is_explained(client, network):
    html = client.get("/volunteer/?district=pb-atlantis").content.decode()
    assert "The link named the district “pb-atlantis”, which we do not know." in html
    assert re.findall(r'<option value="([^"]*)" selected', html) == [""]


def test_the_honeypot_pretends_success_and_stores_nothing(client, network, outboxes):
    response = client.post("/volunteer/", form_data(website="http://spam.example"))
    assert response.status_code == 302
    assert response["Location"] == reverse("people:signup-thanks")
    assert not Volunteer.objects.exists()
    assert mail.outbox == [] and sms.outbox == []
    assert client.get(response["Location"]).status_code == 200


def test_more_than_five_sign_ups_an_hour_from_one_address_are_held_off(client, network, outboxes):
    for i in range(5):
        response = client.post(
            "/volunteer/", form_data(phone=f"0300 12345{i:02d}"), REMOTE_ADDR="203.0.113.7"
        )
        assert response.status_code == 302
    response = client.post(
        "/volunteer/", form_data(phone="0300 1234599", name="Sixth Person"), REMOTE_ADDR="203.0.113.7"
    )
    assert response.status_code == 429
    html = response.content.decode()
    assert "try again in an hour" in html
    assert 'value="Sixth Person"' in html and 'value="0300 1234599"' in html
    assert Volunteer.objects.count() == 5
    # Another address is not affected.
    other = client.post("/volunteer/", form_data(phone="0300 1234598"), REMOTE_ADDR="198.51.100.1")
    assert other.status_code == 302
    assert Volunteer.objects.count() == 6


def test_typing_mistakes_do_not_use_up_the_sign_up_limit(client, network):
    for _ in range(6):
        client.post("/volunteer/", form_data(phone="12345"), REMOTE_ADDR="203.0.113.8")
    response = client.post("/volunteer/", form_data(), REMOTE_ADDR="203.0.113.8")
    assert response.status_code == 302
    assert Volunteer.objects.count() == 1


def test_a_consent_wording_replaced_while_the_form_was_open_is_asked_again(client, network, consent):
    from muhim.people.models import ConsentText

    consent.is_current = False
    consent.save()
    ConsentText.objects.create(version="2027-01", text="New wording.", text_ur="نئی عبارت", is_current=True)
    # The old wording is still a wording they saw and agreed to: recorded as such.
    response = client.post("/volunteer/", form_data())
    assert response.status_code == 302
    assert Volunteer.objects.get().consent_text.version == "2026-11"
    # A version that never existed is not agreed to.
    response = client.post("/volunteer/", form_data(phone="0301 1234567", consent_version="1999-01"))
    assert response.status_code == 200
    assert "has changed" in response.content.decode()
    assert Volunteer.objects.count() == 1


def test_the_thanks_page_without_a_sign_up_is_still_polite(client, db):
    response = client.get("/volunteer/thanks/")
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()


def test_behind_a_proxy_the_limit_counts_each_visitor_not_the_proxy(client, network, settings):
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    for i in range(5):
        response = client.post(
            "/volunteer/",
            form_data(phone=f"0300 12345{i:02d}"),
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
        assert response.status_code == 302
    # The same visitor pretending to be someone else in front of the proxy's own entry.
    response = client.post(
        "/volunteer/",
        form_data(phone="0300 1234590"),
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.7",
    )
    assert response.status_code == 429
    # Another visitor through the same proxy.
    response = client.post(
        "/volunteer/",
        form_data(phone="0300 1234591"),
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    assert response.status_code == 302


def test_a_double_tap_that_races_the_first_sign_up_updates_it(network, volunteer_in, consent):
    from unittest import mock

    from muhim.geography.models import Area
    from muhim.people.services import sign_up

    existing = volunteer_in("pb-kasur", name="Sana", phone="+923001234567")
    # The first look finds nobody (the other request has not committed yet); saving then
    # meets the other request's record.
    with mock.patch.object(
        Volunteer.objects,
        "select_for_update",
        side_effect=[Volunteer.objects.none(), Volunteer.objects.all()],
    ):
        result = sign_up(
            name="Sana Riaz",
            phone="0300 1234567",
            district=Area.objects.get(code="pb-kasur"),
            consent_text=consent,
        )
    assert (result.created, result.volunteer.pk, result.volunteer.name) == (False, existing.pk, "Sana Riaz")
    assert Volunteer.objects.count() == 1


def test_behind_the_local_nginx_each_visitor_has_their_own_limit(client, network):
    for i in range(5):
        response = client.post(
            "/volunteer/",
            form_data(phone=f"0300 12345{i:02d}"),
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )
        assert response.status_code == 302
    blocked = client.post(
        "/volunteer/",
        form_data(phone="0300 1234590"),
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert blocked.status_code == 429
    other = client.post(
        "/volunteer/",
        form_data(phone="0300 1234591"),
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.2",
    )
    assert other.status_code == 302
