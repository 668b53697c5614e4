"""Two-factor authentication: turning it on from the security page, signing in with a code from
an authenticator app or a backup code, and turning it off again.

Codes are computed the way an authenticator app (and django-otp) computes them, from the secret
the page shows. The clock is frozen and moved on by hand: a code is accepted once per 30-second
step, and after a wrong code django-otp makes people wait a little longer each time."""

import base64
import re

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from muhim.accounts.models import Role
from muhim.core.models import AuditEvent

pytestmark = pytest.mark.usefixtures("module_gazetteer")

SECURITY_URL = "/accounts/security/"
LOGIN_URL = "/accounts/login/"
CODE_URL = "/accounts/login/code/"
DASHBOARD_URL = "/accounts/"
STEP = 30  # seconds a code lasts


@pytest.fixture
def clock():
    with freeze_time("2026-03-02 09:00:05", ignore=["_pytest"]) as frozen:
        yield frozen


@pytest.fixture
def organiser(make_user, gazetteer):
    return make_user(Role.ORGANISER, ["pb-lahore-division"], username="ayesha")


def secret_on(page):
    match = re.search(r'id="totp-secret">([A-Z2-7=]+)<', page.content.decode())
    assert match, "the security page shows no key to type into an authenticator app"
    return match.group(1)


def app_code(secret):
    """What an authenticator app shows now for `secret`."""
    return f"{totp(base64.b32decode(secret)):06d}"


def backup_codes_on(page):
    block = re.search(r'id="backup-codes">(.*?)</ul>', page.content.decode(), re.S)
    assert block, "no backup codes shown"
    return re.findall(r"<code>([^<]+)</code>", block.group(1))


def signed_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=user_id) if user_id else None


def turn_on(client, user, clock):
    """Turn two-factor on through the security page; return (secret, backup codes)."""
    client.force_login(user)
    secret = secret_on(client.get(SECURITY_URL))
    page = client.post(SECURITY_URL, {"action": "confirm", "code": app_code(secret)})
    assert "Two-factor authentication is on" in page.content.decode()
    client.post("/accounts/logout/")
    clock.tick(STEP)  # the code just used is spent; the app shows the next one
    return secret, backup_codes_on(page)


def password_step(client, user, next_url=None):
    url = LOGIN_URL + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": user.username, "password": user.raw_password})


def enter_code(client, code):
    return client.post(CODE_URL, {"code": code})


@pytest.fixture
def with_two_factor(client, organiser, clock):
    secret, codes = turn_on(client, organiser, clock)
    return organiser, secret, codes


# --- turning it on -----------------------------------------------------------------------------


def test_the_security_page_explains_how_to_turn_it_on(client, organiser):
    client.force_login(organiser)
    page = client.get(SECURITY_URL)
    text = page.content.decode()
    assert page.status_code == 200
    assert "Off. To turn it on, scan this code with an authenticator app" in text
    assert 'src="data:image/svg+xml;base64,' in text
    device = TOTPDevice.objects.get(user=organiser, confirmed=False)
    assert secret_on(page) == base64.b32encode(device.bin_key).decode()
    # Reloading the page keeps the same key, so a half-finished set-up still works.
    assert secret_on(client.get(SECURITY_URL)) == secret_on(page)


def test_turning_it_on_shows_ten_backup_codes_once(client, organiser, clock):
    client.force_login(organiser)
    secret = secret_on(client.get(SECURITY_URL))

    page = client.post(SECURITY_URL, {"action": "confirm", "code": app_code(secret)})

    assert page.status_code == 200
    text = page.content.decode()
    assert "Keep these backup codes somewhere safe" in text
    codes = backup_codes_on(page)
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert TOTPDevice.objects.get(user=organiser).confirmed
    assert AuditEvent.objects.filter(user=organiser, details__change="two-factor on").exists()

    later = client.get(SECURITY_URL).content.decode()
    assert "On. Signing in asks for a code" in later
    assert not any(code in later for code in codes)
    assert "Two-factor authentication is on." in client.get(DASHBOARD_URL).content.decode()


def test_a_wrong_code_does_not_turn_it_on(client, organiser, clock):
    client.force_login(organiser)
    secret = secret_on(client.get(SECURITY_URL))
    wrong = f"{(int(app_code(secret)) + 1) % 1_000_000:06d}"

    page = client.post(SECURITY_URL, {"action": "confirm", "code": wrong})

    assert "That code is not right" in page.content.decode()
    assert secret_on(page) == secret  # no need to scan again
    assert not TOTPDevice.objects.filter(user=organiser, confirmed=True).exists()

    clock.tick(STEP)
    page = client.post(SECURITY_URL, {"action": "confirm", "code": app_code(secret)})
    assert len(backup_codes_on(page)) == 10


def test_a_code_typed_with_spaces_is_accepted(client, organiser, clock):
    client.force_login(organiser)
    secret = secret_on(client.get(SECURITY_URL))
    code = app_code(secret)
    page = client.post(SECURITY_URL, {"action": "confirm", "code": f"{code[:3]} {code[3:]}"})
    assert len(backup_codes_on(page)) == 10


# --- signing in ----------------------------------------------------------------------------------


def test_signing_in_asks_for_the_code_after_the_password(client, with_two_factor):
    user, secret, _codes = with_two_factor

    response = password_step(client, user)

    assert response.status_code == 302
    assert response["Location"] == CODE_URL
    assert signed_in_user(client) is None  # the password alone is not enough
    assert client.get(DASHBOARD_URL)["Location"].startswith(LOGIN_URL)
    page = client.get(CODE_URL).content.decode()
    assert "Enter your code" in page
    assert "authenticator app" in page


def test_the_right_code_signs_in(client, with_two_factor):
    user, secret, _codes = with_two_factor
    password_step(client, user)

    response = enter_code(client, app_code(secret))

    assert response["Location"] == DASHBOARD_URL
    assert signed_in_user(client) == user
    assert client.get(DASHBOARD_URL).wsgi_request.user.is_verified()
    assert AuditEvent.objects.filter(
        user=user, action=AuditEvent.Action.LOGIN, details__two_factor=True
    ).exists()


def test_the_page_asked_for_survives_the_code_step(client, with_two_factor):
    user, secret, _codes = with_two_factor
    password_step(client, user, next_url="/areas/pb-lahore/edit/")
    assert enter_code(client, app_code(secret))["Location"] == "/areas/pb-lahore/edit/"


def test_a_wrong_code_is_refused_with_a_message(client, with_two_factor, clock):
    user, secret, _codes = with_two_factor
    password_step(client, user)
    wrong = f"{(int(app_code(secret)) + 1) % 1_000_000:06d}"

    response = enter_code(client, wrong)

    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert signed_in_user(client) is None

    clock.tick(STEP)
    assert enter_code(client, app_code(secret))["Location"] == DASHBOARD_URL


def test_letters_are_refused_like_a_wrong_code(client, with_two_factor):
    user, _secret, _codes = with_two_factor
    password_step(client, user)
    response = enter_code(client, "abcdef")
    assert "That code is not right" in response.content.decode()
    assert signed_in_user(client) is None


def test_a_spent_code_cannot_be_used_again(client, with_two_factor):
    user, secret, _codes = with_two_factor
    password_step(client, user)
    code = app_code(secret)
    assert enter_code(client, code)["Location"] == DASHBOARD_URL
    client.post("/accounts/logout/")

    password_step(client, user)
    response = enter_code(client, code)  # someone who saw it over a shoulder, same 30 seconds
    assert response.status_code == 200
    assert signed_in_user(client) is None


def test_the_right_code_straight_after_wrong_ones_is_asked_to_wait(client, with_two_factor, clock):
    """django-otp refuses every code for a moment after a wrong one (1 s, then 2, 4, 8 …). The
    person must be told to wait, not that their right code is wrong."""
    user, secret, _codes = with_two_factor
    password_step(client, user)
    wrong = "000000" if app_code(secret) != "000000" else "111111"
    for pause in [2, 3, 0]:
        assert "That code is not right" in enter_code(client, wrong).content.decode()
        clock.tick(pause)

    response = enter_code(client, app_code(secret))  # three wrong codes: 4 seconds to wait

    text = response.content.decode()
    assert signed_in_user(client) is None
    assert "Too many wrong codes in a row. Wait 4 seconds, then type the newest code." in text
    assert "That code is not right" not in text

    clock.tick(5)
    assert enter_code(client, app_code(secret))["Location"] == DASHBOARD_URL


def test_codes_typed_while_waiting_do_not_count_towards_the_five(client, with_two_factor, clock):
    user, secret, _codes = with_two_factor
    password_step(client, user)
    wrong = "000000" if app_code(secret) != "000000" else "111111"
    for _attempt in range(8):
        enter_code(client, wrong)  # one checked, the rest refused unchecked within the second
    clock.tick(2)
    assert enter_code(client, app_code(secret))["Location"] == DASHBOARD_URL


def test_turning_it_on_straight_after_a_wrong_code_is_asked_to_wait(client, organiser, clock):
    client.force_login(organiser)
    secret = secret_on(client.get(SECURITY_URL))
    client.post(
        SECURITY_URL, {"action": "confirm", "code": "000000" if app_code(secret) != "000000" else "1"}
    )

    page = client.post(SECURITY_URL, {"action": "confirm", "code": app_code(secret)})
    assert "Wait 1 second, then type the newest code." in page.content.decode()

    clock.tick(2)
    page = client.post(SECURITY_URL, {"action": "confirm", "code": app_code(secret)})
    assert len(backup_codes_on(page)) == 10


def test_five_wrong_codes_send_the_person_back_to_the_password(client, with_two_factor, clock):
    user, secret, _codes = with_two_factor
    password_step(client, user)
    wrong = "000000" if app_code(secret) != "000000" else "111111"
    for _attempt in range(4):
        clock.tick(20)  # past the growing wait, so that each code is really checked
        assert enter_code(client, wrong).status_code == 200

    clock.tick(20)
    response = enter_code(client, wrong)

    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL
    page = client.get(LOGIN_URL).content.decode()
    assert "Too many wrong codes. Sign in again." in page
    assert client.get(CODE_URL)["Location"] == LOGIN_URL  # the half-finished sign-in is gone
    assert signed_in_user(client) is None


def test_the_code_page_without_a_password_goes_to_sign_in(client):
    assert client.get(CODE_URL)["Location"] == LOGIN_URL
    assert client.post(CODE_URL, {"code": "123456"})["Location"] == LOGIN_URL


def test_a_backup_code_signs_in_once(client, with_two_factor, clock):
    user, _secret, codes = with_two_factor
    password_step(client, user)

    assert enter_code(client, codes[0])["Location"] == DASHBOARD_URL
    assert signed_in_user(client) == user
    assert StaticToken.objects.filter(device__user=user).count() == 9
    client.post("/accounts/logout/")

    clock.tick(STEP)
    password_step(client, user)
    response = enter_code(client, codes[0])
    assert "That code is not right" in response.content.decode()
    assert signed_in_user(client) is None

    clock.tick(STEP)
    assert enter_code(client, codes[1])["Location"] == DASHBOARD_URL


def test_a_wrong_password_with_two_factor_still_counts_towards_the_lock_out(client, with_two_factor):
    user, _secret, _codes = with_two_factor
    for _attempt in range(5):
        client.post(LOGIN_URL, {"username": user.username, "password": "wrong"})
    response = password_step(client, user)
    assert "Signing in is paused" in response.content.decode()
    assert client.get(CODE_URL)["Location"] == LOGIN_URL


# --- turning it off ------------------------------------------------------------------------------


def sign_in_with_code(client, user, secret, clock):
    password_step(client, user)
    assert enter_code(client, app_code(secret))["Location"] == DASHBOARD_URL
    clock.tick(STEP)


def test_turning_it_off_needs_a_valid_code(client, with_two_factor, clock):
    user, secret, _codes = with_two_factor
    sign_in_with_code(client, user, secret, clock)
    page = client.get(SECURITY_URL).content.decode()
    assert "Turn off" in page

    wrong = "000000" if app_code(secret) != "000000" else "111111"
    response = client.post(SECURITY_URL, {"action": "disable", "code": wrong}, follow=True)
    assert "That code is not right; two-factor authentication stays on." in response.content.decode()
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()

    response = client.post(SECURITY_URL, {"action": "disable", "code": ""}, follow=True)
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()

    clock.tick(STEP)
    response = client.post(SECURITY_URL, {"action": "disable", "code": app_code(secret)}, follow=True)
    assert "Two-factor authentication is off." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()  # the backup codes go too
    client.post("/accounts/logout/")

    assert password_step(client, user)["Location"] == DASHBOARD_URL  # no code asked any more


def test_a_backup_code_also_turns_it_off(client, with_two_factor, clock):
    user, secret, codes = with_two_factor
    sign_in_with_code(client, user, secret, clock)
    response = client.post(SECURITY_URL, {"action": "disable", "code": codes[5]}, follow=True)
    assert "Two-factor authentication is off." in response.content.decode()


def test_turning_it_on_again_gives_a_new_key_and_new_backup_codes(client, with_two_factor, clock):
    user, secret, codes = with_two_factor
    sign_in_with_code(client, user, secret, clock)
    client.post(SECURITY_URL, {"action": "disable", "code": app_code(secret)})

    new_secret = secret_on(client.get(SECURITY_URL))
    assert new_secret != secret
    page = client.post(SECURITY_URL, {"action": "confirm", "code": app_code(new_secret)})
    new_codes = backup_codes_on(page)
    assert len(new_codes) == 10
    assert not set(new_codes) & set(codes)
