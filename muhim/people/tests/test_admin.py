"""The administration pages for volunteers and their reference data, with change history."""

import pytest

from muhim.people.models import ConsentText, Interest, Tag

pytestmark = pytest.mark.django_db


def test_admin_lists_and_histories_open(client, make_user, network, volunteer_in):
    volunteer = volunteer_in("pb-kasur", name="Sana")
    tag = Tag.objects.create(name="speaker")
    admin = make_user("administrator", is_staff=True, is_superuser=True)
    client.force_login(admin)
    for model, pk in [
        ("volunteer", volunteer.pk),
        ("interest", Interest.objects.first().pk),
        ("consenttext", ConsentText.current().pk),
        ("tag", tag.pk),
    ]:
        assert client.get(f"/admin/people/{model}/").status_code == 200
        assert client.get(f"/admin/people/{model}/{pk}/change/").status_code == 200
        assert client.get(f"/admin/people/{model}/{pk}/history/").status_code == 200


def test_a_consent_wording_in_use_cannot_be_edited_in_the_admin(client, make_user, consent):
    admin = make_user("administrator", is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.get(f"/admin/people/consenttext/{consent.pk}/change/")
    assert 'name="text"' not in page.content.decode()
    assert 'name="text"' in client.get("/admin/people/consenttext/add/").content.decode()
