"""The API token on the security page: created and shown once, used by programs through the
`Authorization: Token <key>` header, replaced or deleted."""

import re

import pytest
from rest_framework.authtoken.models import Token

from muhim.accounts.models import Role
from muhim.core.models import AuditEvent

pytestmark = pytest.mark.usefixtures("module_gazetteer")

SECURITY_URL = "/accounts/security/"


@pytest.fixture
def organiser(make_user, gazetteer):
    return make_user(Role.ORGANISER, ["pb-lahore-division"], username="ayesha")


def token_on(page):
    match = re.search(r'id="api-token"[^>]*>([0-9a-f]{40})<', page.content.decode())
    return match.group(1) if match else None


def patch_area(client, code, key, **changes):
    return client.patch(
        f"/api/v1/areas/{code}/",
        changes or {"headquarters": "Changed"},
        content_type="application/json",
        headers={"Authorization": f"Token {key}"},
    )


def create_token(client, user):
    client.force_login(user)
    key = token_on(client.post(SECURITY_URL, {"action": "token"}))
    assert key, "the new token is not shown"
    client.logout()  # from here on only the header speaks for the user
    return key


def test_the_security_page_needs_a_signed_in_user(client):
    response = client.get(SECURITY_URL)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={SECURITY_URL}"


def test_the_page_explains_the_token_and_offers_one(client, organiser):
    client.force_login(organiser)
    text = client.get(SECURITY_URL).content.decode()
    assert "Authorization: Token" in text
    assert "Create a token" in text
    assert "Delete the token" not in text


def test_a_new_token_is_shown_once(client, organiser):
    client.force_login(organiser)

    page = client.post(SECURITY_URL, {"action": "token"})

    key = token_on(page)
    assert key == Token.objects.get(user=organiser).key
    assert "Copy your token now and keep it secret" in page.content.decode()
    assert AuditEvent.objects.filter(user=organiser, details__change="api token created").exists()

    later = client.get(SECURITY_URL).content.decode()
    assert key not in later
    assert "You have a token, created on" in later
    assert "Replace the token" in later
    assert "Delete the token" in later


def test_the_token_acts_as_its_owner_in_the_api(client, organiser, gazetteer):
    key = create_token(client, organiser)

    own = patch_area(client, "pb-lahore", key, headquarters="Lahore city")
    assert own.status_code == 200
    assert own.json()["headquarters"] == "Lahore city"
    assert gazetteer("pb-lahore").history.first().history_user == organiser

    other = patch_area(client, "sd-karachi-south", key)
    assert other.status_code == 403
    assert gazetteer("sd-karachi-south").headquarters != "Changed"


def test_a_deleted_token_no_longer_works(client, organiser, gazetteer):
    key = create_token(client, organiser)
    assert patch_area(client, "pb-lahore", key).status_code == 200

    client.force_login(organiser)
    page = client.post(SECURITY_URL, {"action": "token-delete"}).content.decode()
    assert "Create a token" in page
    assert not Token.objects.filter(user=organiser).exists()
    client.logout()

    response = patch_area(client, "pb-lahore", key, headquarters="After deletion")
    assert response.status_code in (401, 403)
    assert response.json()["detail"] == "Invalid token."
    assert gazetteer("pb-lahore").headquarters != "After deletion"


def test_replacing_the_token_ends_the_old_one(client, organiser):
    old = create_token(client, organiser)
    new = create_token(client, organiser)

    assert new != old
    assert patch_area(client, "pb-lahore", new).status_code == 200
    assert patch_area(client, "pb-lahore", old).json()["detail"] == "Invalid token."


def test_a_bad_token_is_answered_401_so_programs_know_to_reauthenticate(client, organiser):
    key = create_token(client, organiser)
    Token.objects.filter(key=key).delete()
    response = patch_area(client, "pb-lahore", key)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_the_token_of_a_deactivated_account_does_not_work(client, organiser, gazetteer):
    key = create_token(client, organiser)
    organiser.is_active = False
    organiser.save()
    response = patch_area(client, "pb-lahore", key, headquarters="Deactivated")
    assert response.status_code in (401, 403)
    assert gazetteer("pb-lahore").headquarters != "Deactivated"


def test_a_token_does_not_sign_anyone_in_to_the_pages(client, organiser):
    key = create_token(client, organiser)
    response = client.get("/accounts/", headers={"Authorization": f"Token {key}"})
    assert response.status_code == 302  # pages need a session; the token is for the API only


def test_an_account_without_a_role_can_still_manage_its_security(client, make_user):
    client.force_login(make_user(""))
    page = client.get(SECURITY_URL)
    assert page.status_code == 200
    assert "Two-factor authentication" in page.content.decode()
