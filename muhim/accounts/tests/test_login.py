"""Signing in and out with a password, the brute-force lock-out, and where people land."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from muhim.accounts.models import Role
from muhim.core.models import AuditEvent

pytestmark = pytest.mark.usefixtures("module_gazetteer")

LOGIN_URL = "/accounts/login/"
DASHBOARD_URL = "/accounts/"
WRONG = "not-the-password"


@pytest.fixture
def organiser(make_user, gazetteer):
    return make_user(Role.ORGANISER, ["pb-lahore-division"], username="ayesha", first_name="Ayesha")


def sign_in(client, user, password=None, *, next_url=None, ip="10.0.0.1", follow=False):
    url = LOGIN_URL + (f"?next={next_url}" if next_url is not None else "")
    data = {"username": user.username, "password": password or user.raw_password}
    return client.post(url, data, REMOTE_ADDR=ip, follow=follow)


def signed_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=user_id) if user_id else None


def test_the_sign_in_page_says_who_it_is_for(client):
    page = client.get(LOGIN_URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Staff sign in" in text
    assert "Volunteers do not need an account" in text
    assert 'name="username"' in text
    assert 'name="password"' in text


def test_a_wrong_password_shows_an_error_and_keeps_the_username(client, organiser):
    response = sign_in(client, organiser, WRONG)

    assert response.status_code == 200
    text = response.content.decode()
    assert "Please enter a correct username and password" in text
    assert 'value="ayesha"' in text  # no retyping on a phone
    assert WRONG not in text  # the password is never sent back
    assert signed_in_user(client) is None


def test_the_right_password_lands_on_the_dashboard(client, organiser):
    response = sign_in(client, organiser, follow=True)

    assert response.redirect_chain == [(DASHBOARD_URL, 302)]
    assert "Welcome, Ayesha" in response.content.decode()
    assert signed_in_user(client) == organiser
    assert AuditEvent.objects.filter(user=organiser, action=AuditEvent.Action.LOGIN).exists()


def test_the_right_password_lands_on_the_page_asked_for(client, organiser):
    response = sign_in(client, organiser, next_url="/areas/pb-lahore/edit/")
    assert response.status_code == 302
    assert response["Location"] == "/areas/pb-lahore/edit/"


def test_a_protected_page_sends_visitors_to_sign_in_and_back(client, organiser):
    response = client.get("/areas/pb-lahore/edit/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_URL}?next=/areas/pb-lahore/edit/"

    form = client.get(response["Location"]).content.decode()
    assert 'name="next" value="/areas/pb-lahore/edit/"' in form

    landed = client.post(
        response["Location"],
        {"username": "ayesha", "password": organiser.raw_password, "next": "/areas/pb-lahore/edit/"},
    )
    assert landed["Location"] == "/areas/pb-lahore/edit/"


def test_the_page_asked_for_survives_a_wrong_password(client, organiser):
    failed = sign_in(client, organiser, WRONG, next_url="/imports/")
    assert 'name="next" value="/imports/"' in failed.content.decode()
    assert sign_in(client, organiser, next_url="/imports/")["Location"] == "/imports/"


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "http://testserver.evil.example/",
        "javascript:alert(1)",
    ],
)
def test_an_outside_next_address_is_ignored(client, organiser, next_url):
    response = client.post(
        LOGIN_URL, {"username": organiser.username, "password": organiser.raw_password, "next": next_url}
    )
    assert response.status_code == 302
    assert response["Location"] == DASHBOARD_URL


def test_signing_in_again_when_signed_in_goes_straight_on(client, organiser):
    client.force_login(organiser)
    assert client.get(LOGIN_URL)["Location"] == DASHBOARD_URL
    assert client.get(f"{LOGIN_URL}?next=/imports/")["Location"] == "/imports/"
    assert client.get(f"{LOGIN_URL}?next=https://evil.example/")["Location"] == DASHBOARD_URL


def test_an_inactive_account_cannot_sign_in(client, make_user):
    user = make_user(Role.CAMPAIGN_OFFICE, is_active=False)
    response = sign_in(client, user)
    assert response.status_code == 200
    assert signed_in_user(client) is None


def test_signing_out_needs_a_post(client, organiser):
    client.force_login(organiser)
    assert client.get("/accounts/logout/").status_code == 405
    assert signed_in_user(client) == organiser

    response = client.post("/accounts/logout/")
    assert response["Location"] == reverse("home")
    assert signed_in_user(client) is None
    assert client.get(DASHBOARD_URL)["Location"].startswith(LOGIN_URL)


# --- lock-out after wrong passwords (django-axes) ----------------------------------------------


def test_after_five_wrong_passwords_even_the_right_one_meets_the_locked_out_page(client, organiser):
    for attempt in range(4):
        response = sign_in(client, organiser, f"{WRONG}-{attempt}")
        assert "Please enter a correct username and password" in response.content.decode()
    fifth = sign_in(client, organiser, WRONG)
    assert "Signing in is paused" in fifth.content.decode()  # the fifth failure already says so

    response = sign_in(client, organiser)  # the right password, sixth attempt

    assert response.status_code in (403, 429)
    text = response.content.decode()
    assert "Signing in is paused" in text
    assert "Try again in 30 minutes, or ask an administrator to unlock it." in text
    assert signed_in_user(client) is None


def test_the_locked_out_page_gives_the_configured_pause(client, organiser, settings):
    settings.AXES_COOLOFF_TIME = 2  # hours
    for _attempt in range(5):
        response = sign_in(client, organiser, WRONG)
    assert "Try again in 120 minutes" in response.content.decode()


def test_four_wrong_passwords_do_not_lock_the_account(client, organiser):
    for _attempt in range(4):
        sign_in(client, organiser, WRONG)
    assert sign_in(client, organiser)["Location"] == DASHBOARD_URL


def test_a_successful_sign_in_resets_the_count_of_wrong_passwords(client, organiser):
    for _attempt in range(4):
        sign_in(client, organiser, WRONG)
    assert sign_in(client, organiser)["Location"] == DASHBOARD_URL
    client.post("/accounts/logout/")

    for _attempt in range(4):
        sign_in(client, organiser, WRONG)
    assert sign_in(client, organiser)["Location"] == DASHBOARD_URL


def test_the_lock_out_holds_one_username_from_one_connection(client, organiser, make_user):
    colleague = make_user(Role.CAMPAIGN_OFFICE)
    for _attempt in range(5):
        sign_in(client, organiser, WRONG, ip="10.0.0.1")
    assert "Signing in is paused" in sign_in(client, organiser, ip="10.0.0.1").content.decode()

    # A colleague in the same office, and the same person from their phone, still get in.
    assert sign_in(client, colleague, ip="10.0.0.1")["Location"] == DASHBOARD_URL
    client.post("/accounts/logout/")
    assert sign_in(client, organiser, ip="10.9.9.9")["Location"] == DASHBOARD_URL


# --- Django admin goes through this sign-in ------------------------------------------------------


def test_the_admin_sign_in_redirects_to_ours(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_URL}?next=/admin/"

    response = client.get("/admin/", follow=True)
    assert response.request["PATH_INFO"] == LOGIN_URL
    assert "Staff sign in" in response.content.decode()


def test_an_administrator_signs_in_and_reaches_the_admin(client, make_user):
    administrator = make_user(Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    response = sign_in(client, administrator, next_url="/admin/", follow=True)
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == "/admin/"
    assert "Muhim administration" in response.content.decode()


def test_a_signed_in_organiser_is_refused_the_admin_without_a_redirect_loop(client, organiser):
    client.force_login(organiser)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    text = response.content.decode()
    assert "The administration is for administrators only" in text
    assert "ayesha" in text


def test_an_administrator_added_in_the_admin_can_use_the_admin(client, make_user):
    client.force_login(make_user(Role.ADMINISTRATOR, is_staff=True, is_superuser=True))
    password = "a-Strong-pass-2x"
    response = client.post(
        "/admin/accounts/user/add/",
        {"username": "new-admin", "password1": password, "password2": password, "role": Role.ADMINISTRATOR},
    )
    assert response.status_code == 302
    client.post("/accounts/logout/")

    client.post(LOGIN_URL, {"username": "new-admin", "password": password})
    page = client.get("/admin/", follow=True)
    assert page.status_code == 200
    assert "Muhim administration" in page.content.decode()


def test_an_administrator_changed_to_organiser_loses_the_admin(client, make_user, gazetteer):
    client.force_login(make_user(Role.ADMINISTRATOR, is_staff=True, is_superuser=True))
    former = make_user(Role.ADMINISTRATOR, is_staff=True, is_superuser=True, username="former-admin")
    change = client.get(f"/admin/accounts/user/{former.pk}/change/").context["adminform"].form
    data = {name: value for name, value in change.initial.items() if value not in (None, False)}
    data.update(
        role=Role.ORGANISER,
        regions=[gazetteer("pb-lahore-division").pk],
        date_joined_0=former.date_joined.strftime("%Y-%m-%d"),
        date_joined_1=former.date_joined.strftime("%H:%M:%S"),
    )
    data.pop("date_joined", None)
    data.pop("last_login", None)
    data.pop("password", None)
    response = client.post(f"/admin/accounts/user/{former.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    former.refresh_from_db()
    assert (former.role, former.is_staff, former.is_superuser) == (Role.ORGANISER, False, False)


# --- demo accounts -------------------------------------------------------------------------------


def test_the_demo_accounts_sign_in_with_the_shared_password(client, gazetteer, settings):
    from io import StringIO

    from muhim.accounts import demo

    out = StringIO()
    demo.load(stdout=out)
    demo.load(stdout=out)  # a second run creates nothing new
    password = (settings.VAR_DIR / "demo-password").read_text().strip()
    assert password in out.getvalue()

    User = get_user_model()
    assert User.objects.filter(username__in=[u[0] for u in demo.DEMO_USERS]).count() == len(demo.DEMO_USERS)
    lahore = User.objects.get(username="organiser-lahore")
    assert [r.code for r in lahore.regions.all()] == ["pb-lahore-division"]

    response = client.post(LOGIN_URL, {"username": "organiser-lahore", "password": password}, follow=True)
    assert "Regional organiser" in response.content.decode()
