"""Fixtures shared by the whole suite.

- `gazetteer`: the shipped provinces, divisions and districts (loaded once per database, and
  again after a test that flushes the database).
- `make_user(role, regions=[...])`: a staff account with a role and regions.
- `shared_data`: the path of ../shared/data, or the test is skipped with the reason.
- `browser_page`: a Playwright page in Debian's Chromium, or skip with the reason; use it with
  `live_server`.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    """Uploaded and generated files of a test go to its own temporary folder."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    settings.SMS_FILE_PATH = tmp_path / "sms"


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Throttle and lock-out counters must not leak from one test to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language. A request to an /ur/ page activates Urdu for
    the thread and Django leaves it active, so code a later test calls outside a request (an
    import's summary, a notice) would otherwise speak the language of whichever test ran before."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


class Gazetteer:
    def __call__(self, code):
        from muhim.geography.models import Area

        return Area.objects.get(code=code)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The gazetteer is loaded once into the test database; every test's transaction starts
    from it and rolls back to it."""
    from muhim.geography.gazetteer import load_gazetteer

    with django_db_blocker.unblock():
        load_gazetteer()


@pytest.fixture
def gazetteer(db):
    """The shipped areas. Tests that flush the database (live_server, transaction=True) get
    them loaded again."""
    from muhim.geography.gazetteer import load_gazetteer
    from muhim.geography.models import Area

    if not Area.objects.exists():
        load_gazetteer()
    return Gazetteer()


@pytest.fixture
def make_user(db, django_user_model):
    counter = {"n": 0}

    def make(role="", regions=(), *, username=None, password="a-Strong-pass-1", **extra):
        from muhim.geography.models import Area

        counter["n"] += 1
        user = django_user_model.objects.create_user(
            username=username or f"{role or 'norole'}-{counter['n']}", password=password, role=role, **extra
        )
        if regions:
            areas = [r if isinstance(r, Area) else Area.objects.get(code=r) for r in regions]
            user.regions.set(areas)
        user.raw_password = password
        return user

    return make


@pytest.fixture
def shared_data():
    root = Path(settings.MUHIM_SHARED_DATA)
    if not root.is_dir():
        pytest.skip(f"the project's shared real data is not at {root}")
    return root


def chromium_path():
    for candidate in [os.environ.get("CHROMIUM_PATH", ""), *CHROMIUM_CANDIDATES]:
        if candidate and Path(candidate).is_file():
            return candidate
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def _playwright_browser():
    path = chromium_path()
    if not path:
        pytest.skip("Chromium is not installed (make test installs Debian's chromium package)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop shares the thread
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_page(_playwright_browser):
    """A fresh browser context (no cookies) with a phone-sized window option: call
    `browser_page.set_viewport_size({"width": 360, "height": 740})` for phone layouts."""
    context = _playwright_browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def login_in_browser(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(user.raw_password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/accounts/")


@pytest.fixture
def browser_login():
    return login_in_browser
