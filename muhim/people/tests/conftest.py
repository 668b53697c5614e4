"""Fixtures for the volunteer tests: a small organiser network (Lahore and Karachi divisions
held, Dera Ghazi Khan division vacant), the campaign office, and the seeded interests and
consent wording (seeded again after tests that flush the database)."""

import importlib
from types import SimpleNamespace

import pytest

SEED = importlib.import_module("muhim.people.migrations.0002_interests_and_consent")


def ensure_seeded():
    from django.apps import apps

    from muhim.people.models import ConsentText

    if ConsentText.current() is None:
        SEED.seed(apps, None)


@pytest.fixture
def seeded(db):
    ensure_seeded()


@pytest.fixture
def consent(seeded):
    from muhim.people.models import ConsentText

    return ConsentText.current()


@pytest.fixture
def network(gazetteer, make_user, seeded):
    from muhim.network.models import OrganiserProfile, Post
    from muhim.network.services import assign, save_post

    def post(code, title, province, areas, holder=None):
        saved = save_post(
            post=Post(code=code, kind=Post.Kind.REGIONAL, title=title, province=gazetteer(province)),
            areas=[gazetteer(a) for a in areas],
        )
        if holder is not None:
            assign(post=saved, holder=holder)
        return saved

    lahore = make_user(
        "organiser",
        username="rco-lahore",
        email="lahore@example.org",
        first_name="Ayesha",
        last_name="Khan",
        preferred_language="ur",
    )
    OrganiserProfile.objects.create(
        user=lahore, public_name="Ayesha Khan", public_name_ur="عائشہ خان", phone="+923001110001"
    )
    karachi = make_user("organiser", username="rco-karachi", email="karachi@example.org", first_name="Bilal")
    OrganiserProfile.objects.create(user=karachi, public_name="Bilal Ahmed", phone="+923001110002")
    post("rco-pb-lahore", "Regional Campaign Organiser, Lahore", "pb", ["pb-lahore-division"], lahore)
    post("rco-sd-karachi", "Regional Campaign Organiser, Karachi", "sd", ["sd-karachi-division"], karachi)
    post("rco-pb-dg-khan", "Regional Campaign Organiser, D.G. Khan", "pb", ["pb-dera-ghazi-khan-division"])
    office = make_user("campaign_office", username="office-1", email="office@example.org")
    office_2 = make_user("campaign_office", username="office-2", email="office2@example.org")
    lahore.refresh_from_db()
    karachi.refresh_from_db()
    return SimpleNamespace(lahore=lahore, karachi=karachi, office=office, office_2=office_2)


@pytest.fixture
def outboxes():
    """The e-mail and SMS outboxes, emptied."""
    from django.core import mail

    from muhim.core import sms

    mail.outbox = []
    sms.outbox.clear()
    return SimpleNamespace(mail=mail.outbox, sms=sms.outbox)


@pytest.fixture
def volunteer_in(network):
    """make a volunteer in a district, without the sign-up form."""
    from muhim.people.models import ConsentText, Interaction, Volunteer

    counter = {"n": 0}

    def make(district_code, *, name=None, phone=None, **extra):
        from muhim.geography.models import Area

        counter["n"] += 1
        district = Area.objects.get(code=district_code)
        volunteer = Volunteer.objects.create(
            name=name or f"Volunteer {counter['n']}",
            phone=phone or f"+92345{counter['n']:07d}",
            district=district,
            consent_text=ConsentText.current(),
            **extra,
        )
        Interaction.objects.create(volunteer=volunteer, kind=Interaction.Kind.SIGNUP, at=volunteer.created_at)
        return volunteer

    return make
