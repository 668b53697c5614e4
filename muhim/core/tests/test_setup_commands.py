"""What `make run` does after installing: the loaders are safe to run again and again."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from muhim.geography.models import Area, AreaAlias, Constituency


def run(*args, **kwargs):
    out = StringIO()
    call_command(*args, stdout=out, **kwargs)
    return out.getvalue()


@pytest.mark.django_db
def test_admin_is_created_once_and_login_is_explained(settings, tmp_path):
    first = run("ensure_admin")
    second = run("ensure_admin")
    User = get_user_model()
    admin = User.objects.get(username="admin")
    password = (settings.VAR_DIR / "admin-password").read_text().strip()
    assert admin.is_superuser and admin.role == "administrator"
    assert admin.check_password(password)
    assert User.objects.filter(username="admin").count() == 1
    for output in (first, second):
        assert "/accounts/login/" in output and "username: admin" in output and password in output
    assert oct((settings.VAR_DIR / "admin-password").stat().st_mode)[-3:] == "600"


@pytest.mark.django_db
def test_admin_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("MUHIM_ADMIN_PASSWORD", "chosen-Pass-123")
    run("ensure_admin", "--username", "boss")
    assert get_user_model().objects.get(username="boss").check_password("chosen-Pass-123")


@pytest.mark.django_db
def test_demo_loads_twice_without_duplicates(settings, tmp_path, gazetteer):
    settings.MUHIM_SHARED_DATA = tmp_path / "absent"
    run("load_demo")
    counts = (get_user_model().objects.count(), Area.objects.count(), AreaAlias.objects.count())
    output = run("load_demo")
    assert (get_user_model().objects.count(), Area.objects.count(), AreaAlias.objects.count()) == counts
    organiser = get_user_model().objects.get(username="organiser-lahore")
    assert [r.code for r in organiser.regions.all()] == ["pb-lahore-division"]
    assert "share the password" in output


@pytest.mark.django_db
def test_demo_with_real_data_imports_boundaries_and_seats_once(shared_data, gazetteer):
    run("load_demo")
    seats = Constituency.objects.count()
    with_boundary = Area.objects.with_boundary().count()
    assert seats == 272 + 577
    assert with_boundary >= 150 + 37 + 7
    output = run("load_demo")
    assert Constituency.objects.count() == seats
    assert "already imported" in output


@pytest.mark.django_db
def test_gazetteer_command_reports_what_it_did(gazetteer):
    lahore = gazetteer("pb-lahore")
    lahore.name_ur = "لاہور شہر"
    lahore.save()
    again = run("load_gazetteer")
    assert "0 areas created" in again and "200 already present" in again
    assert gazetteer("pb-lahore").name_ur == "لاہور شہر"  # an edit made in Muhim is kept
    reset = run("load_gazetteer", "--update")
    assert "pb-lahore: name_ur" in reset and "1 updated" in reset
    assert gazetteer("pb-lahore").name_ur == "لاہور"
