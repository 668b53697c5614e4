"""Configuration a deployment relies on."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def run_manage(*args, env_extra):
    # Only what a deployment would have: not the test run's database, settings or the browser
    # tests' async switch.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-0123456789",
            "ALLOWED_HOSTS": "muhim.example.org",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "EMAIL_URL": "smtp+tls://user:secret@smtp.example.org:587",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_manage(
        "check",
        env_extra={
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "ALLOWED_HOSTS": "muhim.example.org",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        },
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_an_unknown_task_backend_is_refused_by_name(tmp_path):
    result = run_manage(
        "check", env_extra={"DJANGO_SETTINGS_MODULE": "config.settings.local", "TASK_BACKEND": "celery"}
    )
    assert result.returncode != 0
    assert "TASK_BACKEND must be one of database, rq, immediate" in result.stderr


@pytest.mark.django_db
def test_sqlite_is_tuned_for_a_web_server_and_a_worker_together():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("this run uses another database")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 20000
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in settings.DATABASES["default"]["OPTIONS"]["init_command"]


def test_setup_explains_when_no_python_312_is_found(tmp_path):
    fake = tmp_path / "bin"
    fake.mkdir()
    old = fake / "python3"
    old.write_text("#!/bin/sh\n[ \"$1\" = --version ] && echo 'Python 3.11.7' && exit 0\nexit 1\n")
    old.chmod(0o755)
    result = subprocess.run(
        ["/bin/sh", str(ROOT / "scripts" / "find-python")],
        env={"PATH": str(fake), "HOME": str(tmp_path), "PYENV_ROOT": str(tmp_path / "pyenv")},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "needs Python 3.12 or newer" in result.stderr
    assert "3.11.7" in result.stderr


def test_setup_finds_this_python():
    result = subprocess.run(
        ["/bin/sh", str(ROOT / "scripts" / "find-python")],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHON": sys.executable},
    )
    assert result.returncode == 0
    assert Path(result.stdout.strip()).exists()
